package dev.tortie.dataplane.bpf;

import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetEntries;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.polprog.Conntrack;
import dev.tortie.dataplane.bpf.polprog.PolicyMaps;
import dev.tortie.dataplane.bpf.sys.BpfException;
import dev.tortie.dataplane.bpf.sys.BpfFs;
import dev.tortie.dataplane.bpf.sys.BpfMap;
import dev.tortie.dataplane.bpf.sys.Errno;
import dev.tortie.dataplane.bpf.sys.MapSpec;
import dev.tortie.dataplane.bpf.sys.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The maps every policy program of a node shares ({@link PolicyMaps}): the IP-set trie, the per-rule counters, the
 * connection table, and the flow-event ring buffer with its lost-event counters. Created fresh, or opened from their pins so a restarted agent keeps the sets, the counts and
 * the connections of the one before (a pin whose map has another shape is replaced).
 */
public final class SharedMaps implements AutoCloseable {
    /**
     * Map sizes.
     *
     * @param flowRingBytes the flow-event ring buffer (a power of 2, at least 4096): {@code bytes / 40} events fit
     *     while the reader is behind
     */
    public record Sizes(int ipSetEntries, int counters, int connections, int flowRingBytes) {
        public Sizes {
            if (ipSetEntries < 1 || counters < 1 || connections < 1) {
                throw new IllegalArgumentException("map sizes must be positive");
            }
            if (Integer.bitCount(flowRingBytes) != 1 || flowRingBytes < 4096) {
                throw new IllegalArgumentException(
                        "flow ring buffer size " + flowRingBytes + " must be a power of 2 of at least 4096");
            }
        }

        /** Sizes with the default flow ring buffer (1 MiB). */
        public Sizes(int ipSetEntries, int counters, int connections) {
            this(ipSetEntries, counters, connections, 1 << 20);
        }

        /**
         * 1M IP-set entries (as Calico's default), 64k counters, 256k connections, a 1 MiB flow ring (about 26,000
         * events).
         */
        public static Sizes defaults() {
            return new Sizes(1 << 20, 1 << 16, 1 << 18, 1 << 20);
        }

        public Sizes withFlowRingBytes(int value) {
            return new Sizes(ipSetEntries, counters, connections, value);
        }
    }

    private static final byte[] PRESENT = {1, 0, 0, 0};

    private final BpfMap ipSets;
    private final BpfMap counters;
    private final BpfMap conntrack;
    private final BpfMap flows;
    private final BpfMap flowsLost;
    private final List<String> changes;

    private SharedMaps(List<BpfMap> maps, List<String> changes) {
        this.ipSets = maps.get(0);
        this.counters = maps.get(1);
        this.conntrack = maps.get(2);
        this.flows = maps.get(3);
        this.flowsLost = maps.get(4);
        this.changes = List.copyOf(changes);
    }

    static MapSpec ipSetsSpec(Sizes sizes) {
        return MapSpec.lpmTrie(
                PolicyMaps.IP_SETS, PolicyMaps.IP_SETS_KEY_SIZE, PolicyMaps.IP_SETS_VALUE_SIZE, sizes.ipSetEntries());
    }

    static MapSpec countersSpec(Sizes sizes) {
        return MapSpec.perCpuHash(
                PolicyMaps.COUNTERS, PolicyMaps.COUNTERS_KEY_SIZE, PolicyMaps.COUNTERS_VALUE_SIZE, sizes.counters());
    }

    static MapSpec conntrackSpec(Sizes sizes) {
        return MapSpec.lruHash(PolicyMaps.CONNTRACK, Conntrack.KEY_SIZE, Conntrack.VALUE_SIZE, sizes.connections());
    }

    static MapSpec flowsSpec(Sizes sizes) {
        return MapSpec.ringBuffer(PolicyMaps.FLOWS, sizes.flowRingBytes());
    }

    /** Allocated on demand: it stays empty unless the ring overflows. */
    static MapSpec flowsLostSpec(Sizes sizes) {
        return new MapSpec(
                MapType.PERCPU_HASH,
                PolicyMaps.FLOWS_LOST,
                PolicyMaps.FLOWS_LOST_KEY_SIZE,
                PolicyMaps.FLOWS_LOST_VALUE_SIZE,
                sizes.counters(),
                MapSpec.F_NO_PREALLOC);
    }

    static List<MapSpec> specs(Sizes sizes) {
        return List.of(
                ipSetsSpec(sizes), countersSpec(sizes), conntrackSpec(sizes), flowsSpec(sizes), flowsLostSpec(sizes));
    }

    /** Fresh, unpinned maps (tests, dry runs). */
    public static SharedMaps create(Sizes sizes) {
        List<BpfMap> made = new ArrayList<>();
        try {
            for (MapSpec spec : specs(sizes)) {
                made.add(BpfMap.create(spec));
            }
        } catch (RuntimeException e) {
            made.forEach(BpfMap::close);
            throw e;
        }
        return new SharedMaps(made, List.of());
    }

    /**
     * Opens the maps pinned in {@code dir} (a directory on a bpf filesystem), creating and pinning those that are
     * missing or have another shape.
     */
    public static SharedMaps openOrCreate(Path dir, Sizes sizes) {
        List<String> changes = new ArrayList<>();
        List<BpfMap> made = new ArrayList<>();
        try {
            for (MapSpec spec : specs(sizes)) {
                made.add(openOrCreate(dir.resolve(spec.name()), spec, changes));
            }
        } catch (RuntimeException e) {
            made.forEach(BpfMap::close);
            throw e;
        }
        return new SharedMaps(made, changes);
    }

    private static BpfMap openOrCreate(Path pin, MapSpec spec, List<String> changes) {
        if (Files.exists(pin)) {
            BpfMap existing = null;
            try {
                existing = BpfMap.openPinned(pin);
                if (existing.spec().equals(spec)) {
                    return existing;
                }
                changes.add("map " + spec.name() + " replaced: pinned " + existing.spec() + ", wanted " + spec);
            } catch (RuntimeException e) {
                changes.add("map " + spec.name() + " replaced: pin " + pin + " unusable (" + e.getMessage() + ")");
            }
            if (existing != null) {
                existing.close();
            }
            BpfFs.unpin(pin);
        }
        BpfMap map = BpfMap.create(spec);
        try {
            map.pin(pin);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
        changes.add("map " + spec.name() + " created and pinned at " + pin);
        return map;
    }

    /** What opening changed (created or replaced maps), for the apply report. */
    public List<String> changes() {
        return changes;
    }

    /** Symbolic name to map, for loading programs. */
    public Map<String, BpfMap> byName() {
        Map<String, BpfMap> m = new HashMap<>();
        m.put(PolicyMaps.IP_SETS, ipSets);
        m.put(PolicyMaps.COUNTERS, counters);
        m.put(PolicyMaps.CONNTRACK, conntrack);
        m.put(PolicyMaps.FLOWS, flows);
        m.put(PolicyMaps.FLOWS_LOST, flowsLost);
        return m;
    }

    public BpfMap ipSets() {
        return ipSets;
    }

    public BpfMap counters() {
        return counters;
    }

    public BpfMap conntrack() {
        return conntrack;
    }

    /** The flow-event ring buffer ({@link dev.tortie.dataplane.bpf.polprog.FlowEvents}). */
    public BpfMap flows() {
        return flows;
    }

    /** Per-CPU counts of flow events the full ring could not take, by rule id. */
    public BpfMap flowsLost() {
        return flowsLost;
    }

    // ---------------------------------------------------------------------------------------------- IP sets

    /** The trie's entries as the kernel has them. */
    public Set<Ipv4SetKey> readIpSets() {
        Set<Ipv4SetKey> out = new TreeSet<>(Ipv4SetEntries.ORDER);
        for (byte[] key : ipSets.keys()) {
            out.add(Ipv4SetKey.decode(key));
        }
        return out;
    }

    public void addIpSetEntries(Collection<Ipv4SetKey> keys) {
        for (Ipv4SetKey k : keys) {
            ipSets.update(k.encode(), PRESENT);
        }
    }

    public void removeIpSetEntries(Collection<Ipv4SetKey> keys) {
        for (Ipv4SetKey k : keys) {
            ipSets.delete(k.encode());
        }
    }

    // ---------------------------------------------------------------------------------------------- counters

    /**
     * Creates zero counters for ids that have none yet (existing counts are kept), so programs count without inserting.
     * Returns how many ids did not fit (the map is full); those are inserted by the program on first hit if room frees.
     */
    public int ensureCounters(Collection<Long> ids) {
        byte[] zero = new byte[counters.valueBufferSize()];
        int full = 0;
        for (long id : ids) {
            try {
                counters.update(u64(id), zero, BpfMap.Update.NO_EXIST);
            } catch (BpfException e) {
                if (e.errno() == Errno.EEXIST) {
                    continue;
                }
                if (e.errno() == Errno.E2BIG || e.errno() == Errno.ENOMEM) {
                    full++;
                    continue;
                }
                throw e;
            }
        }
        return full;
    }

    /** Packets and bytes per numeric id, summed over CPUs. */
    public Map<Long, RuleCounters> readCounters() {
        Map<Long, RuleCounters> out = new TreeMap<>();
        for (byte[] key : counters.keys()) {
            byte[] raw = counters.lookup(key);
            if (raw == null) {
                continue;
            }
            long packets = 0;
            long bytes = 0;
            for (byte[] v : counters.perCpuValues(raw)) {
                ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
                packets += b.getLong(0);
                bytes += b.getLong(8);
            }
            out.put(ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getLong(0), new RuleCounters(packets, bytes));
        }
        return out;
    }

    /** Deletes counters of ids not in {@code keep}. */
    public int pruneCounters(Set<Long> keep) {
        int removed = 0;
        for (byte[] key : counters.keys()) {
            long id = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getLong(0);
            if (!keep.contains(id) && counters.delete(key)) {
                removed++;
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------------------------------------- conntrack

    /** The connection table, decoded. */
    public List<Conntrack.Entry> readConntrack() {
        List<Conntrack.Entry> out = new ArrayList<>();
        for (byte[] key : conntrack.keys()) {
            byte[] value = conntrack.lookup(key);
            if (value != null) {
                out.add(Conntrack.decode(key, value));
            }
        }
        return out;
    }

    /** Forgets every connection; returns how many there were. */
    public int clearConntrack() {
        int n = 0;
        for (byte[] key : conntrack.keys()) {
            if (conntrack.delete(key)) {
                n++;
            }
        }
        return n;
    }

    static byte[] u64(long value) {
        return ByteBuffer.allocate(8)
                .order(ByteOrder.nativeOrder())
                .putLong(value)
                .array();
    }

    @Override
    public void close() {
        ipSets.close();
        counters.close();
        conntrack.close();
        flows.close();
        flowsLost.close();
    }
}
