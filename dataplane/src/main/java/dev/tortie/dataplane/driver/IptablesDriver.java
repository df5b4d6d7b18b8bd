package dev.tortie.dataplane.driver;

import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.os.CommandFailedException;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.plan.IptablesSaveParser;
import dev.tortie.dataplane.plan.ObservedTable;
import java.time.Duration;

/** Reads and writes the filter table through one backend's save/restore tools. */
public final class IptablesDriver {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final CommandRunner runner;
    private final IptablesBackend backend;

    public IptablesDriver(CommandRunner runner, IptablesBackend backend) {
        this.runner = runner;
        this.backend = backend;
    }

    public IptablesBackend backend() {
        return backend;
    }

    /** The filter table as saved (with counters). */
    public String readText() {
        CommandResult r = run(backend.saveFilterArgv(), null, "iptables-save (read back)");
        return r.stdout();
    }

    public ObservedTable read() {
        return IptablesSaveParser.parse(readText());
    }

    /** Runs one {@code iptables-restore --noflush} transaction: all of it applies, or nothing. */
    public void restore(String text, String stage) {
        run(backend.restoreArgv(), text, stage);
    }

    private CommandResult run(java.util.List<String> argv, String stdin, String stage) {
        CommandResult r;
        try {
            r = runner.run(argv, stdin, TIMEOUT);
        } catch (CommandFailedException e) {
            throw new DataplaneException(stage, e.result(), false, e);
        }
        if (!r.ok()) {
            throw new DataplaneException(stage, r, false, null);
        }
        return r;
    }
}
