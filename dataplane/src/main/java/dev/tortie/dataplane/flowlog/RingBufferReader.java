package dev.tortie.dataplane.flowlog;

import dev.tortie.dataplane.bpf.polprog.FlowEvents;
import dev.tortie.dataplane.bpf.sys.BpfMap;
import dev.tortie.dataplane.bpf.sys.BpfRingBuffer;
import dev.tortie.engine.model.Direction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Reads the eBPF dataplane's flow events: the policy programs write one {@link FlowEvents} record per policy decision
 * to the {@code tt_flows} ring buffer ({@code BPF_MAP_TYPE_RINGBUF}, kernel 5.8+); this reader maps it ({@link
 * BpfRingBuffer}: consumer and producer pages and the data area, no syscall per event), waits with poll(2) and hands
 * each event to the aggregator with its rule id resolved.
 *
 * <p>Why a ring buffer and not a queue map polled with BPF_MAP_LOOKUP_AND_DELETE_ELEM: one mmap read per event instead
 * of one syscall, wake-ups only when there is data, and variable backlog without per-element preallocation. jnr-ffi
 * calls mmap like any libc function, so the mapping is no harder than the syscalls.
 *
 * <p>The datapath never waits for this reader: when the ring is full, {@code bpf_ringbuf_output} fails and the program
 * counts the event under its rule id in the per-CPU {@code tt_flow_lost} map. The reader adds those counts to the
 * aggregator's drops ({@link #LOST}, per policy) four times a second and when it stops.
 *
 * <p>The reader opens its own fds for the two maps (by map id), so the dataplane closing or replacing its handles does
 * not pull the ring from under a running reader.
 */
public final class RingBufferReader implements FlowSource {
    /** Flow events the programs could not write because the ring buffer was full (counted in the kernel, per rule). */
    public static final String LOST = "ring-buffer-full";

    private static final int POLL_MILLIS = 200;
    private static final int BATCH = 4096;
    private static final long LOST_POLL_NANOS = 250_000_000L;
    private static final long TIME_SLACK_MILLIS = 60_000;

    private final Supplier<BpfMap> ringMap;
    private final Supplier<BpfMap> lostMap;
    private final LongFunction<String> ruleIds;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unknownRules = new AtomicLong();
    private final AtomicLong lostTotal = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    private final Map<Long, Long> lostSeen = new HashMap<>();
    private volatile String problem;
    private volatile boolean closing;
    private BpfMap ring;
    private BpfMap lost;
    private BpfRingBuffer buffer;
    private Thread thread;
    private FlowAggregator sink;
    private long lastLostPoll;

    /**
     * @param ringMap the dataplane's {@code tt_flows} map (asked for on {@link #start}; the reader opens its own fd)
     * @param lostMap the dataplane's {@code tt_flow_lost} map (likewise)
     * @param ruleIds the rule id text of a numeric id, or null when unknown (called on the reader thread: thread-safe)
     */
    public RingBufferReader(Supplier<BpfMap> ringMap, Supplier<BpfMap> lostMap, LongFunction<String> ruleIds) {
        this.ringMap = Objects.requireNonNull(ringMap, "ringMap == null");
        this.lostMap = Objects.requireNonNull(lostMap, "lostMap == null");
        this.ruleIds = Objects.requireNonNull(ruleIds, "ruleIds == null");
    }

    @Override
    public String name() {
        return "ring buffer";
    }

    @Override
    public synchronized void start(FlowAggregator aggregator) {
        Objects.requireNonNull(aggregator, "aggregator == null");
        if (thread != null) {
            throw new IllegalStateException("the ring buffer reader is already started");
        }
        sink = aggregator;
        try {
            ring = BpfMap.fromId(ringMap.get().info().id());
            lost = BpfMap.fromId(lostMap.get().info().id());
            buffer = BpfRingBuffer.map(ring);
        } catch (RuntimeException e) {
            closeMaps();
            throw new FlowLogException("cannot map the flow-event ring buffer: " + e.getMessage(), e);
        }
        lostSeen.clear();
        try {
            pollLost(false); // counts from before this reader are not its drops
        } catch (RuntimeException e) {
            closeMaps();
            throw new FlowLogException("cannot read the lost-event counters: " + e.getMessage(), e);
        }
        closing = false;
        thread = new Thread(this::run, "tortie-flow-ringbuf");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            lastLostPoll = System.nanoTime();
            while (!closing) {
                if (buffer.await(POLL_MILLIS)) {
                    wakeups.incrementAndGet();
                }
                drain();
                if (System.nanoTime() - lastLostPoll > LOST_POLL_NANOS) {
                    pollLost(true);
                    lastLostPoll = System.nanoTime();
                }
            }
            drain();
            pollLost(true);
        } catch (RuntimeException e) {
            problem = "reader stopped: " + e.getMessage();
        }
    }

    private void drain() {
        while (buffer.consume(this::handle, BATCH) > 0) {
            // until the ring is empty
        }
    }

    private void handle(byte[] record) {
        FlowEvents.Event e = FlowEvents.decode(record);
        if (e == null) {
            malformed.incrementAndGet();
            return;
        }
        events.incrementAndGet();
        sink.add(toFlowEvent(e, ruleIds, System.currentTimeMillis(), System.nanoTime()));
    }

    /**
     * The aggregator's event for a decoded record: rule id resolved ({@code 0x...} when unknown), kernel time
     * (CLOCK_MONOTONIC) turned into wall-clock time with the current {@code nowMillis}/{@code nowNanos} pair.
     */
    static FlowEvent toFlowEvent(FlowEvents.Event e, LongFunction<String> ruleIds, long nowMillis, long nowNanos) {
        String ruleId = ruleIds.apply(e.ruleId());
        if (ruleId == null) {
            ruleId = FlowEvent.unknownRuleId(e.ruleId());
        }
        long t = nowMillis - (nowNanos - e.ktimeNs()) / 1_000_000;
        if (e.ktimeNs() <= 0 || Math.abs(t - nowMillis) > TIME_SLACK_MILLIS) {
            t = 0; // not plausible: the aggregator's clock
        }
        return new FlowEvent(
                t,
                e.ruleId(),
                ruleId,
                e.deny() ? FlowVerdict.DENY : FlowVerdict.ALLOW,
                e.egress() ? Direction.EGRESS : Direction.INGRESS,
                e.srcIp(),
                e.dstIp(),
                e.srcPort(),
                e.dstPort(),
                e.protocol());
    }

    /** Reads the per-CPU lost counters; adds what grew since the last read to the aggregator's drops if asked. */
    private void pollLost(boolean report) {
        for (byte[] key : lost.keys()) {
            byte[] raw = lost.lookup(key);
            if (raw == null) {
                continue;
            }
            long sum = 0;
            for (byte[] v : lost.perCpuValues(raw)) {
                sum += ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(0);
            }
            long id = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getLong(0);
            Long before = lostSeen.put(id, sum);
            long delta = sum - (before == null ? 0 : before);
            if (report && delta > 0) {
                String ruleId = ruleIds.apply(id);
                if (ruleId == null) {
                    unknownRules.incrementAndGet();
                    ruleId = FlowEvent.unknownRuleId(id);
                }
                lostTotal.addAndGet(delta);
                sink.dropped(LOST, ruleId, delta);
            }
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        out.put("events", events.get());
        out.put("lost (ring full)", lostTotal.get());
        out.put("malformed records", malformed.get());
        out.put("unknown rule ids", unknownRules.get());
        out.put("wake-ups", wakeups.get());
        BpfRingBuffer b = buffer;
        out.put("ring bytes", b == null ? 0L : b.size());
        return out;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        closing = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        closeMaps();
    }

    private void closeMaps() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
        if (ring != null) {
            ring.close();
            ring = null;
        }
        if (lost != null) {
            lost.close();
            lost = null;
        }
    }

    @Override
    public String toString() {
        return "RingBufferReader";
    }
}
