package dev.tortie.dataplane.os;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Capability checks for root-only tests: skip with a visible reason when the machine cannot run them, but fail when
 * {@code CI=true} (CI runs as root and must run them).
 */
public final class Privileged {
    private static volatile String missing;
    private static volatile boolean checked;

    private Privileged() {}

    /** Skips (or, in CI, fails) the calling test unless it may create network namespaces and enter them. */
    public static void requireNetns() {
        String reason = missingCapability();
        if (reason == null) {
            return;
        }
        String message = "privileged test needs root and network namespaces: " + reason;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: a skipped privileged test is a failure)");
        }
        Assumptions.abort(message);
    }

    private static synchronized String missingCapability() {
        if (!checked) {
            missing = probe();
            checked = true;
        }
        return missing;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return "not Linux";
        }
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            boolean root =
                    status.lines().filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
            if (!root) {
                return "not running as root (effective uid is not 0)";
            }
        } catch (Exception e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        String name = "tortie-" + Long.toHexString(ProcessHandle.current().pid()) + "-cafe-capcheck";
        try {
            CommandResult list = ProcessRunner.INSTANCE.run("ip", "netns", "list");
            if (!list.ok()) {
                return "'ip netns list' failed: " + list.stderr().strip();
            }
            CommandResult add = ProcessRunner.INSTANCE.run("ip", "netns", "add", name);
            if (!add.ok()) {
                return "'ip netns add' failed: " + add.stderr().strip();
            }
            try {
                String inside = Netns.get(name, Netns::currentId);
                if (inside.equals(Netns.currentId())) {
                    return "setns(2) did not switch the thread's network namespace";
                }
            } finally {
                ProcessRunner.INSTANCE.run(List.of("ip", "netns", "delete", name));
            }
        } catch (CommandFailedException e) {
            return "'ip' is not usable: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "cannot enter a network namespace: " + e;
        }
        return null;
    }
}
