package dev.tortie.shell.command;

import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.shell.agent.AgentAccess;
import dev.tortie.shell.agent.AgentLink;
import dev.tortie.shell.agent.DriftCheck;
import dev.tortie.shell.agent.KernelState;
import dev.tortie.shell.lab.LabSource;
import dev.tortie.shell.output.Table;
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
        name = "node",
        description = "Check nodes against the policy: 'node check [NODE]' finds drift between kernel and API.",
        subcommands = {NodeCommand.Check.class},
        mixinStandardHelpOptions = true)
public final class NodeCommand implements Runnable {
    public NodeCommand(Session session) {}

    @Override
    public void run() {
        throw TortieException.usage("node needs a subcommand: check [NODE]");
    }

    /** {@code 1 chain}, {@code 13 chains}, {@code 2 IP sets}. */
    static String count(int n, String kind) {
        String singular =
                switch (kind) {
                    case "chains" -> "chain";
                    case "sets" -> "IP set";
                    case "programs" -> "program";
                    default -> kind;
                };
        String plural = singular.equals(kind) && !kind.endsWith("s") ? kind + "s" : singular + "s";
        return n + " " + (n == 1 ? singular : plural);
    }

    @Command(
            name = "check",
            description = {
                "Drift check: read back what each node's kernel holds of tortie's (iptables chains, the FORWARD jump and",
                "IP sets; or eBPF programs per interface and IP-set trie entries) and compare it with what the engine",
                "compiles for that node from the API right now, rendered as the agent renders it. Lists missing, extra",
                "and changed objects. Exit status: 0 no drift, 1 drift on some node, 3+ errors."
            },
            mixinStandardHelpOptions = true)
    public static final class Check extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "NODE", description = "The node (default: every node with an agent).")
        String node;

        @Option(
                names = "--agent-namespace",
                paramLabel = "NS",
                description = "Live clusters: the namespace of the agent pods (default tortie-system).")
        String agentNamespace = AgentAccess.NAMESPACE;

        public Check(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            if (session.source() instanceof LabSource lab) {
                try {
                    // The shell's view and the agent compile from the same API: let a change in flight land first.
                    lab.awaitSettled(Duration.ofSeconds(30), line -> {});
                } catch (TortieException e) {
                    session.warn("the lab has not settled (" + e.getMessage() + "); differences may be transient");
                }
            }
            List<AgentLink> links = AgentLinks.open(session, node, agentNamespace);
            List<DriftCheck.Report> reports = new ArrayList<>();
            try {
                for (AgentLink link : links) {
                    KernelState kernel;
                    try {
                        kernel = link.kernel();
                    } catch (IllegalStateException e) {
                        throw TortieException.cluster(e.getMessage(), e);
                    }
                    NodeProgram program = session.source().read(index -> index.nodeProgram(link.node()));
                    reports.add(DriftCheck.compare(link.node(), kernel, program));
                }
            } finally {
                AgentLinks.closeAll(links);
            }
            boolean drift = reports.stream().anyMatch(DriftCheck.Report::drift);
            if (format().structured()) {
                Map<String, Object> tree = new LinkedHashMap<>();
                tree.put("drift", drift);
                tree.put(
                        "nodes", reports.stream().map(DriftCheck.Report::toTree).toList());
                printTree(tree);
                return drift ? ExitCode.NEGATIVE.code() : 0;
            }
            StringBuilder sb = new StringBuilder();
            for (DriftCheck.Report r : reports) {
                String checked = String.join(
                        ", ",
                        r.checked().entrySet().stream()
                                .sorted(Map.Entry.comparingByKey())
                                .map(e -> count(e.getValue(), e.getKey()))
                                .toList());
                if (!r.drift()) {
                    sb.append(session.style().green("no drift"))
                            .append(" on ")
                            .append(r.node())
                            .append(" (")
                            .append(r.dataplane())
                            .append(": ")
                            .append(checked)
                            .append(" as compiled)\n");
                    continue;
                }
                sb.append(session.style().red("drift"))
                        .append(" on ")
                        .append(r.node())
                        .append(" (")
                        .append(r.dataplane())
                        .append(", ")
                        .append(checked)
                        .append(" compiled): ")
                        .append(r.differences().size())
                        .append(" difference(s)\n");
                Table table = new Table("KIND", "OBJECT", "CHANGE", "DETAIL");
                for (DriftCheck.Difference d : r.differences()) {
                    table.row(d.kind(), d.object(), d.change(), d.detail());
                }
                sb.append(table.render(width()));
            }
            print(sb.toString());
            return drift ? ExitCode.NEGATIVE.code() : 0;
        }
    }
}
