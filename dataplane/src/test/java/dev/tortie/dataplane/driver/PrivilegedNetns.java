package dev.tortie.dataplane.driver;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tortie.dataplane.os.CommandFailedException;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.ProcessRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces for privileged tests. Every name starts with {@code tortie-ipt-<pid>-}; each namespace is deleted
 * by {@link #close()}, and a shutdown hook sweeps whatever this JVM left behind. Nothing here ever touches the root
 * namespace's firewall: callers get a runner that executes inside the namespace.
 */
final class PrivilegedNetns implements AutoCloseable {
    static final String PREFIX = "tortie-ipt-" + ProcessHandle.current().pid() + "-";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ProcessRunner HOST = ProcessRunner.INSTANCE;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PrivilegedNetns::sweep, "tortie-ipt-netns-sweep"));
    }

    private final String name;

    private PrivilegedNetns(String name) {
        this.name = name;
    }

    /**
     * Skips the calling test (visibly, with the reason) unless it runs as root, can create network namespaces and has
     * every tool; with {@code CI=true} a missing capability fails instead.
     */
    static void assumeCapable(String... tools) {
        String missing = missingCapability(tools);
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("privileged test cannot run in CI: " + missing);
        }
        Assumptions.abort("privileged test skipped: " + missing);
    }

    private static String missingCapability(String... tools) {
        CommandResult id = quiet(List.of("id", "-u"));
        if (id == null || !id.ok() || !id.stdout().strip().equals("0")) {
            return "not running as root";
        }
        for (String tool : tools) {
            CommandResult r = quiet(List.of("sh", "-c", "command -v " + tool));
            if (r == null || !r.ok()) {
                return tool + " is not installed";
            }
        }
        String probe = PREFIX + "probe";
        CommandResult add = quiet(List.of("ip", "netns", "add", probe));
        if (add == null || !add.ok()) {
            return "cannot create network namespaces: "
                    + (add == null ? "ip not found" : add.stderr().strip());
        }
        quiet(List.of("ip", "netns", "delete", probe));
        return null;
    }

    private static CommandResult quiet(List<String> argv) {
        try {
            return HOST.run(argv);
        } catch (CommandFailedException e) {
            return null;
        }
    }

    static PrivilegedNetns create(String role) {
        String name = PREFIX + COUNTER.incrementAndGet() + "-" + role;
        HOST.run("ip", "netns", "add", name).orThrow();
        PrivilegedNetns ns = new PrivilegedNetns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    String name() {
        return name;
    }

    /** Runs commands inside this namespace. */
    CommandRunner runner() {
        return HOST.inNetns(name);
    }

    CommandResult exec(String... argv) {
        return runner().run(argv).orThrow();
    }

    @Override
    public void close() {
        quiet(List.of("ip", "netns", "delete", name));
    }

    /** Deletes every namespace this JVM created (names carry its pid). */
    static void sweep() {
        CommandResult list = quiet(List.of("ip", "netns", "list"));
        if (list == null) {
            return;
        }
        List<String> ours = new ArrayList<>();
        for (String line : list.stdout().split("\n")) {
            String n = line.strip().split("\\s+")[0];
            if (n.startsWith(PREFIX)) {
                ours.add(n);
            }
        }
        for (String n : ours) {
            quiet(List.of("ip", "netns", "delete", n));
        }
    }
}
