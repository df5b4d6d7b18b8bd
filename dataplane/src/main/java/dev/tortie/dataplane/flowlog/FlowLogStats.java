package dev.tortie.dataplane.flowlog;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of a flow log's health.
 *
 * @param backend which dataplane feeds it ({@code iptables (nflog)}, {@code bpf (ring buffer)})
 * @param enabled whether the dataplane renders flow logging at all
 * @param running whether the readers are started
 * @param eventsSeen events the readers handed to the aggregator
 * @param eventsRecorded events counted in a record
 * @param records aggregated records held
 * @param maxRecords the record limit
 * @param highWater most records held at once
 * @param buckets intervals held
 * @param oldest start of the oldest interval held, or null
 * @param estimatedBytes heap held by the records (estimate)
 * @param droppedByReason events missing from the records, by reason: the aggregator's ({@link FlowAggregator#FULL},
 *     {@link FlowAggregator#EVICTED}, {@link FlowAggregator#TOO_OLD}) and the readers' (kernel buffers full)
 * @param droppedByPolicy the same events by policy where the rule is known ({@link FlowRecord#policyOf})
 * @param sourceCounters each reader's counters, keyed {@code <reader>: <counter>}
 * @param problems readers' errors, empty when healthy
 */
public record FlowLogStats(
        String backend,
        boolean enabled,
        boolean running,
        long eventsSeen,
        long eventsRecorded,
        int records,
        int maxRecords,
        int highWater,
        int buckets,
        Instant oldest,
        long estimatedBytes,
        Map<String, Long> droppedByReason,
        Map<String, Long> droppedByPolicy,
        Map<String, Long> sourceCounters,
        List<String> problems) {
    public FlowLogStats {
        Objects.requireNonNull(backend, "backend == null");
        droppedByReason = Collections.unmodifiableMap(new TreeMap<>(droppedByReason));
        droppedByPolicy = Collections.unmodifiableMap(new TreeMap<>(droppedByPolicy));
        sourceCounters = Collections.unmodifiableMap(new TreeMap<>(sourceCounters));
        problems = List.copyOf(problems);
    }

    /** Every event missing from the records, whatever the reason. */
    public long dropped() {
        long n = 0;
        for (long v : droppedByReason.values()) {
            n += v;
        }
        return n;
    }

    /** Events dropped for one reason (0 if none). */
    public long dropped(String reason) {
        return droppedByReason.getOrDefault(reason, 0L);
    }
}
