package dev.tortie.shell.command;

import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.session.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What every command shares: the injected session and {@code -o}. */
public abstract class BaseCommand implements Callable<Integer> {
    protected final Session session;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "Output format: table, wide, json or yaml (default: table, or the global -o).")
    String output;

    protected BaseCommand(Session session) {
        this.session = session;
    }

    protected OutputFormat format() {
        return output == null ? session.format() : OutputFormat.parse(output);
    }

    /** Table width: the terminal's, or unlimited with -o wide (nothing is cut). */
    protected int width() {
        return format() == OutputFormat.WIDE ? 0 : session.width();
    }

    /** Prints a structured tree in the chosen format (json/yaml). */
    protected void printTree(Object tree) {
        session.out().print(format().render(tree));
        session.out().flush();
    }

    protected void print(String text) {
        session.out().print(text);
        session.out().flush();
    }
}
