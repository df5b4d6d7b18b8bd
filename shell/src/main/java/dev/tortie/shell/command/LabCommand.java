package dev.tortie.shell.command;

import dev.tortie.shell.agent.Dataplanes;
import dev.tortie.shell.lab.Lab;
import dev.tortie.shell.lab.LabSource;
import dev.tortie.shell.output.Table;
import dev.tortie.shell.probe.Progress;
import dev.tortie.shell.session.ClusterSource;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "lab",
        description = {
            "The local lab: a one-node cluster on this machine (embedded API server, pods as network namespaces, the",
            "node agent enforcing policy in the kernel). Everything it creates is removed by 'lab down' and on exit."
        },
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Load.class},
        mixinStandardHelpOptions = true)
public final class LabCommand implements Runnable {
    private final Session session;

    public LabCommand(Session session) {
        this.session = session;
    }

    @Override
    public void run() {
        throw TortieException.usage("lab needs a subcommand: up, down, status or load PATH");
    }

    /** The session's lab source, or null when the session reads something else (or nothing yet). */
    static LabSource current(Session session) {
        try {
            ClusterSource source = session.source();
            return source instanceof LabSource lab ? lab : null;
        } catch (TortieException e) {
            return null; // no cluster source configured: 'lab up' makes one
        }
    }

    static LabSource require(Session session) {
        LabSource lab = current(session);
        if (lab == null) {
            throw TortieException.usage("no lab in this session: run 'lab up' (or start with tortie --lab)");
        }
        return lab;
    }

    /** Lab state changes are reported on stderr, so one-shot stdout carries only the queries' output. */
    static void note(Session session, String line) {
        session.err().println(line);
        session.err().flush();
    }

    static String describe(Lab lab) {
        StringBuilder sb = new StringBuilder("lab up: API ")
                .append(lab.api().url())
                .append(", node ")
                .append(lab.node());
        if (lab.network() != null) {
            sb.append(", ")
                    .append(lab.options().dataplane())
                    .append(" dataplane in ")
                    .append(lab.network().nodeNamespace());
        } else {
            sb.append("; probes unavailable: ").append(lab.probesUnavailable());
        }
        return sb.toString();
    }

    @Command(
            name = "up",
            description = "Start the lab (and make it this session's cluster).",
            mixinStandardHelpOptions = true)
    public static final class Up extends BaseCommand {
        @Option(names = "--dataplane", paramLabel = "iptables|bpf", description = "Dataplane for a new lab.")
        String dataplane;

        public Up(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            LabSource lab = current(session);
            if (lab != null) {
                if (dataplane != null
                        && !Dataplanes.check(dataplane).equals(lab.options().dataplane())) {
                    throw TortieException.usage("the lab's dataplane is "
                            + lab.options().dataplane() + "; run 'lab down' first to change it");
                }
                boolean started = lab.up();
                note(
                        session,
                        started
                                ? describe(lab.lab())
                                : "the lab is already up (" + lab.lab().api().url() + ")");
                return 0;
            }
            Lab.Options options =
                    Lab.Options.defaults().withDataplane(dataplane == null ? Dataplanes.IPTABLES : dataplane);
            LabSource started = LabSource.start(options, line -> session.warn("lab: " + line));
            session.replaceSource(started);
            note(session, describe(started.lab()) + " (this session now reads the lab)");
            return 0;
        }
    }

    @Command(
            name = "down",
            description = "Stop the lab and remove everything it created.",
            mixinStandardHelpOptions = true)
    public static final class Down extends BaseCommand {
        public Down(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            LabSource lab = current(session);
            if (lab == null || !lab.isUp()) {
                note(session, "no lab is running");
                return 0;
            }
            String what = lab.lab().network() == null
                    ? ""
                    : " (namespaces of " + lab.lab().network().prefix() + ")";
            lab.down();
            note(session, "lab down: API server, pods and node removed" + what);
            return 0;
        }
    }

    @Command(
            name = "status",
            description = "What the lab runs and whether it has settled.",
            mixinStandardHelpOptions = true)
    public static final class Status extends BaseCommand {
        public Status(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            LabSource lab = current(session);
            Map<String, Object> status = lab == null ? Map.of("state", "none") : lab.status();
            if (format().structured()) {
                printTree(status);
                return 0;
            }
            Table table = new Table("", "");
            flatten("", status, table);
            print(table.render(session.width()));
            return 0;
        }

        private static void flatten(String prefix, Map<String, Object> tree, Table table) {
            for (Map.Entry<String, Object> e : tree.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> sub = (Map<String, Object>) m;
                    flatten(prefix + e.getKey() + ".", sub, table);
                } else if (e.getValue() instanceof List<?> l) {
                    table.row(prefix + e.getKey(), l.size() + (l.size() == 1 ? " item" : " items"));
                } else {
                    table.row(prefix + e.getKey(), String.valueOf(e.getValue()));
                }
            }
        }
    }

    @Command(
            name = "load",
            description = {
                "Apply manifests (Namespaces, Deployments, Pods, NetworkPolicies, Calico policies) to the lab and wait",
                "until the pods run and the node enforces them. Everything is validated first: all or nothing.",
                "The report goes to stderr (stdout with an explicit -o json|yaml on this command)."
            },
            mixinStandardHelpOptions = true)
    public static final class Load extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders of YAML/JSON manifests.")
        List<Path> paths;

        public Load(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            LabSource lab = require(session);
            Lab.LoadReport report;
            try (Progress progress = new Progress(session.err(), session.width() > 0, "", 0)) {
                report = lab.load(paths, line -> progress.status("lab load: " + line));
            }
            if (output != null && format().structured()) {
                Map<String, Object> tree = new LinkedHashMap<>();
                tree.put("applied", report.applied());
                tree.put("pods", report.pods());
                tree.put("elapsedMs", report.elapsed().toMillis());
                tree.put("enforced", lab.lab().network() != null);
                printTree(tree);
                return 0;
            }
            StringBuilder sb = new StringBuilder();
            for (String line : report.applied()) {
                sb.append(line).append('\n');
            }
            sb.append("lab load: ")
                    .append(report.applied().size())
                    .append(report.applied().size() == 1 ? " object, " : " objects, ")
                    .append(report.pods())
                    .append(report.pods() == 1 ? " pod" : " pods")
                    .append(" running; ")
                    .append(
                            lab.lab().network() != null
                                    ? "enforced by the node"
                                    : "not enforced (probes unavailable: "
                                            + lab.lab().probesUnavailable() + ")")
                    .append(" after ")
                    .append(report.elapsed().toMillis())
                    .append(" ms\n");
            // A report on building the lab, like progress: stderr, so stdout stays the next command's (-o json).
            session.err().print(sb);
            session.err().flush();
            return 0;
        }
    }
}
