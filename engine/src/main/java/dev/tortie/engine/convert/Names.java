package dev.tortie.engine.convert;

/**
 * Name and label syntax as Kubernetes (k8s.io/apimachinery validation) and Calico's validator check it. Each check
 * returns null when the text is fine, else a lower-case reason to put in a diagnostic.
 *
 * <p>The formats are Kubernetes' regular expressions, matched by hand because every object loaded is checked: a
 * DNS-1123 label is {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, a subdomain is labels joined by dots, and a qualified name
 * part is {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}.
 */
final class Names {
    static final int LABEL_MAX = 63;
    static final int SUBDOMAIN_MAX = 253;

    private Names() {}

    static String dns1123Label(String s) {
        if (s.length() > LABEL_MAX) {
            return "must be at most " + LABEL_MAX + " characters";
        }
        return isLabel(s, 0, s.length())
                ? null
                : "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or"
                        + " digit";
    }

    static String dns1123Subdomain(String s) {
        if (s.length() > SUBDOMAIN_MAX) {
            return "must be at most " + SUBDOMAIN_MAX + " characters";
        }
        return isSubdomain(s, 0, s.length())
                ? null
                : "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a"
                        + " letter or digit";
    }

    /** Calico NetworkPolicy names: a label, label.label, or the legacy knp.default./ossg.default. forms. */
    static String calicoPolicyName(String s) {
        if (s.length() > SUBDOMAIN_MAX) {
            return "must be at most " + SUBDOMAIN_MAX + " characters";
        }
        boolean legacy = (s.startsWith("knp.default.") || s.startsWith("ossg.default."))
                && isSubdomain(s, s.indexOf(".default.") + ".default.".length(), s.length());
        return legacy || isLabelWithOnePrefix(s)
                ? null
                : "must be a DNS-1123 label (lower-case letters, digits and '-'), optionally with one '<tier>.' prefix";
    }

    /** Calico GlobalNetworkPolicy names: a label with at most one dot. */
    static String calicoGlobalPolicyName(String s) {
        if (s.length() > SUBDOMAIN_MAX) {
            return "must be at most " + SUBDOMAIN_MAX + " characters";
        }
        return isLabelWithOnePrefix(s)
                ? null
                : "must be a DNS-1123 label (lower-case letters, digits and '-'), optionally with one '<tier>.' prefix";
    }

    /** A label key (or annotation key): {@code [prefix/]name}. */
    static String qualifiedName(String s) {
        int nameStart = 0;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            if (slash == 0) {
                return "prefix part must not be empty";
            }
            String problem = dns1123Subdomain(s.substring(0, slash));
            if (problem != null) {
                return "prefix part " + problem;
            }
            if (s.indexOf('/', slash + 1) >= 0) {
                return "must contain at most one '/'";
            }
            nameStart = slash + 1;
        }
        int nameLength = s.length() - nameStart;
        if (nameLength == 0) {
            return "name part must not be empty";
        }
        if (nameLength > LABEL_MAX) {
            return "name part must be at most " + LABEL_MAX + " characters";
        }
        return isQualifiedNamePart(s, nameStart, s.length())
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
        return isQualifiedNamePart(s, 0, s.length())
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

    // ---------------------------------------------------------------------------------------------
    // The formats, on s[from, to)

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?} */
    static boolean isLabel(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (c != '-' || i == from || i == to - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Labels joined by single dots. */
    static boolean isSubdomain(String s, int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '.') {
                if (!isLabel(s, start, i)) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /** A label, or two joined by a dot. */
    static boolean isLabelWithOnePrefix(String s) {
        int dot = s.indexOf('.');
        return dot < 0 ? isLabel(s, 0, s.length()) : isLabel(s, 0, dot) && isLabel(s, dot + 1, s.length());
    }

    /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]} */
    static boolean isQualifiedNamePart(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && ((c != '-' && c != '_' && c != '.') || i == from || i == to - 1)) {
                return false;
            }
        }
        return true;
    }
}
