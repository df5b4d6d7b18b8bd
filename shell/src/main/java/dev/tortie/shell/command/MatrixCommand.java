package dev.tortie.shell.command;

import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "matrix",
        description = {
            "Predicted reachability between every pair of pods, as a truth table per port ('.' allowed, 'X' denied).",
            "Pods: those of the -n namespaces (all namespaces when none is given)."
        },
        mixinStandardHelpOptions = true)
public final class MatrixCommand extends BaseCommand {
    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Include pods of this namespace (repeatable).")
    List<String> namespaces;

    @Option(
            names = "--port",
            paramLabel = "PORT[/PROTO]",
            description = "Port to evaluate (repeatable; default 80/TCP).")
    List<String> ports;

    public MatrixCommand(Session session) {
        super(session);
    }

    /** A port and protocol from {@code 80}, {@code 81/UDP}. */
    public record PortProto(int port, Protocol protocol) {
        public static PortProto parse(String text) {
            String[] parts = text.split("/", 2);
            Protocol protocol = parts.length == 2 ? Protocol.tryParse(parts[1]) : Protocol.TCP;
            if (protocol == null || !protocol.supportsPorts()) {
                throw TortieException.usage("--port '" + text + "': protocol must be TCP, UDP or SCTP");
            }
            int port;
            try {
                port = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw TortieException.usage("--port '" + text + "': expected PORT[/PROTO], e.g. 80/TCP");
            }
            if (port < 1 || port > 65535) {
                throw TortieException.usage("--port '" + text + "': port must be 1-65535");
            }
            return new PortProto(port, protocol);
        }

        @Override
        public String toString() {
            return port + "/" + protocol;
        }
    }

    @Override
    public Integer call() {
        List<PortProto> portList = new ArrayList<>();
        for (String p : ports == null ? List.of("80/TCP") : ports) {
            portList.add(PortProto.parse(p));
        }
        Map<String, Object> tree = session.source().read(index -> {
            List<Endpoint> pods = new ArrayList<>();
            if (namespaces == null) {
                pods.addAll(index.endpoints());
            } else {
                for (String ns : namespaces) {
                    if (!index.hasNamespace(ns)) {
                        throw TortieException.input("unknown namespace '" + ns + "'");
                    }
                    pods.addAll(index.endpointsIn(ns));
                }
            }
            pods.removeIf(e -> e.primaryIp() == null);
            Tracer tracer = new Tracer(index);
            List<Object> cells = new ArrayList<>();
            for (PortProto pp : portList) {
                for (Endpoint from : pods) {
                    for (Endpoint to : pods) {
                        if (from.key().equals(to.key())) {
                            continue;
                        }
                        FlowTrace t = tracer.trace(FlowEnd.of(from), FlowEnd.of(to), pp.protocol(), pp.port());
                        Map<String, Object> cell = new LinkedHashMap<>();
                        cell.put("from", from.key());
                        cell.put("to", to.key());
                        cell.put("port", pp.port());
                        cell.put("protocol", pp.protocol().displayName());
                        cell.put("verdict", t.verdict().lowerName());
                        cells.add(cell);
                    }
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pods", pods.stream().map(Endpoint::key).toList());
            m.put("ports", portList.stream().map(PortProto::toString).toList());
            m.put("cells", cells);
            return m;
        });
        if (format().structured()) {
            printTree(tree);
        } else {
            print(MatrixFormatter.grid(tree, session.style()));
        }
        return 0;
    }

    /** Formats the cells tree as truth tables like the upstream e2e suite prints them. */
    public static final class MatrixFormatter {
        private MatrixFormatter() {}

        @SuppressWarnings("unchecked")
        public static String grid(Map<String, Object> tree, dev.tortie.shell.output.Style style) {
            List<String> pods = (List<String>) tree.get("pods");
            List<String> portNames = (List<String>) tree.get("ports");
            List<Map<String, Object>> cells = (List<Map<String, Object>>) tree.get("cells");
            Map<String, String> verdicts = new LinkedHashMap<>();
            for (Map<String, Object> c : cells) {
                verdicts.put(c.get("port") + "/" + c.get("protocol") + " " + c.get("from") + " " + c.get("to"), (String)
                        c.get("verdict"));
            }
            int rowWidth = 3;
            for (String p : pods) {
                rowWidth = Math.max(rowWidth, p.length());
            }
            // Long names get numbered columns, so the grid stays narrow.
            boolean numbered = pods.stream().anyMatch(p -> p.length() > 8);
            List<String> columns = new java.util.ArrayList<>();
            for (int i = 0; i < pods.size(); i++) {
                columns.add(numbered ? Integer.toString(i + 1) : pods.get(i));
            }
            int colWidth = 1;
            for (String c : columns) {
                colWidth = Math.max(colWidth, c.length());
            }
            int labelWidth =
                    rowWidth + (numbered ? Integer.toString(pods.size()).length() + 1 : 0);
            StringBuilder sb = new StringBuilder();
            for (String port : portNames) {
                sb.append(style.bold(port)).append("   (rows: from, columns: to; '.' allowed, 'X' denied)\n");
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
                        String v = from.equals(to) ? "-" : verdicts.get(port + " " + from + " " + to);
                        String mark = "-".equals(v) ? "-" : "allow".equals(v) ? "." : style.red("X");
                        sb.append(mark).append(" ".repeat(colWidth - 1)).append(' ');
                    }
                    sb.setLength(sb.length() - 1);
                    sb.append('\n');
                }
                sb.append('\n');
            }
            if (pods.isEmpty()) {
                sb.append("no pods with IP addresses in scope\n");
            }
            return sb.toString();
        }

        private static String pad(String s, int w) {
            return s.length() >= w ? s : s + " ".repeat(w - s.length());
        }
    }

    /** Verdict of a cell for callers that compare matrices. */
    public static boolean allowed(Map<String, Object> cell) {
        return Verdict.ALLOW.lowerName().equals(cell.get("verdict"));
    }
}
