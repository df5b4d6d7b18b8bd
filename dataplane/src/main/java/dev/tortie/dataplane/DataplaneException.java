package dev.tortie.dataplane;

import dev.tortie.dataplane.os.CommandResult;
import java.util.List;

/**
 * The kernel refused a dataplane change (or could not be read). Carries the failing command's argv, exit code and
 * stderr, and what was being done. The previous good state is still in force unless {@link #stateChanged()} says
 * otherwise; the caller may retry.
 */
public final class DataplaneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String stage;
    private final transient CommandResult result;
    private final boolean stateChanged;

    public DataplaneException(String stage, CommandResult result, boolean stateChanged, Throwable cause) {
        super(message(stage, result, stateChanged), cause);
        this.stage = stage;
        this.result = result;
        this.stateChanged = stateChanged;
    }

    /** What was being done, e.g. {@code iptables-restore (filter delta)}. */
    public String stage() {
        return stage;
    }

    /** The failing command, or null when the failure was not a command's. */
    public CommandResult result() {
        return result;
    }

    public List<String> argv() {
        return result == null ? List.of() : result.argv();
    }

    public String stderr() {
        return result == null ? "" : result.stderr();
    }

    /**
     * True when part of the change could not be rolled back (only in the rare repair path for a set whose type was
     * tampered with; then the affected chains drop everything until a retry succeeds).
     */
    public boolean stateChanged() {
        return stateChanged;
    }

    private static String message(String stage, CommandResult r, boolean stateChanged) {
        StringBuilder sb = new StringBuilder(stage).append(" failed");
        if (r != null) {
            sb.append(": ")
                    .append(String.join(" ", r.argv()))
                    .append(" exited ")
                    .append(r.exitCode());
            String err = r.stderr().strip();
            if (err.length() > 600) {
                err = err.substring(0, 600) + "...";
            }
            if (!err.isEmpty()) {
                sb.append(": ").append(err);
            }
        }
        sb.append(stateChanged ? " (partially applied; retry to converge)" : " (previous state kept)");
        return sb.toString();
    }
}
