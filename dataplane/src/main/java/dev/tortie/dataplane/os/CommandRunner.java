package dev.tortie.dataplane.os;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs commands from argv lists. Drivers depend on this so tests can substitute an in-memory fake. */
public interface CommandRunner {
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Runs {@code argv} with {@code stdin} (may be null); never throws for a non-zero exit. */
    CommandResult run(List<String> argv, String stdin, Duration timeout);

    default CommandResult run(List<String> argv) {
        return run(argv, null, DEFAULT_TIMEOUT);
    }

    default CommandResult run(String... argv) {
        return run(List.of(argv));
    }

    /** A runner whose commands execute inside the named network namespace ({@code ip netns exec NS ...}). */
    default CommandRunner inNetns(String netns) {
        CommandRunner outer = this;
        return (argv, stdin, timeout) -> {
            List<String> wrapped = new ArrayList<>(argv.size() + 4);
            wrapped.add("ip");
            wrapped.add("netns");
            wrapped.add("exec");
            wrapped.add(netns);
            wrapped.addAll(argv);
            return outer.run(wrapped, stdin, timeout);
        };
    }
}
