package dev.tortie.shell.command;

import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.shell.lab.Lab;
import dev.tortie.shell.lab.LabSource;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.probe.LabProbes;
import dev.tortie.shell.probe.LiveTrace;
import dev.tortie.shell.probe.ProbeFormatter;
import dev.tortie.shell.probe.Progress;
import dev.tortie.shell.session.ClusterSource;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "probe",
        description = {
            "Make real connections and show them next to the trace's prediction; disagreements are highlighted.",
            "In the lab a probe is a connection from inside the source pod's network namespace, enforced by the real",
            "kernel. SRC and DST as for trace. SCTP is reported as unsupported (this kernel has no SCTP sockets).",
            "Exit status: 0 every flow connected, 1 every flow blocked, 2 mixed or not probed, 3+ errors."
        },
        mixinStandardHelpOptions = true)
public final class ProbeCommand extends BaseCommand {
    @Parameters(
            arity = "0..*",
            paramLabel = "SRC -> DST:PORT[/PROTO]",
            description = "The flow, e.g. app-a -> app-b:80 (not with --matrix).")
    List<String> words;

    @Option(names = "--matrix", description = "Probe every pair of pods of the -n namespaces (all when none).")
    boolean matrix;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "With --matrix: include pods of this namespace (repeatable). Else: namespace for bare names.")
    List<String> namespaces;

    @Option(
            names = "--port",
            paramLabel = "PORT[/PROTO]",
            description = "With --matrix: port to probe (repeatable; default 80/TCP).")
    List<String> ports;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            description = "Per-probe timeout in milliseconds (default 300): what a denied probe costs.")
    int timeoutMs = (int) LabProbes.DEFAULT_TIMEOUT.toMillis();

    public ProbeCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        if (timeoutMs < 1 || timeoutMs > 60_000) {
            throw TortieException.usage("--timeout must be 1-60000 ms");
        }
        if (matrix) {
            if (words != null && !words.isEmpty()) {
                throw TortieException.usage("probe --matrix takes no flow; use -n NS and --port PORT/PROTO");
            }
            return matrix();
        }
        if (words == null || words.isEmpty()) {
            throw TortieException.usage("expected SRC -> DST:PORT[/PROTO] or --matrix");
        }
        if (ports != null) {
            throw TortieException.usage("--port goes with --matrix; write the port in the flow: SRC -> DST:PORT");
        }
        if (namespaces != null && namespaces.size() > 1) {
            throw TortieException.usage("-n takes one namespace for a single flow");
        }
        String ns = namespaces != null ? namespaces.get(0) : session.namespace();
        return single(FlowSpec.parse(words), ns);
    }

    /** The lab behind the session, or the reason probes cannot run here. */
    static Lab lab(Session session, String what) {
        ClusterSource source = session.source();
        if (source instanceof LabSource lab) {
            return lab.lab();
        }
        throw TortieException.usage(what + ": live-cluster exec probes not implemented yet (the lab, tortie --lab,"
                + " probes from inside pods)");
    }

    private Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    /** Traces the flows of {@code spec} and turns them into probe flows. */
    static List<LabProbes.Flow> flows(Session session, FlowSpec spec, String ns) {
        return session.source().read(index -> {
            Targets.Target src = Targets.resolve(index, spec.source(), ns);
            Targets.Target dst = Targets.resolve(index, spec.destination(), ns);
            List<LabProbes.Flow> out = new ArrayList<>();
            for (Flows.Result r : Flows.trace(index, src, dst, spec, 8, 0)) {
                FlowTrace t = r.trace();
                out.add(new LabProbes.Flow(
                        r.from(),
                        r.to(),
                        t == null ? null : t.destination().address(),
                        r.protocol(),
                        r.port(),
                        t,
                        r.problem()));
            }
            return out;
        });
    }

    private int single(FlowSpec spec, String ns) {
        Lab lab = lab(session, "probe");
        LabProbes.requireProbes(lab);
        List<LabProbes.Flow> flows = flows(session, spec, ns);
        long start = System.nanoTime();
        List<LabProbes.Measured> results;
        try (Progress progress = new Progress(session.err(), session.width() > 0, "probes", flows.size())) {
            results = LabProbes.run(lab, flows, timeout(), (r, done, total) -> progress.update(done));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        OutputFormat format = format();
        if (format.structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            List<Object> cells = new ArrayList<>();
            for (LabProbes.Measured m : results) {
                cells.add(m.cell());
            }
            tree.put("verdict", overall(results));
            tree.put("flows", cells);
            tree.put("summary", LabProbes.summary(results, elapsed));
            printTree(tree);
        } else if (results.size() == 1) {
            print(ProbeFormatter.single(results.get(0), session.style()));
        } else {
            print(ProbeFormatter.table(results, session.style(), session.width())
                    + ProbeFormatter.summaryLine(LabProbes.summary(results, elapsed), session.style()));
        }
        return LabProbes.exitCode(results).code();
    }

    private int matrix() {
        Lab lab = lab(session, "probe --matrix");
        LabProbes.requireProbes(lab);
        List<MatrixCommand.PortProto> portList = new ArrayList<>();
        for (String p : ports == null ? List.of("80/TCP") : ports) {
            portList.add(MatrixCommand.PortProto.parse(p));
        }
        List<String> podKeys = new ArrayList<>();
        List<LabProbes.Flow> flows = session.source().read(index -> {
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
            List<LabProbes.Flow> out = new ArrayList<>();
            for (Endpoint e : pods) {
                podKeys.add(e.key());
            }
            for (MatrixCommand.PortProto pp : portList) {
                for (Endpoint from : pods) {
                    for (Endpoint to : pods) {
                        if (from.key().equals(to.key())) {
                            continue;
                        }
                        FlowTrace t = tracer.trace(FlowEnd.of(from), FlowEnd.of(to), pp.protocol(), pp.port());
                        out.add(new LabProbes.Flow(
                                from.key(), to.key(), to.primaryIp(), pp.protocol(), pp.port(), t, null));
                    }
                }
            }
            return out;
        });
        long start = System.nanoTime();
        List<LabProbes.Measured> results;
        try (Progress progress = new Progress(session.err(), session.width() > 0, "probes", flows.size())) {
            results = LabProbes.run(lab, flows, timeout(), (r, done, total) -> progress.update(done));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Object> summary = LabProbes.summary(results, elapsed);
        List<String> portNames =
                portList.stream().map(MatrixCommand.PortProto::toString).toList();
        if (format().structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("pods", podKeys);
            tree.put("ports", portNames);
            List<Object> cells = new ArrayList<>();
            for (LabProbes.Measured m : results) {
                cells.add(m.cell());
            }
            tree.put("cells", cells);
            tree.put("summary", summary);
            printTree(tree);
        } else {
            print(ProbeFormatter.grid(podKeys, portNames, results, session.style())
                    + ProbeFormatter.summaryLine(summary, session.style())
                    + ProbeFormatter.disagreements(results, session.style(), 20));
        }
        return LabProbes.exitCode(results).code();
    }

    private static String overall(List<LabProbes.Measured> results) {
        ExitCode code = LabProbes.exitCode(results);
        return switch (code) {
            case OK -> "allow";
            case NEGATIVE -> "deny";
            default -> results.stream().anyMatch(m -> !m.known()) ? "unknown" : "mixed";
        };
    }

    /**
     * {@code trace --live}: the engine's walkthrough, then a real probe and the kernel rules whose counters it moved.
     */
    static int liveTrace(Session session, List<String> words, String ns, OutputFormat format) {
        Lab lab = lab(session, "trace --live");
        LabProbes.requireProbes(lab);
        FlowSpec spec = FlowSpec.parse(words);
        List<LabProbes.Flow> flows = flows(session, spec, ns);
        if (flows.size() > 16) {
            throw TortieException.usage("trace --live probes one flow at a time; " + flows.size()
                    + " flows is too many (name pods, not namespaces)");
        }
        Map<String, List<String>> hints = new LinkedHashMap<>();
        List<LiveTrace.Result> results = LiveTrace.run(
                lab, flows, LabProbes.DEFAULT_TIMEOUT, query -> session.source().read(query));
        if (format.structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            List<Object> out = new ArrayList<>();
            for (LiveTrace.Result r : results) {
                Map<String, Object> flow = new LinkedHashMap<>();
                if (r.probe().flow().trace() != null) {
                    flow.put(
                            "trace",
                            dev.tortie.shell.output.TraceFormatter.flowTree(
                                    r.probe().flow().trace(), hints));
                }
                flow.put("live", LiveTrace.tree(r));
                out.add(flow);
            }
            tree.put("flows", out);
            session.out().print(format.render(tree));
        } else {
            StringBuilder sb = new StringBuilder();
            for (LiveTrace.Result r : results) {
                LabProbes.Flow f = r.probe().flow();
                if (f.trace() != null) {
                    sb.append(dev.tortie.shell.output.TraceFormatter.walkthrough(f.trace(), session.style(), hints));
                } else {
                    sb.append(f.from())
                            .append(" -> ")
                            .append(f.to())
                            .append(": ")
                            .append(session.style().yellow("UNKNOWN"))
                            .append(" (")
                            .append(f.problem())
                            .append(")\n");
                }
                sb.append(ProbeFormatter.live(r, session.style())).append('\n');
            }
            session.out().print(sb);
        }
        session.out().flush();
        return LiveTrace.exitCode(results).code();
    }
}
