package dev.tortie.shell.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns fabric8 failures into short, lower-case reasons an operator can act on. */
final class KubeErrors {
    private KubeErrors() {}

    /** HTTP status of a failed call, or 0 when the server never answered. */
    static int code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException kce && kce.getCode() > 0) {
                return kce.getCode();
            }
        }
        return 0;
    }

    /** True when the API server was never reached (refused, unknown host, TLS, timeout). */
    static boolean unreachable(Throwable t) {
        return code(t) == 0 && network(t) != null;
    }

    /**
     * Why a request failed, e.g. {@code forbidden (RBAC)}, {@code connection refused}, {@code conflict: ...}. The
     * server's own message is kept where it adds something (conflicts, validation).
     */
    static String reason(Throwable t) {
        int code = code(t);
        String server = serverMessage(t);
        switch (code) {
            case 0:
                String network = network(t);
                return network != null ? network : rootMessage(t);
            case 401:
                return "unauthorized (the API server rejected the credentials)";
            case 403:
                return "forbidden (RBAC)";
            case 404:
                return "not found";
            case 409:
                return "conflict" + (server == null ? "" : ": " + server);
            case 410:
                return "gone (resource version too old)";
            case 415:
                return "unsupported media type (the server does not support this request)";
            case 422:
                return "invalid" + (server == null ? "" : ": " + server);
            case 429:
                return "too many requests (API priority and fairness)";
            case 503:
                return "service unavailable" + (server == null ? "" : ": " + server);
            default:
                return "HTTP " + code + (server == null ? "" : ": " + server);
        }
    }

    /** The Status message the API server sent, lower-cased at the start; null when there is none. */
    static String serverMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException kce) {
                Status status = kce.getStatus();
                if (status != null
                        && status.getMessage() != null
                        && !status.getMessage().isBlank()) {
                    return firstLine(status.getMessage());
                }
            }
        }
        return null;
    }

    /** A network-level failure: connection refused, unknown host, TLS, timeout; null when it is something else. */
    static String network(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) {
                String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("timed out")) {
                    return "connection timed out";
                }
                return "connection refused";
            }
            if (c instanceof UnknownHostException) {
                return "unknown host " + c.getMessage();
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (c instanceof SSLException) {
                return "TLS handshake failed: " + firstLine(c.getMessage());
            }
            if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
                return "timed out";
            }
            String name = c.getClass().getName();
            if (name.startsWith("io.netty.channel") && name.contains("Connect")) {
                String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
                return m.contains("timed out") ? "connection timed out" : "connection refused";
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException && c.getMessage() != null) {
                String m = c.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("connection refused")) {
                    return "connection refused";
                }
                if (m.contains("timed out") || m.contains("timeout")) {
                    return "timed out";
                }
            }
        }
        return null;
    }

    /** The innermost useful message, first line only. */
    static String rootMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        return message == null ? t.getClass().getSimpleName() : firstLine(message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && Character.isLowerCase(line.charAt(1))) {
            line = Character.toLowerCase(line.charAt(0)) + line.substring(1);
        }
        return line;
    }
}
