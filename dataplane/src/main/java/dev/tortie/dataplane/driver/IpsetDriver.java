package dev.tortie.dataplane.driver;

import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.os.CommandFailedException;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.plan.IpsetSaveParser;
import dev.tortie.dataplane.plan.ObservedSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads ({@code ipset save}) and writes ({@code ipset restore}) IP sets. Unlike iptables-restore, ipset restore stops
 * at the first failing line with the earlier ones applied; {@link IptablesDataplane} rolls back from the read-back
 * state.
 */
public final class IpsetDriver {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final CommandRunner runner;

    public IpsetDriver(CommandRunner runner) {
        this.runner = runner;
    }

    /** Tortie's sets (by name prefix) with their members. */
    public Map<String, ObservedSet> read() {
        return IpsetSaveParser.parse(
                run(List.of("ipset", "save"), null, "ipset save (read back)").stdout());
    }

    public void restore(String text, String stage) {
        run(List.of("ipset", "restore"), text, stage);
    }

    private CommandResult run(List<String> argv, String stdin, String stage) {
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
