package dev.tortie.dataplane.os;

import java.util.List;

/** A command exited non-zero (or could not start); carries argv, exit code and an excerpt of stderr. */
public final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(message(result));
        this.result = result;
    }

    public CommandFailedException(List<String> argv, String reason, Throwable cause) {
        super(String.join(" ", argv) + ": " + reason, cause);
        this.result = new CommandResult(argv, -1, "", reason);
    }

    public CommandResult result() {
        return result;
    }

    private static String message(CommandResult r) {
        String err = r.stderr().strip();
        if (err.length() > 400) {
            err = err.substring(0, 400) + "...";
        }
        return String.join(" ", r.argv()) + " exited " + r.exitCode() + (err.isEmpty() ? "" : ": " + err);
    }
}
