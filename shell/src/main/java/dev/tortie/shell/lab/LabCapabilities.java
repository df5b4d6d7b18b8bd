package dev.tortie.shell.lab;

import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Whether this process can build the lab's network: Linux, root, {@code ip netns} and {@code setns(2)}. */
public final class LabCapabilities {
    private LabCapabilities() {}

    /** Null when the lab can create network namespaces; otherwise why not, in words. */
    public static String missing(CommandRunner runner) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "not Linux";
        }
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            boolean root =
                    status.lines().filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
            if (!root) {
                return "not running as root";
            }
        } catch (Exception e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        try {
            CommandResult list = runner.run("ip", "netns", "list");
            if (!list.ok()) {
                return "'ip netns list' failed: " + list.stderr().strip();
            }
            // Entering a namespace needs jnr-ffi's setns; a quick call proves it loads.
            Netns.currentId();
        } catch (RuntimeException | LinkageError e) {
            return "network namespaces are not usable: " + e.getMessage();
        }
        for (String tool : List.of("iptables-restore", "ipset")) {
            if (!onPath(tool)) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
