package dev.tortie.shell.agent;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of the mock API server's CRUD dispatcher: records every request as an RBAC attribute (verb, group,
 * resource), optionally enforces a ClusterRole (403 for what it does not grant, as the API server's authorizer would),
 * and serves {@code pods/portforward} by bridging the WebSocket (the Kubernetes port-forward protocol: two port frames,
 * then data on channel 0) to a local TCP address registered per pod.
 */
final class ApiRecorder extends Dispatcher {
    /** One request as the authorizer sees it; discovery requests have verb {@code discovery}. */
    record Access(String verb, String group, String resource, String path, String token) {}

    private static final Pattern PORT_FORWARD =
            Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/portforward.*");

    private final Dispatcher delegate;
    final List<Access> seen = new CopyOnWriteArrayList<>();
    private volatile List<AgentAccess.Rule> enforced;
    private volatile String enforcedToken;
    private final Map<String, InetSocketAddress> forwards = new ConcurrentHashMap<>();

    ApiRecorder(Dispatcher delegate) {
        this.delegate = delegate;
    }

    /**
     * From now on, answer 403 to requests with bearer token {@code token} that {@code rules} do not allow (the test's
     * own admin client, with another token, is not restricted).
     */
    void enforce(List<AgentAccess.Rule> rules, String token) {
        enforcedToken = token;
        enforced = List.copyOf(rules);
    }

    /** The requests made with bearer token {@code token}. */
    List<Access> byToken(String token) {
        return seen.stream().filter(a -> token.equals(a.token())).toList();
    }

    /** Port-forwards to pod {@code namespace/name} reach {@code target}. */
    void forward(String namespace, String name, InetSocketAddress target) {
        forwards.put(namespace + "/" + name, target);
    }

    /** The RBAC attributes of a request path and method. */
    static Access access(String method, String fullPath, String token) {
        int q = fullPath.indexOf('?');
        String path = q < 0 ? fullPath : fullPath.substring(0, q);
        String query = q < 0 ? "" : fullPath.substring(q + 1);
        String[] s = Arrays.stream(path.split("/")).filter(x -> !x.isEmpty()).toArray(String[]::new);
        String group;
        int rest;
        if (s.length >= 2 && s[0].equals("api")) {
            group = "";
            rest = 2;
        } else if (s.length >= 3 && s[0].equals("apis")) {
            group = s[1];
            rest = 3;
        } else {
            return new Access("discovery", "", "", fullPath, token);
        }
        if (s.length == rest) {
            return new Access("discovery", group, "", fullPath, token);
        }
        String resource;
        String name = null;
        String sub = null;
        if (s[rest].equals("namespaces") && s.length >= rest + 3) {
            resource = s[rest + 2];
            name = s.length > rest + 3 ? s[rest + 3] : null;
            sub = s.length > rest + 4 ? s[rest + 4] : null;
        } else {
            resource = s[rest];
            name = s.length > rest + 1 ? s[rest + 1] : null;
            sub = s.length > rest + 2 ? s[rest + 2] : null;
        }
        if (sub != null) {
            resource = resource + "/" + sub;
        }
        String verb =
                switch (method) {
                    case "GET" -> name != null
                            ? (sub != null && sub.equals("portforward") ? "create" : "get")
                            : query.contains("watch=true") ? "watch" : "list";
                    case "POST" -> "create";
                    case "PUT" -> "update";
                    case "PATCH" -> "patch";
                    case "DELETE" -> name == null ? "deletecollection" : "delete";
                    default -> method.toLowerCase(java.util.Locale.ROOT);
                };
        return new Access(verb, group, resource, fullPath, token);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String auth = request.getHeader("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        Access a = access(request.method().name(), request.getPath(), token);
        seen.add(a);
        List<AgentAccess.Rule> rules = enforced;
        if (rules != null
                && enforcedToken.equals(token)
                && !a.verb().equals("discovery")
                && rules.stream().noneMatch(r -> r.allows(a.group(), a.resource(), a.verb()))) {
            return new MockResponse()
                    .setResponseCode(403)
                    .setBody(
                            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
                                    + "\"code\":403,\"message\":\"" + a.resource()
                                    + (a.group().isEmpty() ? "" : "." + a.group())
                                    + " is forbidden: cannot " + a.verb() + "\"}");
        }
        Matcher m = PORT_FORWARD.matcher(request.getPath());
        if (m.matches()) {
            InetSocketAddress target = forwards.get(m.group(1) + "/" + m.group(2));
            if (target == null) {
                return new MockResponse().setResponseCode(404).setBody("no such pod");
            }
            return new MockResponse().withWebSocketUpgrade(new Bridge(target));
        }
        return delegate.dispatch(request);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    /** One port-forward stream: WebSocket channel 0 <-> a TCP connection to the target. */
    private static final class Bridge extends WebSocketListener {
        private final InetSocketAddress target;
        private volatile Socket socket;
        private volatile OutputStream toTarget;

        Bridge(InetSocketAddress target) {
            this.target = target;
        }

        @Override
        public void onOpen(WebSocket ws, io.fabric8.mockwebserver.http.Response response) {
            int port = target.getPort();
            byte[] portFrame = {0, (byte) (port & 0xff), (byte) (port >> 8)};
            ws.send(portFrame);
            ws.send(new byte[] {1, portFrame[1], portFrame[2]});
            try {
                socket = new Socket(target.getAddress(), target.getPort());
                toTarget = socket.getOutputStream();
            } catch (IOException e) {
                ws.close(1011, "cannot connect: " + e.getMessage());
                return;
            }
            Thread pump = new Thread(() -> pump(ws), "test-port-forward");
            pump.setDaemon(true);
            pump.start();
        }

        private void pump(WebSocket ws) {
            byte[] buf = new byte[8192];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    byte[] frame = new byte[n + 1];
                    System.arraycopy(buf, 0, frame, 1, n);
                    ws.send(frame);
                }
            } catch (IOException e) {
                // the client went away
            }
            ws.close(1000, "target closed");
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            if (bytes.length < 1 || bytes[0] != 0 || toTarget == null) {
                return;
            }
            try {
                toTarget.write(bytes, 1, bytes.length - 1);
                toTarget.flush();
            } catch (IOException e) {
                ws.close(1011, "target write failed");
            }
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            close();
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            close();
        }

        private void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
