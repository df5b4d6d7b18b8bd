package dev.tortie.dataplane.bpf;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tortie.dataplane.bpf.sys.BpfException;
import dev.tortie.dataplane.bpf.sys.BpfMap;
import dev.tortie.dataplane.bpf.sys.MapSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * Capability checks for the eBPF policy tests: skip with a visible reason when the machine cannot run them, fail when
 * {@code CI=true} (CI runs as root, so a skip there hides a broken test).
 */
public final class BpfTesting {
    private static String missingBpf;
    private static boolean checked;

    private BpfTesting() {}

    /** Root, jnr and a working bpf(2). */
    public static void requireBpf() {
        require(missingBpf(), "bpf(2)");
    }

    /** bpf(2) and tcx links (kernel 6.6+). */
    public static void requireTcx() {
        requireBpf();
        String release = System.getProperty("os.version", "");
        String[] parts = release.split("[.-]");
        boolean ok = false;
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            ok = major > 6 || (major == 6 && minor >= 6);
        } catch (RuntimeException e) {
            // unparsable: treat as missing
        }
        require(ok ? null : "kernel " + release + " predates tcx links (6.6)", "tcx");
    }

    /** Why bpf(2) does not work here, or null when it does. */
    public static String missingBpfReason() {
        return missingBpf();
    }

    /**
     * For jqwik containers ({@code @AddLifecycleHook(BpfTesting.SkipWithoutBpf.class)}): skips visibly without bpf(2),
     * but not when {@code CI=true}, where the properties then run and fail on their first syscall.
     */
    public static final class SkipWithoutBpf implements net.jqwik.api.lifecycle.SkipExecutionHook {
        @Override
        public net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult shouldBeSkipped(
                net.jqwik.api.lifecycle.LifecycleContext context) {
            String reason = missingBpf();
            if (reason == null || "true".equalsIgnoreCase(System.getenv("CI"))) {
                return net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult.doNotSkip();
            }
            String message = "privileged property needs bpf(2): " + reason;
            System.err.println("SKIP " + message);
            return net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult.skip(message);
        }
    }

    public static void require(String reason, String what) {
        if (reason == null) {
            return;
        }
        String message = "privileged test needs " + what + ": " + reason;
        System.err.println("SKIP " + message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: a skipped privileged test is a failure)");
        }
        Assumptions.abort(message);
    }

    private static synchronized String missingBpf() {
        if (!checked) {
            missingBpf = probe();
            checked = true;
        }
        return missingBpf;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
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
        try (BpfMap probe = BpfMap.create(MapSpec.array("tortie_probe", 4, 1))) {
            return probe.fd() >= 0 ? null : "no fd";
        } catch (BpfException e) {
            return e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "cannot call bpf(2) through jnr-ffi: " + e;
        }
    }
}
