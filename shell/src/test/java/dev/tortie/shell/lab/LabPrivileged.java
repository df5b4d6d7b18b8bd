package dev.tortie.shell.lab;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.Netns;
import dev.tortie.dataplane.os.ProcessRunner;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * For lab tests that need root and network namespaces: skip with a visible reason when the machine cannot run them,
 * fail when {@code CI=true} (CI runs as root and must run them). Also snapshots what the lab must never touch.
 */
final class LabPrivileged {
    private LabPrivileged() {}

    static void require() {
        String reason = LabCapabilities.missing(ProcessRunner.INSTANCE);
        if (reason == null) {
            return;
        }
        String message = "privileged lab test needs root and network namespaces: " + reason;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: a skipped privileged test is a failure)");
        }
        Assumptions.abort(message);
    }

    /** The root namespace's firewall and IP sets (iptables nft and legacy, ipset names, nft ruleset). */
    static String rootFirewall() {
        StringBuilder sb = new StringBuilder();
        for (List<String> argv : List.of(
                List.of("iptables-nft-save"),
                List.of("iptables-legacy-save"),
                List.of("ipset", "list", "-n"),
                List.of("nft", "list", "ruleset"))) {
            try {
                CommandResult r = ProcessRunner.INSTANCE.run(argv);
                sb.append("== ").append(String.join(" ", argv)).append('\n');
                // Comment lines carry timestamps.
                sb.append(r.stdout().lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")));
                sb.append('\n');
            } catch (RuntimeException e) {
                sb.append("== ").append(argv).append(" unavailable\n");
            }
        }
        return sb.toString();
    }

    /** Network namespaces owned by {@code prefix} that still exist. */
    static List<String> namespacesOf(String prefix) {
        return Netns.list(ProcessRunner.INSTANCE).stream()
                .filter(n -> n.startsWith(prefix))
                .toList();
    }
}
