package dev.tortie.dataplane.lab;

import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.Netns;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-run prefix of every namespace a lab or privileged test creates: {@code tortie-<pid hex>-<4 random hex>}.
 *
 * <p>The pid makes leftovers attributable: a namespace whose creator is gone (a crashed or killed run) is swept by the
 * next run's {@link #sweepStale}; namespaces of live processes and names in any other format are never touched.
 */
public final class RunPrefix {
    private static final Pattern FORMAT = Pattern.compile(Names.PROJECT + "-([0-9a-f]{1,16})-([0-9a-f]{4})");
    /** A run-owned object name: the prefix alone or the prefix, a dash and a suffix. */
    private static final Pattern OWNED_NAME = Pattern.compile("(" + FORMAT.pattern() + ")(?:-.+)?");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final long pid;

    private RunPrefix(String value, long pid) {
        this.value = value;
        this.pid = pid;
    }

    /** A fresh prefix for this process. */
    public static RunPrefix create() {
        return forPid(ProcessHandle.current().pid(), RANDOM.nextInt(0x10000));
    }

    /** The prefix {@code tortie-<pid hex>-<salt as 4 hex>} (tests use this for predictable names). */
    public static RunPrefix forPid(long pid, int salt) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " must be positive");
        }
        if (salt < 0 || salt > 0xffff) {
            throw new IllegalArgumentException("salt " + salt + " out of range 0-0xffff");
        }
        return new RunPrefix(
                Names.PROJECT + "-" + Long.toHexString(pid) + "-" + String.format(Locale.ROOT, "%04x", salt), pid);
    }

    /** Parses a prefix exactly ({@code tortie-1a2b-00ff}); throws for anything else. */
    public static RunPrefix parse(String text) {
        Objects.requireNonNull(text, "text == null");
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid run prefix '" + text + "' (expected tortie-<pid hex>-<4 hex>)");
        }
        return new RunPrefix(text, Long.parseUnsignedLong(m.group(1), 16));
    }

    /** The run prefix that owns {@code name} (the prefix itself or {@code <prefix>-<anything>}), if any. */
    public static Optional<RunPrefix> owner(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = OWNED_NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseUnsignedLong(m.group(2), 16);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (pid <= 0) {
            return Optional.empty();
        }
        return Optional.of(new RunPrefix(m.group(1), pid));
    }

    public String value() {
        return value;
    }

    /** The pid of the process that created this prefix. */
    public long pid() {
        return pid;
    }

    /** {@code <prefix>-<suffix>}. */
    public String name(String suffix) {
        Objects.requireNonNull(suffix, "suffix == null");
        return value + "-" + suffix;
    }

    /** True when {@code name} belongs to this run. */
    public boolean owns(String name) {
        return owner(name).map(this::equals).orElse(false);
    }

    /** The namespaces of this run that currently exist. */
    public List<String> namespaces(CommandRunner runner) {
        List<String> mine = new ArrayList<>();
        for (String name : Netns.list(runner)) {
            if (owns(name)) {
                mine.add(name);
            }
        }
        return mine;
    }

    /** Deletes every namespace of this run (whatever state it is in); returns the names it deleted. */
    public List<String> deleteNamespaces(CommandRunner runner) {
        List<String> mine = namespaces(runner);
        Netns.deleteAll(runner, mine);
        return mine;
    }

    /** Deletes namespaces left by runs whose process no longer exists; returns their names. */
    public static List<String> sweepStale(CommandRunner runner) {
        return sweepStale(runner, RunPrefix::isAlive);
    }

    /**
     * Deletes the namespaces in {@code tortie-<pid hex>-<4 hex>[-...]} format whose pid {@code pidAlive} reports dead.
     * The current process always counts as alive. Returns the deleted names.
     */
    public static List<String> sweepStale(CommandRunner runner, LongPredicate pidAlive) {
        long self = ProcessHandle.current().pid();
        List<String> stale = new ArrayList<>();
        for (String name : Netns.list(runner)) {
            Optional<RunPrefix> owner = owner(name);
            if (owner.isEmpty()) {
                continue;
            }
            long pid = owner.get().pid();
            if (pid != self && !pidAlive.test(pid)) {
                stale.add(name);
            }
        }
        if (!stale.isEmpty()) {
            CommandResult result = Netns.deleteAll(runner, stale);
            if (!result.ok()) {
                // Keep only those that are really gone, so the caller's report is truthful.
                List<String> left = Netns.list(runner);
                stale.removeIf(left::contains);
            }
        }
        return stale;
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunPrefix other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
