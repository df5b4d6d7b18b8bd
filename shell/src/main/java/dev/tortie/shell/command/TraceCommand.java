package dev.tortie.shell.command;

import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Table;
import dev.tortie.shell.output.TraceFormatter;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "trace",
        description = {
            "Explain whether a flow is allowed and which rule decides, from the compiled policy program.",
            "SRC and DST: ns/pod, a pod or workload in the current namespace, a namespace (all its pods), or an IP.",
            "Exit status: 0 every flow allowed, 1 every flow denied, 2 mixed or undecidable, 3+ errors."
        },
        mixinStandardHelpOptions = true)
public final class TraceCommand extends BaseCommand {
    @Parameters(
            arity = "1..*",
            paramLabel = "SRC -> DST:PORT[/PROTO]",
            description = "The flow, e.g. app-a -> app-b:80.")
    List<String> words;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Namespace for bare pod names (default: the current one).")
    String namespace;

    @Option(names = "--icmp-type", paramLabel = "T", description = "ICMP type for DST/ICMP flows (default 8, echo).")
    int icmpType = 8;

    @Option(names = "--icmp-code", paramLabel = "C", description = "ICMP code for DST/ICMP flows (default 0).")
    int icmpCode;

    @Option(
            names = "--live",
            description = "In the lab: also send a real probe and name the rule the kernel matched (rule counters).")
    boolean live;

    public TraceCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        FlowSpec spec = FlowSpec.parse(words);
        if (icmpType < 0 || icmpType > 254 || icmpCode < 0 || icmpCode > 255) {
            throw TortieException.usage("--icmp-type must be 0-254 and --icmp-code 0-255");
        }
        String ns = namespace != null ? namespace : session.namespace();
        if (live) {
            return ProbeCommand.liveTrace(session, words, ns, format());
        }
        Map<String, List<String>> hints = new LinkedHashMap<>();
        List<Flows.Result> results = session.source().read(index -> {
            Targets.Target src = Targets.resolve(index, spec.source(), ns);
            Targets.Target dst = Targets.resolve(index, spec.destination(), ns);
            List<Flows.Result> traced = Flows.trace(index, src, dst, spec, icmpType, icmpCode);
            hints.putAll(Flows.hints(index, traced));
            return traced;
        });
        OutputFormat format = format();
        if (format.structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("verdict", Flows.overall(results));
            List<Object> flows = new ArrayList<>();
            for (Flows.Result r : results) {
                if (r.trace() != null) {
                    flows.add(TraceFormatter.flowTree(r.trace(), hints));
                } else {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("from", r.from());
                    m.put("to", r.to());
                    m.put("port", r.port());
                    m.put("protocol", r.protocol().displayName());
                    m.put("verdict", "unknown");
                    m.put("reason", r.problem());
                    flows.add(m);
                }
            }
            tree.put("flows", flows);
            printTree(tree);
        } else {
            printText(results, format == OutputFormat.WIDE, hints);
        }
        return Flows.exitCode(results).code();
    }

    private void printText(List<Flows.Result> results, boolean wide, Map<String, List<String>> hints) {
        StringBuilder sb = new StringBuilder();
        boolean walkthroughs = wide || results.size() <= 4;
        if (!walkthroughs) {
            Table table = new Table("FROM", "TO", "PORT", "VERDICT", "WHY");
            for (Flows.Result r : results) {
                String verdict = r.trace() == null
                        ? session.style().yellow("UNKNOWN")
                        : TraceFormatter.verdictWord(r.trace().verdict(), session.style());
                String why = r.trace() == null ? r.problem() : TraceFormatter.summary(r.trace());
                table.row(r.from(), r.to(), portText(r), verdict, why);
            }
            sb.append(table.render(width()));
            sb.append(session.style().dim("(-o wide shows each flow's walkthrough)"))
                    .append('\n');
        } else {
            for (Flows.Result r : results) {
                if (r.trace() != null) {
                    sb.append(TraceFormatter.walkthrough(r.trace(), session.style(), hints));
                } else {
                    sb.append(r.from())
                            .append(" -> ")
                            .append(r.to())
                            .append(": ")
                            .append(session.style().yellow("UNKNOWN"))
                            .append(" (")
                            .append(r.problem())
                            .append(")\n");
                }
                sb.append('\n');
            }
        }
        if (results.size() > 1) {
            sb.append("verdict: ")
                    .append(Flows.overall(results))
                    .append(" (")
                    .append(results.size())
                    .append(" flows)\n");
        }
        print(sb.toString());
    }

    private static String portText(Flows.Result r) {
        return r.protocol().supportsPorts()
                ? r.port() + "/" + r.protocol()
                : r.protocol().toString();
    }
}
