package dev.tortie.shell.command;

import dev.tortie.shell.session.Session;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "diff",
        description = {
            "Show what applying manifests would change: every (source, destination, port) whose verdict flips.",
            "Exit status: 0 no change, 1 changes, 3+ errors (like kubectl diff)."
        },
        mixinStandardHelpOptions = true)
public final class DiffCommand extends BaseCommand {
    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE|DIR",
            required = true,
            description = "Manifests.")
    List<Path> files;

    public DiffCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        return ApplyCommand.run(session, this, files, true);
    }
}
