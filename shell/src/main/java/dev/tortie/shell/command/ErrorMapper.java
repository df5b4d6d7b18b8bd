package dev.tortie.shell.command;

import dev.tortie.engine.selector.SelectorSyntaxException;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.io.PrintWriter;
import java.io.StringWriter;

/** The one place that turns failures into {@code error: <message>} and an exit code. */
public final class ErrorMapper {
    private ErrorMapper() {}

    public static ExitCode exitCodeOf(Throwable t) {
        if (t instanceof TortieException te) {
            return te.exitCode();
        }
        if (t instanceof SelectorSyntaxException) {
            return ExitCode.USAGE;
        }
        if (t instanceof picocli.CommandLine.ParameterException) {
            return ExitCode.USAGE;
        }
        if (t instanceof IllegalArgumentException) {
            return ExitCode.INPUT;
        }
        return ExitCode.INTERNAL;
    }

    public static String messageOf(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        if (exitCodeOf(t) == ExitCode.INTERNAL) {
            return "internal error: " + message + " (run with --debug for details)";
        }
        return message;
    }

    /** Prints the error and returns the exit code. */
    public static int report(Session session, Throwable t) {
        session.err().println(session.style().red("error: ") + messageOf(t));
        if (session.debug()) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            session.err().print(trace);
        }
        session.err().flush();
        return exitCodeOf(t).code();
    }
}
