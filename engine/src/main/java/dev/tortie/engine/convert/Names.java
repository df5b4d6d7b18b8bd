package dev.tortie.engine.convert;

import java.util.regex.Pattern;

/**
 * Name and label syntax as Kubernetes (k8s.io/apimachinery validation) and Calico's validator check it. Each check
 * returns null when the text is fine, else a lower-case reason to put in a diagnostic.
 */
final class Names {
    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    /** Calico NetworkPolicy names: a label, label.label, or the legacy knp.default./ossg.default. forms. */
    private static final Pattern CALICO_POLICY_NAME = Pattern.compile(
            "(" + LABEL_FMT + ")(\\." + LABEL_FMT + ")?|(knp|ossg)\\.default\\.(" + SUBDOMAIN_FMT + ")");
    /** Calico GlobalNetworkPolicy names: a label with at most one dot. */
    private static final Pattern CALICO_GLOBAL_POLICY_NAME = Pattern.compile("(" + LABEL_FMT + "\\.)?" + LABEL_FMT);

    static final int LABEL_MAX = 63;
    static final int SUBDOMAIN_MAX = 253;

    private Names() {}

    static String dns1123Label(String s) {
        if (s.length() > LABEL_MAX) {
            return "must be at most " + LABEL_MAX + " characters";
        }
        return DNS1123_LABEL.matcher(s).matches()
                ? null
                : "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or"
                        + " digit";
    }

    static String dns1123Subdomain(String s) {
        if (s.length() > SUBDOMAIN_MAX) {
            return "must be at most " + SUBDOMAIN_MAX + " characters";
        }
        return DNS1123_SUBDOMAIN.matcher(s).matches()
                ? null
                : "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a"
                        + " letter or digit";
    }

    static String calicoPolicyName(String s) {
        if (s.length() > SUBDOMAIN_MAX) {
            return "must be at most " + SUBDOMAIN_MAX + " characters";
        }
        return CALICO_POLICY_NAME.matcher(s).matches()
                ? null
                : "must be a DNS-1123 label (lower-case letters, digits and '-'), optionally with one '<tier>.' prefix";
    }

    static String calicoGlobalPolicyName(String s) {
        if (s.length() > SUBDOMAIN_MAX) {
            return "must be at most " + SUBDOMAIN_MAX + " characters";
        }
        return CALICO_GLOBAL_POLICY_NAME.matcher(s).matches()
                ? null
                : "must be a DNS-1123 label (lower-case letters, digits and '-'), optionally with one '<tier>.' prefix";
    }

    /** A label key (or annotation key): {@code [prefix/]name}. */
    static String qualifiedName(String s) {
        String name = s;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            String prefix = s.substring(0, slash);
            name = s.substring(slash + 1);
            if (prefix.isEmpty()) {
                return "prefix part must not be empty";
            }
            String problem = dns1123Subdomain(prefix);
            if (problem != null) {
                return "prefix part " + problem;
            }
            if (name.indexOf('/') >= 0) {
                return "must contain at most one '/'";
            }
        }
        if (name.isEmpty()) {
            return "name part must not be empty";
        }
        if (name.length() > LABEL_MAX) {
            return "name part must be at most " + LABEL_MAX + " characters";
        }
        return QUALIFIED_NAME_PART.matcher(name).matches()
                ? null
                : "name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or"
                        + " digit";
    }

    static String labelValue(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > LABEL_MAX) {
            return "must be at most " + LABEL_MAX + " characters";
        }
        return QUALIFIED_NAME_PART.matcher(s).matches()
                ? null
                : "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or"
                        + " digit";
    }

    /** IANA_SVC_NAME (RFC 6335): what Kubernetes accepts as a port name. */
    static String portName(String s) {
        if (s.isEmpty()) {
            return "must not be empty";
        }
        if (s.length() > 15) {
            return "must be at most 15 characters";
        }
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                letter = true;
            } else if (!(c >= '0' && c <= '9') && c != '-') {
                return "must contain only lower-case letters, digits and '-'";
            }
        }
        if (!letter) {
            return "must contain at least one letter";
        }
        if (s.startsWith("-") || s.endsWith("-")) {
            return "must not begin or end with '-'";
        }
        if (s.contains("--")) {
            return "must not contain '--'";
        }
        return null;
    }
}
