package dev.tortie.shell.agent;

import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.sys.BpfLink;
import dev.tortie.dataplane.bpf.sys.BpfProgram;
import dev.tortie.dataplane.bpf.sys.LinkInfo;
import dev.tortie.dataplane.driver.IpsetDriver;
import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.driver.IptablesDriver;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.plan.ObservedRule;
import dev.tortie.dataplane.plan.ObservedSet;
import dev.tortie.dataplane.plan.ObservedTable;
import dev.tortie.engine.net.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a node's tortie state back from the kernel ({@link KernelState}), through the same tools the dataplane's
 * drivers read with: {@code iptables-save} and {@code ipset save} in the node's namespace, or the pinned tcx links and
 * the IP-set trie of the eBPF dataplane. Nothing the agent remembers is used, so a tampered kernel shows.
 */
public final class KernelReader {
    private final Dataplane dataplane;
    private final CommandRunner runner;
    private final String interfacePrefix;

    /**
     * @param dataplane the agent's dataplane (its kind, backend and pin directory are what is read)
     * @param runner runs iptables-save and ipset where the dataplane programs (the node namespace's runner in the lab)
     * @param interfacePrefix the agent's workload interface prefix
     */
    public KernelReader(Dataplane dataplane, CommandRunner runner, String interfacePrefix) {
        this.dataplane = Objects.requireNonNull(dataplane, "dataplane == null");
        this.runner = Objects.requireNonNull(runner, "runner == null");
        this.interfacePrefix = Objects.requireNonNull(interfacePrefix, "interfacePrefix == null");
    }

    public KernelState read() {
        if (dataplane instanceof IptablesDataplane iptables) {
            return readIptables(iptables);
        }
        if (dataplane instanceof BpfDataplane bpf) {
            return readBpf(bpf);
        }
        throw new IllegalStateException(
                "cannot read back a " + dataplane.getClass().getSimpleName());
    }

    private KernelState readIptables(IptablesDataplane iptables) {
        ObservedTable table = new IptablesDriver(runner, iptables.backend()).read();
        Map<String, List<String>> chains = new TreeMap<>();
        for (Map.Entry<String, List<ObservedRule>> e : table.chains().entrySet()) {
            List<String> hashes = new ArrayList<>();
            for (ObservedRule r : e.getValue()) {
                hashes.add(r.hash() == null ? "(foreign) " + r.line() : r.hash());
            }
            chains.put(e.getKey(), hashes);
        }
        List<String> kernelRules = new ArrayList<>();
        for (ObservedTable.KernelRule r : table.kernelRules()) {
            kernelRules.add(r.chain() + "@" + r.position() + " " + r.rule().hash());
        }
        Map<String, KernelState.SetState> sets = new TreeMap<>();
        for (ObservedSet s : new IpsetDriver(runner).read().values()) {
            sets.put(
                    s.name(),
                    new KernelState.SetState(
                            s.type() + (s.family().equals("inet") ? "" : " " + s.family()), s.members()));
        }
        return new KernelState(Dataplanes.IPTABLES, interfacePrefix, chains, kernelRules, sets, Map.of());
    }

    private KernelState readBpf(BpfDataplane bpf) {
        Map<String, String> programs = new TreeMap<>();
        for (Path pin : pins(bpf.linkDir())) {
            String name = pin.getFileName().toString();
            int underscore = name.lastIndexOf('_');
            String point =
                    underscore <= 0 ? name : name.substring(0, underscore) + " " + name.substring(underscore + 1);
            try (BpfLink link = BpfLink.openPinned(pin)) {
                LinkInfo info = link.info();
                if (info.ifindex() == 0) {
                    programs.put(point, "(detached)");
                    continue;
                }
                try (BpfProgram program = BpfProgram.fromId(info.programId())) {
                    programs.put(point, program.name());
                }
            } catch (RuntimeException e) {
                programs.put(point, "(unreadable: " + e.getMessage() + ")");
            }
        }
        Map<String, List<String>> members = new TreeMap<>();
        for (Ipv4SetKey k : bpf.maps().readIpSets()) {
            members.computeIfAbsent(setName(k.setId()), x -> new ArrayList<>()).add(member(k));
        }
        Map<String, KernelState.SetState> sets = new TreeMap<>();
        members.forEach((id, list) -> sets.put(id, new KernelState.SetState("lpm-trie", sorted(list))));
        return new KernelState(Dataplanes.BPF, interfacePrefix, Map.of(), List.of(), sets, programs);
    }

    /** The trie's name for a numeric set id. */
    static String setName(long setId) {
        return String.format(Locale.ROOT, "%016x", setId);
    }

    /** A trie entry in ipset spelling: {@code 10.65.0.5/32} or {@code 10.65.0.5,6:80}. */
    static String member(Ipv4SetKey k) {
        String addr = IpAddress.ofV4(k.address()) + "/" + Math.min(32, k.prefixLen() - Ipv4SetKey.SET_ID_BITS);
        return k.prefixLen() == Ipv4SetKey.FULL_PREFIX_LEN ? addr + "," + k.protocol() + ":" + k.port() : addr;
    }

    static List<String> sorted(List<String> list) {
        List<String> out = new ArrayList<>(list);
        out.sort(null);
        return out;
    }

    private static List<Path> pins(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
