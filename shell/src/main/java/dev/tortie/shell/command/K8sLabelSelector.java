package dev.tortie.shell.command;

import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's {@code -l} syntax ({@code a=b,c!=d,e in (x,y),f notin (z),g,!h}) translated into a Calico selector, so
 * one matcher serves both. Quotes in values are impossible in Kubernetes labels, so single-quoting is safe.
 */
public final class K8sLabelSelector {
    private K8sLabelSelector() {}

    public static String toCalico(String text) {
        List<String> terms = new ArrayList<>();
        for (String requirement : splitTopLevel(text.trim())) {
            String r = requirement.trim();
            if (r.isEmpty()) {
                throw TortieException.usage("empty requirement in label selector '" + text + "'");
            }
            terms.add(term(r, text));
        }
        return terms.isEmpty() ? "all()" : String.join(" && ", terms);
    }

    private static String term(String r, String whole) {
        String lower = r.toLowerCase(java.util.Locale.ROOT);
        int notin = lower.indexOf(" notin ");
        int in = lower.indexOf(" in ");
        if (notin > 0) {
            return key(r.substring(0, notin), whole) + " not in " + set(r.substring(notin + 7), whole);
        }
        if (in > 0) {
            return key(r.substring(0, in), whole) + " in " + set(r.substring(in + 4), whole);
        }
        if (r.contains("!=")) {
            String[] kv = r.split("!=", 2);
            return key(kv[0], whole) + " != " + value(kv[1], whole);
        }
        if (r.contains("==")) {
            String[] kv = r.split("==", 2);
            return key(kv[0], whole) + " == " + value(kv[1], whole);
        }
        if (r.contains("=")) {
            String[] kv = r.split("=", 2);
            return key(kv[0], whole) + " == " + value(kv[1], whole);
        }
        if (r.startsWith("!")) {
            return "!has(" + key(r.substring(1), whole) + ")";
        }
        return "has(" + key(r, whole) + ")";
    }

    private static String key(String k, String whole) {
        String key = k.trim();
        if (!key.matches("[A-Za-z0-9][A-Za-z0-9_./-]*")) {
            throw TortieException.usage("invalid label key '" + key + "' in label selector '" + whole + "'");
        }
        return key;
    }

    private static String value(String v, String whole) {
        String value = v.trim();
        if (!value.matches("[A-Za-z0-9_.-]*")) {
            throw TortieException.usage("invalid label value '" + value + "' in label selector '" + whole + "'");
        }
        return "'" + value + "'";
    }

    private static String set(String s, String whole) {
        String t = s.trim();
        if (!t.startsWith("(") || !t.endsWith(")")) {
            throw TortieException.usage("expected (v1,v2) in label selector '" + whole + "'");
        }
        List<String> values = new ArrayList<>();
        for (String v : t.substring(1, t.length() - 1).split(",")) {
            values.add(value(v, whole));
        }
        return "{" + String.join(", ", values) + "}";
    }

    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (!text.isEmpty()) {
            out.add(text.substring(start));
        }
        return out;
    }
}
