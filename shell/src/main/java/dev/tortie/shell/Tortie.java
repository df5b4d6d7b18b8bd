package dev.tortie.shell;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.shell.command.ErrorMapper;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.command.Tokenizer;
import dev.tortie.shell.kube.KubeOptions;
import dev.tortie.shell.kube.KubeReporter;
import dev.tortie.shell.kube.KubeSource;
import dev.tortie.shell.lab.Lab;
import dev.tortie.shell.lab.LabSource;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.repl.Repl;
import dev.tortie.shell.runbook.RunbookRunner;
import dev.tortie.shell.session.ClusterConfigured;
import dev.tortie.shell.session.ClusterSource;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.SnapshotSource;
import dev.tortie.shell.session.TortieException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The application: global options, then one of: {@code -c "CMD; CMD"}, {@code -f RUNBOOK}, a command given directly
 * ({@code tortie trace a -> b:80}), or (on a terminal) the REPL. Wiring only: commands do the work.
 */
@Command(
        name = "tortie",
        mixinStandardHelpOptions = true,
        version = "tortie 0.1.0",
        description = {
            "Kubernetes and Calico network policy: trace, probe, apply and enforce.",
            "",
            "Runs commands against a cluster source: manifests on disk (--snapshot), the current kubeconfig"
                    + " context, or the local lab (--lab). With no command on a terminal it opens the interactive"
                    + " shell, on the lab with the starting article's scenario when no cluster is configured."
        },
        footer = {
            "",
            "Exit status: 0 allowed / no change, 1 denied / changes, 2 mixed or undecidable, 3 usage error,"
                    + " 4 bad input, 5 cluster error, 6 internal error."
        })
public final class Tortie implements Callable<Integer> {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final boolean interactiveTerminal;

    @Option(
            names = "--snapshot",
            paramLabel = "PATH",
            description = "Read the cluster from manifests (file or folder, YAML or JSON; repeatable).")
    List<Path> snapshots = new ArrayList<>();

    @Option(
            names = "--kubeconfig",
            paramLabel = "PATH",
            description = "Kubeconfig file for live clusters (default: $KUBECONFIG, ~/.kube/config, in-cluster).")
    String kubeconfig;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Kubeconfig context (default: the current context).")
    String context;

    @Option(
            names = "--lab",
            description = "Use the local lab: an embedded API server, pods as network namespaces and the node agent"
                    + " enforcing policy in the kernel (probes need root). Removed on exit.")
    boolean lab;

    @Option(
            names = "--dataplane",
            paramLabel = "iptables|bpf",
            description = "With --lab: how the lab node enforces policy (default iptables).")
    String dataplane;

    @Option(
            names = {"-c", "--command"},
            paramLabel = "COMMANDS",
            description = "Run commands (separated by ';') and exit.")
    String commands;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "RUNBOOK",
            description = "Run a runbook: one command per line, # comments, expect assertions; stops at the first"
                    + " failure.")
    Path runbook;

    @Option(
            names = "--keep-going",
            description = "With -f: run every command even after a failure (the exit status still reports it).")
    boolean keepGoing;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "Default output format: table, wide, json or yaml.")
    String output;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Current namespace (default: from the source).")
    String namespace;

    @Option(names = "--no-color", description = "Never use colour (also: NO_COLOR set, or output not a terminal).")
    boolean noColor;

    @Option(names = "--debug", description = "Show stack traces for errors.")
    boolean debug;

    @Parameters(
            paramLabel = "COMMAND",
            arity = "0..*",
            description = "A command to run directly, e.g. trace a -> b:80.")
    List<String> direct = new ArrayList<>();

    public Tortie(PrintWriter out, PrintWriter err, Map<String, String> env, boolean interactiveTerminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.interactiveTerminal = interactiveTerminal;
    }

    /** Parses the process arguments and runs; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, boolean tty) {
        Tortie app = new Tortie(out, err, env, tty);
        CommandLine cl = new CommandLine(app);
        cl.setOut(out);
        cl.setErr(err);
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setStopAtPositional(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("usage: " + ex.getCommandLine().getHelp().synopsis(0).trim() + "   (see tortie --help)");
            err.flush();
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            err.println("error: " + ErrorMapper.messageOf(ex));
            err.flush();
            return ErrorMapper.exitCodeOf(ex).code();
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        boolean color = !noColor && interactiveTerminal && !env.containsKey("NO_COLOR");
        OutputFormat format = output == null ? OutputFormat.TABLE : OutputFormat.parse(output);
        if (commands == null && runbook == null && direct.isEmpty() && interactiveTerminal) {
            return startRepl(format);
        }
        Session session = newSession(out, err, new Style(color), terminalWidth(), format);
        try (session) {
            if (runbook != null) {
                if (commands != null || !direct.isEmpty()) {
                    throw TortieException.usage("-f runs the commands in the runbook: drop -c and direct commands");
                }
                return new RunbookRunner(session, keepGoing).run(runbook);
            }
            if (commands != null) {
                return runCommands(session, commands);
            }
            if (!direct.isEmpty()) {
                return ShellCommands.run(session, direct);
            }
            throw TortieException.usage("nothing to do: give a command, -c \"COMMANDS\", or run on a terminal"
                    + " for the interactive shell (see tortie --help)");
        } catch (RuntimeException e) {
            return ErrorMapper.report(session, e);
        }
    }

    private Session newSession(PrintWriter o, PrintWriter e, Style style, int width, OutputFormat format) {
        Session session = new Session(o, e, style, width, Clock.systemUTC(), env, this::openSource, format, namespace);
        session.setDebug(debug);
        if (snapshots.isEmpty()) {
            session.setContextSwitcher(this::openContext); // a snapshot has no contexts: 'use context' says so
        }
        return session;
    }

    /** The interactive shell on this process's terminal; colour and width come from the terminal. */
    private int startRepl(OutputFormat format) {
        boolean colorAllowed = !noColor && !env.containsKey("NO_COLOR");
        try {
            return Repl.start(env, colorAllowed, (o, e, style, width) -> newSession(o, e, style, width, format));
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot start the interactive shell: " + ErrorMapper.messageOf(e));
            err.flush();
            return ErrorMapper.exitCodeOf(e).code();
        }
    }

    /** {@code use context NAME}: the live source for another kubeconfig context (the old one is closed after). */
    private ClusterSource openContext(String name) {
        boolean watch = interactiveTerminal && commands == null && runbook == null && direct.isEmpty();
        return KubeSource.open(
                new KubeOptions(kubeconfig, name, watch), env, KubeReporter.printing(err, this::reportDiagnostic));
    }

    /** Runs ';'-separated commands, stopping at the first error; the exit code is the last command's. */
    static int runCommands(Session session, String text) {
        int code = 0;
        for (String command : Tokenizer.splitCommands(text)) {
            code = ShellCommands.run(session, Tokenizer.words(command));
            if (code >= ExitCode.USAGE.code()) {
                return code;
            }
        }
        return code;
    }

    private ClusterSource openSource() {
        if (lab) {
            if (!snapshots.isEmpty() || kubeconfig != null || context != null) {
                throw TortieException.usage(
                        "--lab is a cluster source of its own: drop --snapshot, --kubeconfig and --context");
            }
            Lab.Options options = Lab.Options.defaults().withDataplane(dataplane == null ? "iptables" : dataplane);
            return LabSource.start(options, line -> {
                err.println("lab: " + line);
                err.flush();
            });
        }
        if (dataplane != null) {
            throw TortieException.usage("--dataplane applies to the lab: add --lab");
        }
        if (!snapshots.isEmpty()) {
            SnapshotSource source =
                    SnapshotSource.load(snapshots, Clock.systemUTC().instant(), this::reportDiagnostic);
            long leftOut = source.loadResult().errors().stream()
                    .filter(d -> d.object() != null)
                    .count();
            if (source.loadResult().hasErrors()) {
                err.println("warning: the snapshot is incomplete: "
                        + source.loadResult().errors().size()
                        + " error(s) above; " + (leftOut == 1 ? "1 object was" : leftOut + " objects were")
                        + " left out");
                err.flush();
            }
            return source;
        }
        // The REPL keeps the model current with watches; one-shot commands list once (fast).
        boolean watch = interactiveTerminal && commands == null && runbook == null && direct.isEmpty();
        if (watch && kubeconfig == null && context == null && !ClusterConfigured.any(env)) {
            // No cluster configured: the interactive shell opens on the local lab with the article's scenario.
            err.println("no kubeconfig found: starting the local lab with the starting article's scenario"
                    + " (examples/article); use --kubeconfig, --snapshot or --lab to choose");
            err.flush();
            return LabSource.startWithArticle(
                    Lab.Options.defaults(),
                    line -> {
                        err.println("lab: " + line);
                        err.flush();
                    },
                    line -> {
                        err.println("lab: " + line);
                        err.flush();
                    });
        }
        return KubeSource.open(
                new KubeOptions(kubeconfig, context, watch), env, KubeReporter.printing(err, this::reportDiagnostic));
    }

    private void reportDiagnostic(Diagnostic d) {
        switch (d.severity()) {
            case ERROR -> err.println("error: " + d);
            case WARNING -> err.println("warning: " + d);
            case INFO -> {
                if (debug) {
                    err.println("info: " + d);
                }
            }
        }
        err.flush();
    }

    private int terminalWidth() {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                return Integer.parseInt(columns.trim());
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return interactiveTerminal ? 120 : 0;
    }
}
