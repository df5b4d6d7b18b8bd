package dev.tortie.shell.output;

import dev.tortie.engine.analysis.VerdictChange;
import dev.tortie.engine.eval.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verdict flips as a compact table grouped by namespace and workload: pods of the same workload pair with the same
 * port and flip collapse into one row with a count.
 */
public final class ImpactFormatter {
    private ImpactFormatter() {}

    private record Group(String to, String from, String port, String before, String after, String deciding) {}

    public static List<Object> tree(List<VerdictChange> changes) {
        List<Object> out = new ArrayList<>();
        for (VerdictChange c : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", c.from());
            m.put("to", c.to());
            m.put("port", c.port());
            m.put("protocol", c.protocol().displayName());
            m.put("before", word(c.before()));
            m.put("after", word(c.after()));
            m.put("decidedBy", c.deciding());
            if (c.fromWorkload() != null) {
                m.put("fromWorkload", c.fromWorkload());
            }
            if (c.toWorkload() != null) {
                m.put("toWorkload", c.toWorkload());
            }
            out.add(m);
        }
        return out;
    }

    public static String table(List<VerdictChange> changes, Style style, int width) {
        if (changes.isEmpty()) {
            return "no verdict changes\n";
        }
        Map<Group, Integer> groups = new LinkedHashMap<>();
        for (VerdictChange c : changes) {
            Group g = new Group(
                    c.toWorkload() != null ? shortWorkload(c.toWorkload()) : c.to(),
                    c.fromWorkload() != null ? shortWorkload(c.fromWorkload()) : c.from(),
                    c.port() + "/" + c.protocol(),
                    word(c.before()),
                    word(c.after()),
                    c.deciding());
            groups.merge(g, 1, Integer::sum);
        }
        Table t = new Table("DESTINATION", "SOURCE", "PORT", "BEFORE", "AFTER", "FLOWS", "DECIDED BY");
        for (Map.Entry<Group, Integer> e : groups.entrySet()) {
            Group g = e.getKey();
            t.row(
                    g.to(),
                    g.from(),
                    g.port(),
                    paint(g.before(), style),
                    paint(g.after(), style),
                    e.getValue(),
                    g.deciding());
        }
        int allowed = 0;
        int denied = 0;
        for (VerdictChange c : changes) {
            if (c.after() == Verdict.ALLOW) {
                allowed++;
            } else if (c.after() == Verdict.DENY) {
                denied++;
            }
        }
        return t.render(width) + changes.size() + " flow(s) change: " + allowed + " newly allowed, " + denied
                + " newly denied\n";
    }

    /** {@code ns/Deployment/web} reads as {@code ns/web (Deployment)} in the table, which keeps it narrow. */
    private static String shortWorkload(String workload) {
        String[] parts = workload.split("/", 3);
        return parts.length == 3 ? parts[0] + "/" + parts[2] : workload;
    }

    private static String word(Verdict v) {
        return v == null ? "absent" : v.lowerName();
    }

    private static String paint(String word, Style style) {
        return switch (word) {
            case "allow" -> style.green(word);
            case "deny" -> style.red(word);
            default -> word;
        };
    }
}
