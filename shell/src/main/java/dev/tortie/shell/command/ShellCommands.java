package dev.tortie.shell.command;

import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command grammar shared by one-shot {@code -c}, runbooks and the REPL. A fresh CommandLine per command keeps
 * option state from leaking between commands.
 */
@Command(
        name = "tortie",
        subcommands = {
            EndpointsCommand.class,
            PoliciesCommand.class,
            TraceCommand.class,
            MatrixCommand.class,
            PolicyCommand.class,
            ExplainCommand.class,
            LintCommand.class,
            ApplyCommand.class,
            DiffCommand.class,
            DeleteCommand.class,
            ExpectCommand.class,
            UseCommand.class,
            ExitCommand.class,
            ProbeCommand.class,
            LabCommand.class,
            AgentCommand.class,
            RenderCommand.class,
            FlowsCommand.class,
            NodeCommand.class,
            CommandLine.HelpCommand.class
        },
        description = "Commands")
public final class ShellCommands {
    /** Every top-level command class, for help, man pages and completion. */
    public static final List<Class<?>> COMMANDS = List.of(
            EndpointsCommand.class,
            PoliciesCommand.class,
            TraceCommand.class,
            MatrixCommand.class,
            PolicyCommand.class,
            ExplainCommand.class,
            LintCommand.class,
            ApplyCommand.class,
            DiffCommand.class,
            DeleteCommand.class,
            ExpectCommand.class,
            UseCommand.class,
            ExitCommand.class,
            ProbeCommand.class,
            LabCommand.class,
            AgentCommand.class,
            RenderCommand.class,
            FlowsCommand.class,
            NodeCommand.class);

    private ShellCommands() {}

    public static CommandLine newCommandLine(Session session) {
        CommandLine cl = new CommandLine(ShellCommands.class, new CommandFactory(session));
        configure(cl, session);
        return cl;
    }

    static void configure(CommandLine cl, Session session) {
        cl.setOut(session.out());
        cl.setErr(session.err());
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            if (c.getCommandSpec().userObject() instanceof ShellCommands
                    && ex instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getUnmatched().isEmpty()) {
                String word = unmatched.getUnmatched().get(0);
                List<String> suggestions = unmatched.getSuggestions();
                session.err()
                        .println(session.style().red("error: ") + "unknown command '" + word + "'"
                                + (suggestions.isEmpty()
                                        ? ""
                                        : "; did you mean " + String.join(" or ", suggestions) + "?")
                                + " (commands: "
                                + String.join(
                                        ", ",
                                        c.getSubcommands().entrySet().stream()
                                                .filter(e -> e.getKey()
                                                        .equals(e.getValue().getCommandName()))
                                                .map(Map.Entry::getKey)
                                                .toList())
                                + ")");
                session.err().flush();
                return ExitCode.USAGE.code();
            }
            session.err().println(session.style().red("error: ") + ex.getMessage());
            session.err()
                    .println("usage: " + c.getHelp().synopsis(0).trim() + "   (see 'help " + c.getCommandName() + "')");
            session.err().flush();
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> ErrorMapper.report(session, ex));
    }

    /** Runs one command line (already split into words); returns its exit code. */
    public static int run(Session session, List<String> words) {
        if (words.isEmpty()) {
            return 0;
        }
        CommandLine cl = newCommandLine(session);
        int code = cl.execute(words.toArray(new String[0]));
        session.out().flush();
        session.err().flush();
        return code;
    }
}
