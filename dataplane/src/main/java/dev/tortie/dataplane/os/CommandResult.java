package dev.tortie.dataplane.os;

import java.util.List;

/** A finished command: argv, exit code and captured output. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** Throws {@link CommandFailedException} unless the command exited 0. */
    public CommandResult orThrow() {
        if (exitCode != 0) {
            throw new CommandFailedException(this);
        }
        return this;
    }
}
