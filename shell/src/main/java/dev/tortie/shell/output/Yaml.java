package dev.tortie.shell.output;

import java.util.Collection;
import java.util.Map;

/** Writes the same trees as {@link Json} as block YAML, quoting strings that YAML would otherwise reinterpret. */
public final class Yaml {
    private Yaml() {}

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, false);
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int indent, boolean inList) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(first && inList)) {
                    sb.append("  ".repeat(indent));
                }
                first = false;
                sb.append(scalar(String.valueOf(e.getKey()))).append(':');
                Object v = e.getValue();
                if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                    sb.append('\n');
                    write(sb, v, indent + 1, false);
                } else if (v instanceof Collection<?> c && !c.isEmpty()) {
                    sb.append('\n');
                    write(sb, v, indent, false);
                } else {
                    sb.append(' ').append(inline(v)).append('\n');
                }
            }
        } else if (value instanceof Collection<?> list && !list.isEmpty()) {
            for (Object item : list) {
                sb.append("  ".repeat(indent)).append("- ");
                if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                    write(sb, item, indent + 1, true);
                } else if (item instanceof Collection<?> c && !c.isEmpty()) {
                    sb.append('\n');
                    write(sb, item, indent + 1, false);
                } else {
                    sb.append(inline(item)).append('\n');
                }
            }
        } else {
            sb.append("  ".repeat(indent)).append(inline(value)).append('\n');
        }
    }

    private static String inline(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?>) {
            return "{}";
        }
        if (v instanceof Collection<?>) {
            return "[]";
        }
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
        return scalar(v.toString());
    }

    private static String scalar(String s) {
        if (s.isEmpty() || needsQuotes(s)) {
            return Json.writeCompact(s);
        }
        return s;
    }

    private static boolean needsQuotes(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("true")
                || lower.equals("false")
                || lower.equals("null")
                || lower.equals("y")
                || lower.equals("n")
                || lower.equals("yes")
                || lower.equals("no")
                || lower.equals("on")
                || lower.equals("off")
                || lower.equals("~")) {
            return true;
        }
        char first = s.charAt(0);
        if ("-?:,[]{}#&*!|>'\"%@` ".indexOf(first) >= 0 || Character.isDigit(first) || s.endsWith(" ")) {
            return true;
        }
        return s.contains(": ") || s.contains(" #") || s.contains("\n") || s.contains("\t");
    }
}
