package dev.tortie.dataplane.bpf;

import dev.tortie.dataplane.bpf.ipsets.Ipv4SetEntries;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.polprog.FlowEvents;
import dev.tortie.dataplane.bpf.polprog.PolicyProgram;
import dev.tortie.dataplane.bpf.sys.BpfProgram;
import dev.tortie.dataplane.bpf.sys.BpfRingBuffer;
import dev.tortie.dataplane.bpf.sys.TestRunResult;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads policy programs against fresh, unpinned shared maps and runs packets through them with BPF_PROG_TEST_RUN,
 * reading the verdict and the deciding id the program recorded in {@code skb->cb[0..1]}, and the flow events it wrote
 * to the ring buffer.
 */
public final class PolicyRunner implements AutoCloseable {
    /** One run: the TC verdict and the deciding id (numeric and as text, null when unknown). */
    public record Run(int retval, long id, String idText) {
        public boolean allowed() {
            return retval == 0;
        }
    }

    /** A loaded program with the ids it records. */
    public record Loaded(PolicyProgram source, BpfProgram program, long loadNanos) {}

    private final SharedMaps maps;
    private final List<BpfProgram> programs = new ArrayList<>();
    private BpfRingBuffer flows;

    public PolicyRunner() {
        this(new SharedMaps.Sizes(1 << 16, 1 << 14, 1 << 14, 1 << 16));
    }

    public PolicyRunner(SharedMaps.Sizes sizes) {
        this.maps = SharedMaps.create(sizes);
    }

    public SharedMaps maps() {
        return maps;
    }

    /** Replaces the trie's content with these sets. */
    public void loadSets(Map<String, IpSetContent> sets) {
        maps.removeIpSetEntries(maps.readIpSets());
        maps.addIpSetEntries(Ipv4SetEntries.of(sets).keys());
    }

    /** Replaces the trie's content with the node's sets and its local endpoints (as the dataplane writes them). */
    public void loadNode(NodeProgram node) {
        maps.removeIpSetEntries(maps.readIpSets());
        maps.addIpSetEntries(Ipv4SetEntries.of(node).keys());
    }

    /** Adds addresses to the node's local endpoints. */
    public void addLocalEndpoints(IpAddress... ips) {
        List<Ipv4SetKey> keys = new ArrayList<>();
        for (IpAddress ip : ips) {
            keys.add(Ipv4SetKey.cidr(Ipv4SetKey.setIdOf(Ipv4SetEntries.LOCAL_ENDPOINTS), Cidr.host(ip)));
        }
        maps.addIpSetEntries(keys);
    }

    public Loaded load(PolicyProgram p) {
        long start = System.nanoTime();
        BpfProgram program = BpfProgram.load(p.program(), maps.byName());
        long nanos = System.nanoTime() - start;
        programs.add(program);
        maps.ensureCounters(p.ruleIds().keySet());
        return new Loaded(p, program, nanos);
    }

    public Run run(Loaded loaded, byte[] packet) {
        TestRunResult r = loaded.program().testRun(packet, new byte[TestRunResult.SKB_CTX_SIZE], 1);
        long id = (r.skbCb(0) & 0xffffffffL) | ((long) r.skbCb(1) << 32);
        return new Run(r.retval(), id, loaded.source().ruleId(id));
    }

    /** The flow events the programs wrote since the last call, in order (mapping the ring on first use). */
    public List<FlowEvents.Event> drainFlowEvents() {
        if (flows == null) {
            flows = BpfRingBuffer.map(maps.flows());
        }
        List<FlowEvents.Event> out = new ArrayList<>();
        flows.consume(record -> out.add(FlowEvents.decode(record)), Integer.MAX_VALUE);
        return out;
    }

    @Override
    public void close() {
        if (flows != null) {
            flows.close();
        }
        programs.forEach(BpfProgram::close);
        maps.close();
    }
}
