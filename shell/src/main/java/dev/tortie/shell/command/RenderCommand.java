package dev.tortie.shell.command;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.bpf.polprog.PolicyProgram;
import dev.tortie.dataplane.bpf.polprog.PolicyProgramBuilder;
import dev.tortie.dataplane.render.ipset.IpsetRenderer;
import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.dataplane.render.iptables.IptablesRenderer;
import dev.tortie.dataplane.render.iptables.Ruleset;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.format.IrFormatter;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IpSetDefinition;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.shell.lab.LabSource;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "render",
        description = {
            "Print what a dataplane would program for an endpoint or a node: iptables-restore rules, ipset restore",
            "text, eBPF disassembly (rule ids as comments) or the engine's IR. With --kernel in the lab: what the",
            "node has programmed right now (read back from the kernel)."
        },
        mixinStandardHelpOptions = true)
public final class RenderCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "iptables|ipset|bpf|ir", description = "What to render.")
    String what;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "ENDPOINT",
            description = "ns/pod, or a pod in the current namespace.")
    String endpoint;

    @Option(names = "--node", paramLabel = "NODE", description = "Every endpoint on this node (instead of ENDPOINT).")
    String node;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Namespace for a bare pod name.")
    String namespace;

    @Option(names = "--direction", paramLabel = "ingress|egress", description = "bpf: one direction (default both).")
    String direction;

    @Option(
            names = "--interface-prefix",
            paramLabel = "PREFIX",
            description = "Workload interface prefix (default cali).")
    String interfacePrefix;

    @Option(names = "--kernel", description = "In the lab: show what the node's kernel holds now (iptables/ipset).")
    boolean kernel;

    public RenderCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        String kind = what.toLowerCase(Locale.ROOT);
        if (!List.of("iptables", "ipset", "bpf", "ir").contains(kind)) {
            throw TortieException.usage("render what? use iptables, ipset, bpf or ir (not '" + what + "')");
        }
        if (kernel) {
            print(kernelState(kind));
            return 0;
        }
        if ((endpoint == null) == (node == null) && !kind.equals("ir")) {
            throw TortieException.usage("give an ENDPOINT (ns/pod) or --node NODE");
        }
        DataplaneConfig config = interfacePrefix == null
                ? DataplaneConfig.defaults()
                : DataplaneConfig.builder()
                        .interfacePrefixes(List.of(interfacePrefix))
                        .build();
        String ns = namespace != null ? namespace : session.namespace();
        String text = session.source().read(index -> {
            NodeProgram program = endpoint != null ? forEndpoint(index, endpoint, ns) : index.nodeProgram(node);
            if (program.endpoints().isEmpty()) {
                throw TortieException.input("no endpoints on node '" + node + "'");
            }
            return switch (kind) {
                case "iptables" -> IptablesRenderer.render(program, config).toRestoreText();
                case "ipset" -> ipset(program, config);
                case "bpf" -> bpf(program);
                default -> IrFormatter.format(program, index);
            };
        });
        if (format().structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("render", kind);
            tree.put("text", text);
            printTree(tree);
        } else {
            print(text);
        }
        return 0;
    }

    private static String ipset(NodeProgram program, DataplaneConfig config) {
        Ruleset rules = IptablesRenderer.render(program, config);
        IpsetRendering sets = IpsetRenderer.render(program, rules.auxiliarySets(), config);
        return sets.toRestoreText();
    }

    private String bpf(NodeProgram program) {
        StringBuilder sb = new StringBuilder();
        for (LocalEndpoint e : program.endpoints()) {
            for (Direction d : Direction.values()) {
                if (direction != null && !d.lowerName().equals(direction.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                PolicyProgram p = PolicyProgramBuilder.build(e, d);
                sb.append(p.listing()).append('\n');
            }
        }
        return sb.toString();
    }

    /** A node program holding one endpoint and the sets its programs use. */
    static NodeProgram forEndpoint(ClusterIndex index, String text, String currentNamespace) {
        Targets.Target target = Targets.resolve(index, text, currentNamespace);
        if (target.isExternal() || target.endpoints().size() != 1) {
            throw TortieException.usage("'" + text + "' is not one pod: give ns/pod");
        }
        Endpoint e = target.endpoints().get(0);
        EndpointProgram in = index.program(e, Direction.INGRESS);
        EndpointProgram out = index.program(e, Direction.EGRESS);
        Map<String, IpSetContent> sets = new TreeMap<>();
        List<IpSetDefinition> defs = new ArrayList<>(in.ipSets());
        defs.addAll(out.ipSets());
        for (IpSetDefinition d : defs) {
            sets.computeIfAbsent(d.id(), id -> new IpSetContent(d, index.ipSetMembers(id)));
        }
        return new NodeProgram(e.node(), List.of(new LocalEndpoint(e.namespace(), e.name(), e.ips(), in, out)), sets);
    }

    private String kernelState(String kind) {
        if (!(session.source() instanceof LabSource lab)
                || !lab.isUp()
                || lab.lab().network() == null) {
            throw TortieException.usage("--kernel reads the lab node's kernel: start tortie with --lab (as root)");
        }
        var runner = lab.lab().network().nodeRunner();
        return switch (kind) {
            case "iptables" -> filter(
                    runner.run("iptables-save", "-t", "filter").orThrow().stdout());
            case "ipset" -> filter(runner.run("ipset", "save").orThrow().stdout());
            default -> throw TortieException.usage("--kernel shows iptables and ipset state; for bpf use bpftool");
        };
    }

    private static String filter(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.contains("tortie") || line.startsWith("*") || line.equals("COMMIT")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
