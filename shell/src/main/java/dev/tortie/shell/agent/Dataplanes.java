package dev.tortie.shell.agent;

import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.shell.session.TortieException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The {@code --dataplane iptables|bpf} switch: one place that turns a name into a {@link Dataplane}. */
public final class Dataplanes {
    public static final String IPTABLES = "iptables";
    public static final String BPF = "bpf";
    public static final List<String> NAMES = List.of(IPTABLES, BPF);

    /** Interface prefixes an agent accepts: Calico's CNI ({@code cali}) and the AWS VPC CNI on EKS ({@code eni}). */
    public static final List<String> INTERFACE_PREFIXES = List.of("cali", "eni");

    private Dataplanes() {}

    /** Checks a {@code --dataplane} value; returns it lower-cased. */
    public static String check(String name) {
        String n = name == null ? IPTABLES : name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw TortieException.usage("--dataplane '" + name + "': expected one of " + NAMES);
        }
        return n;
    }

    /** Null when this kernel can run the eBPF dataplane (tcx links, Linux 6.6+); otherwise why not. */
    public static String bpfUnsupported() {
        String release = System.getProperty("os.version", "");
        String[] parts = release.split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            if (major > 6 || (major == 6 && minor >= 6)) {
                return null;
            }
        } catch (RuntimeException e) {
            // unparsable release: say so below
        }
        return "--dataplane bpf needs tcx links (Linux 6.6 or later); this kernel is " + release
                + " (use --dataplane iptables)";
    }

    /** Checks an {@code --interface-prefix} value. */
    public static String checkInterfacePrefix(String prefix) {
        if (!INTERFACE_PREFIXES.contains(prefix)) {
            throw TortieException.usage("--interface-prefix '" + prefix + "': expected one of " + INTERFACE_PREFIXES);
        }
        return prefix;
    }

    /** The configuration an agent with {@code --interface-prefix interfacePrefix} programs with (and drift checks render with). */
    public static DataplaneConfig config(String interfacePrefix) {
        return DataplaneConfig.builder()
                .interfacePrefixes(checkInterfacePrefix(interfacePrefix))
                .build();
    }

    /**
     * The dataplane {@code name} for workload interfaces named {@code interfacePrefix + hash}.
     *
     * @param runner runs iptables/ipset where the workload interfaces are (a node namespace's runner in the lab)
     * @param netns the named network namespace holding the workload interfaces, or null for this process's (bpf)
     * @param bpfPinDir tortie's own directory on a bpf filesystem for pinned maps and links (bpf)
     */
    public static Dataplane create(
            String name, CommandRunner runner, String netns, String interfacePrefix, Path bpfPinDir) {
        String n = check(name);
        DataplaneConfig config = config(interfacePrefix);
        if (n.equals(IPTABLES)) {
            // The flow log's NFLOG socket must be opened where the rules are: the node's namespace.
            return new IptablesDataplane(runner, config, netns);
        }
        String unsupported = bpfUnsupported();
        if (unsupported != null) {
            throw TortieException.usage(unsupported);
        }
        return new BpfDataplane(config, BpfDataplane.Options.of(bpfPinDir, netns));
    }
}
