package dev.tortie.dataplane.flowlog;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A node's flow log: the dataplane's kernel readers ({@link FlowSource}) feeding one {@link FlowAggregator}. Get it
 * from {@code Dataplane.flowLog()}; {@link #start()} opens the readers, {@link #query} and {@link #stats()} may be
 * called from any thread at any time, {@link #close()} stops the readers (the records stay queryable; a later {@link
 * #start()} opens fresh readers and keeps adding to them).
 *
 * <p>A flow log whose dataplane renders no flow logging ({@code DataplaneConfig.flowLogs().enabled()} false, or a
 * backend without flow logs) is {@linkplain #disabled disabled}: it starts without error, records nothing and says why
 * in {@link FlowLogStats#problems()}.
 */
public final class FlowLog implements AutoCloseable {
    private final String backend;
    private final Supplier<List<FlowSource>> sources;
    private final String disabledReason;
    private final FlowAggregator aggregator;
    private List<FlowSource> running = List.of();

    private FlowLog(
            String backend, Supplier<List<FlowSource>> sources, String disabledReason, FlowAggregator aggregator) {
        this.backend = backend;
        this.sources = sources;
        this.disabledReason = disabledReason;
        this.aggregator = aggregator;
    }

    /**
     * A flow log fed by the readers {@code sources} makes on each {@link #start()}.
     *
     * @param backend for stats, e.g. {@code iptables (nflog)}
     */
    public static FlowLog of(String backend, FlowLogConfig config, Clock clock, Supplier<List<FlowSource>> sources) {
        Objects.requireNonNull(backend, "backend == null");
        Objects.requireNonNull(sources, "sources == null");
        if (!config.enabled()) {
            return disabled(backend, "flow logs are off in the dataplane configuration (flowLogs.enabled = false)");
        }
        return new FlowLog(backend, sources, null, FlowAggregator.of(config, clock));
    }

    /** A flow log that records nothing, for {@code reason}. */
    public static FlowLog disabled(String backend, String reason) {
        Objects.requireNonNull(backend, "backend == null");
        Objects.requireNonNull(reason, "reason == null");
        return new FlowLog(backend, null, reason, FlowAggregator.of(FlowLogConfig.disabled(), Clock.systemUTC()));
    }

    public String backend() {
        return backend;
    }

    /** False when this flow log can never record anything (see {@link #disabledReason()}). */
    public boolean enabled() {
        return disabledReason == null;
    }

    /** Why it is disabled, or null. */
    public String disabledReason() {
        return disabledReason;
    }

    /** Whether the readers are running. */
    public synchronized boolean running() {
        return !running.isEmpty();
    }

    /**
     * Opens the kernel readers (idempotent; a no-op when disabled).
     *
     * @throws FlowLogException when a reader cannot open its channel; none is left running
     */
    public synchronized FlowLog start() {
        if (!enabled() || !running.isEmpty()) {
            return this;
        }
        List<FlowSource> made = List.copyOf(sources.get());
        List<FlowSource> started = new ArrayList<>();
        try {
            for (FlowSource s : made) {
                s.start(aggregator);
                started.add(s);
            }
        } catch (RuntimeException e) {
            for (FlowSource s : started) {
                try {
                    s.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        running = started;
        return this;
    }

    /** The aggregated flows matching {@code query}, most recently seen first. */
    public List<FlowRecord> query(FlowQuery query) {
        return aggregator.query(query);
    }

    /** The aggregator the readers feed (for tests and for feeding events from elsewhere). */
    public FlowAggregator aggregator() {
        return aggregator;
    }

    public FlowLogStats stats() {
        List<FlowSource> now;
        synchronized (this) {
            now = running;
        }
        Map<String, Long> counters = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        if (!enabled()) {
            problems.add(disabledReason);
        }
        for (FlowSource s : now) {
            s.counters().forEach((k, v) -> counters.put(s.name() + ": " + k, v));
            String p = s.problem();
            if (p != null) {
                problems.add(s.name() + ": " + p);
            }
        }
        aggregator.expireNow();
        return new FlowLogStats(
                backend,
                enabled(),
                !now.isEmpty(),
                aggregator.eventsSeen(),
                aggregator.eventsRecorded(),
                aggregator.recordCount(),
                aggregator.maxRecords(),
                aggregator.highWater(),
                aggregator.bucketCount(),
                aggregator.oldest(),
                aggregator.estimatedBytes(),
                aggregator.droppedByReason(),
                aggregator.droppedByPolicy(),
                counters,
                problems);
    }

    /** Stops the readers; the records stay queryable. Idempotent. */
    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        for (FlowSource s : running) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        running = List.of();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "FlowLog{" + backend + (enabled() ? "" : ", disabled") + "}";
    }
}
