package dev.tortie.shell.command;

import dev.tortie.shell.session.Session;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code exit} / {@code quit}: leaves the interactive shell (Ctrl-D does the same) or ends a runbook early. The REPL
 * and the runbook runner recognise it after it ran; the command itself only succeeds.
 */
@Command(
        name = "exit",
        aliases = "quit",
        description = "Leave the interactive shell (same as Ctrl-D); in a runbook, stop here.",
        mixinStandardHelpOptions = true)
public final class ExitCommand extends BaseCommand {
    public ExitCommand(Session session) {
        super(session);
    }

    /** True when {@code words} is a plain call of this command (what the REPL and runbooks check). */
    public static boolean isExit(List<String> words) {
        return words.size() == 1 && (words.get(0).equals("exit") || words.get(0).equals("quit"));
    }

    @Override
    public Integer call() {
        return 0;
    }
}
