package dev.tortie.dataplane.flowlog;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.net.IpAddress;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns flow events into aggregated records, one per (source, destination, destination port, protocol, rule id,
 * verdict, direction) and interval ("bucket"), with first/last seen and a packet count; keeps the last {@code window}
 * of buckets and at most {@code maxRecords} records. Pure (no I/O, a {@link Clock} for time) and thread-safe.
 *
 * <h2>Never blocking the reader</h2>
 *
 * An event for a flow already recorded in its bucket is a lock-free increment. Creating a record, a bucket, or evicting
 * one takes a short lock that only writers share; queries and stats never take it (they read the concurrent maps and
 * may miss an event being added at that moment). So a reader thread feeding the aggregator is never held up by a
 * query, and a query never waits for a burst of events.
 *
 * <h2>Bounded memory</h2>
 *
 * When a new record would exceed {@code maxRecords}, the oldest bucket is evicted first (its packets counted as dropped
 * under {@link #EVICTED}, per policy); when the bucket being written is the oldest one left, the event is not recorded
 * and counted under {@link #FULL}, per policy. Buckets older than the window age out silently (that is the window, not
 * a loss). Every event is therefore either in a record or counted in {@link #droppedByReason()}: nothing is lost
 * silently. Heap use is about {@link #BYTES_PER_RECORD} bytes per record (rule id strings are shared with the
 * dataplane's id tables).
 */
public final class FlowAggregator {
    /** A new flow arrived while the bucket being written alone held {@code maxRecords} records. */
    public static final String FULL = "aggregator-full";
    /** Records of a bucket evicted before the window ended, to make room (their packets are counted). */
    public static final String EVICTED = "evicted-early";
    /** An event older than the window (a reader far behind); not recorded. */
    public static final String TOO_OLD = "outside-window";

    /**
     * Estimated heap per record on a 64-bit JVM with compressed oops: the key (40 bytes), the counters (40), the
     * hash-table node (32) and its share of the table (about 16).
     */
    public static final int BYTES_PER_RECORD = 128;

    private static final long DEAD = -1;

    private final long bucketMillis;
    private final long windowMillis;
    private final int maxRecords;
    private final Clock clock;
    private final ConcurrentSkipListMap<Long, Bucket> buckets = new ConcurrentSkipListMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicInteger records = new AtomicInteger();
    private final LongAdder events = new LongAdder();
    private final LongAdder recorded = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> droppedByReason = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> droppedByPolicy = new ConcurrentHashMap<>();
    private volatile int highWater;

    public FlowAggregator(Duration bucket, Duration window, int maxRecords, Clock clock) {
        Objects.requireNonNull(bucket, "bucket == null");
        Objects.requireNonNull(window, "window == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.bucketMillis = bucket.toMillis();
        this.windowMillis = window.toMillis();
        if (bucketMillis < 1 || windowMillis < bucketMillis) {
            throw new IllegalArgumentException("bucket " + bucket + " must be >= 1 ms and <= window " + window);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords " + maxRecords + " must be positive");
        }
        this.maxRecords = maxRecords;
    }

    /** An aggregator with the configuration's bucket, window and record limit. */
    public static FlowAggregator of(FlowLogConfig config, Clock clock) {
        return new FlowAggregator(config.bucket(), config.window(), config.maxRecords(), clock);
    }

    private record FlowKey(
            int srcIp, int dstIp, int dstPort, int protocol, String ruleId, FlowVerdict verdict, Direction direction) {}

    /** Counters of one record. {@code packets} becomes {@link #DEAD} when its bucket is evicted or ages out. */
    private static final class Cell {
        private static final VarHandle PACKETS;
        private static final VarHandle FIRST;
        private static final VarHandle LAST;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                PACKETS = l.findVarHandle(Cell.class, "packets", long.class);
                FIRST = l.findVarHandle(Cell.class, "first", long.class);
                LAST = l.findVarHandle(Cell.class, "last", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile long packets;

        private volatile long first;

        private volatile long last;

        Cell(long t) {
            packets = 1;
            first = t;
            last = t;
        }

        /** Counts one event at {@code t}; false when the cell is dead (its bucket is gone). */
        boolean hit(long t) {
            long p;
            do {
                p = (long) PACKETS.getVolatile(this);
                if (p == DEAD) {
                    return false;
                }
            } while (!PACKETS.compareAndSet(this, p, p + 1));
            long f;
            while (t < (f = (long) FIRST.getVolatile(this)) && !FIRST.compareAndSet(this, f, t)) {
                // retry
            }
            long l;
            while (t > (l = (long) LAST.getVolatile(this)) && !LAST.compareAndSet(this, l, t)) {
                // retry
            }
            return true;
        }

        /** Marks the cell dead; returns the packets it had. */
        long kill() {
            return (long) PACKETS.getAndSet(this, DEAD);
        }

        long packets() {
            return (long) PACKETS.getVolatile(this);
        }

        long first() {
            return (long) FIRST.getVolatile(this);
        }

        long last() {
            return (long) LAST.getVolatile(this);
        }
    }

    private static final class Bucket {
        final long start;
        final ConcurrentHashMap<FlowKey, Cell> cells = new ConcurrentHashMap<>();

        Bucket(long start) {
            this.start = start;
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Records one event (never blocks on queries). Returns false when it was counted as dropped instead ({@link #FULL},
     * {@link #TOO_OLD}).
     */
    public boolean add(FlowEvent e) {
        events.increment();
        long now = clock.millis();
        long t = e.timeMillis() > 0 ? Math.min(e.timeMillis(), now) : now;
        FlowKey key =
                new FlowKey(e.srcIp(), e.dstIp(), e.dstPort(), e.protocol(), e.ruleId(), e.verdict(), e.direction());
        long start = t - Math.floorMod(t, bucketMillis);
        Bucket b = buckets.get(start);
        if (b != null) {
            Cell c = b.cells.get(key);
            if (c != null && c.hit(t)) {
                recorded.increment();
                return true;
            }
        }
        writeLock.lock();
        try {
            now = clock.millis();
            expire(now);
            if (t < now - windowMillis) {
                drop(TOO_OLD, e.ruleId(), 1);
                return false;
            }
            b = buckets.computeIfAbsent(start, Bucket::new);
            Cell c = b.cells.get(key);
            if (c != null && c.hit(t)) {
                recorded.increment();
                return true;
            }
            while (records.get() >= maxRecords) {
                Map.Entry<Long, Bucket> oldest = buckets.firstEntry();
                if (oldest == null || oldest.getKey() >= start) {
                    drop(FULL, e.ruleId(), 1);
                    return false;
                }
                evict(oldest.getValue(), EVICTED);
            }
            b.cells.put(key, new Cell(t));
            int n = records.incrementAndGet();
            if (n > highWater) {
                highWater = n;
            }
            recorded.increment();
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Counts events lost before they reached the aggregator (the kernel's ring buffer or socket was full): {@code
     * reason} names where, {@code ruleId} the rule when known (else null: counted under the reason only).
     */
    public void dropped(String reason, String ruleId, long count) {
        Objects.requireNonNull(reason, "reason == null");
        if (count <= 0) {
            return;
        }
        drop(reason, ruleId, count);
    }

    private void drop(String reason, String ruleId, long count) {
        droppedByReason.computeIfAbsent(reason, r -> new LongAdder()).add(count);
        if (ruleId != null) {
            droppedByPolicy
                    .computeIfAbsent(FlowRecord.policyOf(ruleId), p -> new LongAdder())
                    .add(count);
        }
    }

    /** Under the write lock: removes buckets that ended before the window. */
    private void expire(long now) {
        long horizon = now - windowMillis;
        Map.Entry<Long, Bucket> first;
        while ((first = buckets.firstEntry()) != null && first.getKey() + bucketMillis <= horizon) {
            evict(first.getValue(), null);
        }
    }

    /** Under the write lock: removes a bucket; counts its packets as dropped under {@code reason} unless null. */
    private void evict(Bucket b, String reason) {
        buckets.remove(b.start, b);
        int removed = 0;
        for (Map.Entry<FlowKey, Cell> e : b.cells.entrySet()) {
            long p = e.getValue().kill();
            removed++;
            if (reason != null && p > 0) {
                drop(reason, e.getKey().ruleId(), p);
            }
        }
        records.addAndGet(-removed);
    }

    /** Ages out buckets that left the window (also done on every new record); never waits for a writer. */
    public void expireNow() {
        if (writeLock.tryLock()) {
            try {
                expire(clock.millis());
            } finally {
                writeLock.unlock();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** Records matching {@code q}, most recently seen first. */
    public List<FlowRecord> query(FlowQuery q) {
        Objects.requireNonNull(q, "q == null");
        long now = clock.millis();
        long horizon = now - windowMillis;
        long since = q.since() == null ? Long.MIN_VALUE : q.since().toEpochMilli();
        Map<FlowKey, long[]> merged = q.perBucket() ? null : new HashMap<>();
        List<FlowRecord> out = new ArrayList<>();
        for (Bucket b : buckets.values()) {
            long end = b.start + bucketMillis;
            if (end <= horizon || end <= since) {
                continue;
            }
            for (Map.Entry<FlowKey, Cell> e : b.cells.entrySet()) {
                Cell c = e.getValue();
                long packets = c.packets();
                long last = c.last();
                if (packets <= 0 || last < since) {
                    continue;
                }
                FlowKey k = e.getKey();
                if (!q.matches(
                        k.srcIp(), k.dstIp(), k.dstPort(), k.protocol(), k.ruleId(), k.verdict(), k.direction())) {
                    continue;
                }
                long first = c.first();
                if (merged == null) {
                    out.add(record(k, b.start, first, last, packets));
                } else {
                    long[] acc = merged.get(k);
                    if (acc == null) {
                        merged.put(k, new long[] {b.start, first, last, packets});
                    } else {
                        acc[0] = Math.min(acc[0], b.start);
                        acc[1] = Math.min(acc[1], first);
                        acc[2] = Math.max(acc[2], last);
                        acc[3] += packets;
                    }
                }
            }
        }
        if (merged != null) {
            merged.forEach((k, acc) -> out.add(record(k, acc[0], acc[1], acc[2], acc[3])));
        }
        out.sort(ORDER);
        return q.limit() > 0 && out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : List.copyOf(out);
    }

    /** Most recently seen first; then a stable order so equal times list deterministically. */
    private static final Comparator<FlowRecord> ORDER = Comparator.comparing(FlowRecord::lastSeen)
            .reversed()
            .thenComparing(FlowRecord::start)
            .thenComparing(FlowRecord::src)
            .thenComparing(FlowRecord::dst)
            .thenComparingInt(FlowRecord::dstPort)
            .thenComparingInt(FlowRecord::protocol)
            .thenComparing(FlowRecord::ruleId)
            .thenComparing(FlowRecord::verdict)
            .thenComparing(FlowRecord::direction);

    private static FlowRecord record(FlowKey k, long start, long first, long last, long packets) {
        return new FlowRecord(
                IpAddress.ofV4(k.srcIp()),
                IpAddress.ofV4(k.dstIp()),
                k.dstPort(),
                k.protocol(),
                k.ruleId(),
                k.verdict(),
                k.direction(),
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last),
                packets);
    }

    /** Events offered to {@link #add} (recorded or dropped). */
    public long eventsSeen() {
        return events.sum();
    }

    /** Events counted in a record (some of them may since have been evicted, see {@link #droppedByReason()}). */
    public long eventsRecorded() {
        return recorded.sum();
    }

    /** Records held now. */
    public int recordCount() {
        return Math.max(0, records.get());
    }

    /** The most records held at once. */
    public int highWater() {
        return highWater;
    }

    public int maxRecords() {
        return maxRecords;
    }

    public int bucketCount() {
        return buckets.size();
    }

    /** Start of the oldest bucket held, or null. */
    public Instant oldest() {
        Map.Entry<Long, Bucket> first = buckets.firstEntry();
        return first == null ? null : Instant.ofEpochMilli(first.getKey());
    }

    /** Estimated heap held by the records ({@link #BYTES_PER_RECORD} each). */
    public long estimatedBytes() {
        return (long) recordCount() * BYTES_PER_RECORD;
    }

    /** Events dropped, by reason (sorted). */
    public Map<String, Long> droppedByReason() {
        return snapshot(droppedByReason);
    }

    /** Events dropped, by the policy of their rule ({@link FlowRecord#policyOf}; sorted). */
    public Map<String, Long> droppedByPolicy() {
        return snapshot(droppedByPolicy);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
