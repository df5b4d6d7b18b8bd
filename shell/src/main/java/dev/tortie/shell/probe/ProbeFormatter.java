package dev.tortie.shell.probe;

import dev.tortie.engine.model.Direction;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.output.Table;
import dev.tortie.shell.output.TraceFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text for probe results: one flow in detail, a table of flows, a matrix grid, and live traces. */
public final class ProbeFormatter {
    private ProbeFormatter() {}

    /** {@code connected in 0.4 ms}, {@code timed out after 300 ms}. */
    public static String outcomeText(LabProbes.Measured m) {
        String ms = String.format(Locale.ROOT, "%.1f ms", m.latencyMs());
        return switch (m.outcome()) {
            case "connected" -> "connected in " + ms;
            case "timed-out" -> "timed out after " + ms;
            case "refused" -> "refused in " + ms;
            case "unsupported" -> "unsupported";
            default -> m.outcome();
        };
    }

    private static String verdictText(String verdict, Style style) {
        return switch (verdict) {
            case "allow" -> style.green("allow");
            case "deny" -> style.red("deny");
            default -> style.yellow(verdict);
        };
    }

    /** One probe next to its prediction, with any disagreement called out. */
    public static String single(LabProbes.Measured m, Style style) {
        StringBuilder sb = new StringBuilder();
        LabProbes.Flow f = m.flow();
        sb.append(f.from()).append(" -> ").append(f.to());
        if (f.destination() != null && !f.to().equals(f.destination().toString())) {
            sb.append(" (").append(f.destination()).append(')');
        }
        sb.append(':').append(f.port()).append('/').append(f.protocol()).append('\n');
        sb.append("  probe:     ").append(outcomeText(m)).append("  => ").append(verdictText(m.verdict(), style));
        if (!m.detail().isEmpty()) {
            sb.append("  (").append(m.detail()).append(')');
        }
        sb.append('\n');
        sb.append("  predicted: ").append(verdictText(m.predicted(), style));
        if (f.trace() != null) {
            sb.append("  (").append(TraceFormatter.summary(f.trace())).append(')');
        } else if (f.problem() != null) {
            sb.append("  (").append(f.problem()).append(')');
        }
        sb.append('\n');
        sb.append("  ").append(agreement(m, style)).append('\n');
        return sb.toString();
    }

    private static String agreement(LabProbes.Measured m, Style style) {
        if (m.agree() == null) {
            return style.yellow("not compared") + ": "
                    + (m.known() ? "the engine could not predict this flow" : "no kernel verdict");
        }
        if (m.agree()) {
            return style.green("agree");
        }
        return style.bold(style.red("DISAGREE")) + ": the kernel "
                + (m.verdict().equals("allow") ? "allowed" : "denied") + " a flow the engine predicts "
                + (m.predicted().equals("allow") ? "allowed" : "denied");
    }

    /** Several flows as a table; disagreements are marked. */
    public static String table(List<LabProbes.Measured> results, Style style, int width) {
        Table table = new Table("FROM", "TO", "PORT", "PREDICTED", "PROBE", "VERDICT", "");
        for (LabProbes.Measured m : results) {
            LabProbes.Flow f = m.flow();
            String mark = m.agree() == null ? style.yellow("?") : m.agree() ? "" : style.bold(style.red("DISAGREE"));
            String probe = outcomeText(m) + (m.outcome().equals("unsupported") ? " (" + m.detail() + ")" : "");
            table.row(
                    f.from(),
                    f.to(),
                    f.port() + "/" + f.protocol(),
                    verdictText(m.predicted(), style),
                    probe,
                    verdictText(m.verdict(), style),
                    mark);
        }
        return table.render(width);
    }

    /** A summary line: counts, agreement, time. */
    public static String summaryLine(Map<String, Object> summary, Style style) {
        int disagree = ((Number) summary.get("disagree")).intValue();
        int notCompared = ((Number) summary.get("notCompared")).intValue();
        StringBuilder sb = new StringBuilder();
        sb.append(summary.get("probes"))
                .append(" probes in ")
                .append(summary.get("elapsedMs"))
                .append(" ms: ")
                .append(summary.get("allowed"))
                .append(" allowed, ")
                .append(summary.get("denied"))
                .append(" denied; ")
                .append(summary.get("agree"))
                .append(" agree with the prediction, ")
                .append(disagree == 0 ? "0 disagree" : style.bold(style.red(disagree + " disagree")));
        if (notCompared > 0) {
            sb.append(", ").append(style.yellow(notCompared + " not compared"));
        }
        return sb.append('\n').toString();
    }

    /**
     * Truth tables per port like {@code matrix}, from the kernel's point of view: {@code .} allowed, {@code X} denied,
     * {@code ?} not probed (with the reason below), {@code A}/{@code D} where the kernel allowed/denied against the
     * prediction.
     */
    public static String grid(List<String> pods, List<String> ports, List<LabProbes.Measured> results, Style style) {
        Map<String, LabProbes.Measured> byCell = new HashMap<>();
        for (LabProbes.Measured m : results) {
            LabProbes.Flow f = m.flow();
            byCell.put(f.port() + "/" + f.protocol() + " " + f.from() + " " + f.to(), m);
        }
        boolean numbered = pods.stream().anyMatch(p -> p.length() > 8);
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            columns.add(numbered ? Integer.toString(i + 1) : pods.get(i));
        }
        int colWidth = 1;
        for (String c : columns) {
            colWidth = Math.max(colWidth, c.length());
        }
        int rowWidth = 3;
        for (String p : pods) {
            rowWidth = Math.max(rowWidth, p.length());
        }
        int labelWidth = rowWidth + (numbered ? Integer.toString(pods.size()).length() + 1 : 0);
        StringBuilder sb = new StringBuilder();
        List<String> reasons = new ArrayList<>();
        for (String port : ports) {
            sb.append(style.bold(port))
                    .append("   (probed; rows: from, columns: to; '.' allowed, 'X' denied, '?' not probed,"
                            + " 'A'/'D' allowed/denied against the prediction)\n");
            sb.append(" ".repeat(labelWidth + 2));
            for (String c : columns) {
                sb.append(pad(c, colWidth)).append(' ');
            }
            sb.setLength(sb.length() - 1);
            sb.append('\n');
            for (int r = 0; r < pods.size(); r++) {
                String from = pods.get(r);
                String label = numbered
                        ? pad(
                                        Integer.toString(r + 1),
                                        Integer.toString(pods.size()).length()) + " " + from
                        : from;
                sb.append(pad(label, labelWidth)).append("  ");
                for (String to : pods) {
                    String mark;
                    if (from.equals(to)) {
                        mark = "-";
                    } else {
                        LabProbes.Measured m = byCell.get(port + " " + from + " " + to);
                        mark = mark(m, style);
                        if (m != null
                                && !m.known()
                                && reasons.size() < 1
                                && !m.detail().isEmpty()) {
                            reasons.add(m.outcome() + ": " + m.detail());
                        }
                    }
                    sb.append(mark).append(" ".repeat(colWidth - 1)).append(' ');
                }
                sb.setLength(sb.length() - 1);
                sb.append('\n');
            }
            sb.append('\n');
        }
        for (String r : reasons) {
            sb.append(style.yellow("?")).append(" = ").append(r).append('\n');
        }
        if (pods.isEmpty()) {
            sb.append("no pods with IP addresses in scope\n");
        }
        return sb.toString();
    }

    private static String mark(LabProbes.Measured m, Style style) {
        if (m == null || !m.known()) {
            return style.yellow("?");
        }
        boolean allowed = m.verdict().equals("allow");
        if (m.disagrees()) {
            return style.bold(style.red(allowed ? "A" : "D"));
        }
        return allowed ? "." : style.red("X");
    }

    /** Up to {@code limit} disagreeing flows, one per line. */
    public static String disagreements(List<LabProbes.Measured> results, Style style, int limit) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (LabProbes.Measured m : results) {
            if (!m.disagrees()) {
                continue;
            }
            if (n++ == limit) {
                sb.append("  ...\n");
                break;
            }
            LabProbes.Flow f = m.flow();
            sb.append("  ")
                    .append(style.red("DISAGREE"))
                    .append(' ')
                    .append(f.from())
                    .append(" -> ")
                    .append(f.to())
                    .append(':')
                    .append(f.port())
                    .append('/')
                    .append(f.protocol())
                    .append(": kernel ")
                    .append(m.verdict())
                    .append(" (")
                    .append(outcomeText(m))
                    .append("), predicted ")
                    .append(m.predicted());
            if (f.trace() != null) {
                sb.append(" (").append(TraceFormatter.summary(f.trace())).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The live part of {@code trace --live}: probe, kernel rules hit, engine rules, agreement. */
    public static String live(LiveTrace.Result r, Style style) {
        LabProbes.Measured m = r.probe();
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("live:"))
                .append(" probe ")
                .append(outcomeText(m))
                .append("  => ")
                .append(verdictText(m.verdict(), style));
        if (!m.detail().isEmpty()) {
            sb.append("  (").append(m.detail()).append(')');
        }
        sb.append('\n');
        Table table = new Table("DIRECTION", "KERNEL MATCHED", "PACKETS", "ENGINE PREDICTS");
        for (Direction d : List.of(Direction.EGRESS, Direction.INGRESS)) {
            String kernel = r.kernelDecision().get(d);
            long packets = 0;
            for (LiveTrace.Hit h : r.hits()) {
                if (h.ruleId().equals(kernel)) {
                    packets = h.packets();
                }
            }
            String engine = r.engineDecision().get(d);
            if (kernel == null && engine == null) {
                continue;
            }
            table.row(
                    d.lowerName(),
                    kernel == null ? style.dim("(not reached)") : kernel,
                    kernel == null ? "" : Long.toString(packets),
                    engine == null ? "" : engine);
        }
        for (String line : table.render(0).split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        for (LiveTrace.Hit h : r.hits()) {
            if (h.action().equals("Log") || h.action().equals("Pass")) {
                sb.append("  also counted: ")
                        .append(h.ruleId())
                        .append(" (")
                        .append(h.action())
                        .append(", ")
                        .append(h.packets())
                        .append(h.packets() == 1 ? " packet" : " packets")
                        .append(")\n");
            }
        }
        sb.append("  ")
                .append(r.agree() ? style.green("agree") : style.bold(style.red("DISAGREE")))
                .append(": ")
                .append(r.explanation())
                .append('\n');
        return sb.toString();
    }

    private static String pad(String s, int w) {
        int len = Style.width(s);
        return len >= w ? s : s + " ".repeat(w - len);
    }
}
