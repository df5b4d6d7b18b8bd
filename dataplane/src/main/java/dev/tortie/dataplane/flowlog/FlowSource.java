package dev.tortie.dataplane.flowlog;

import java.util.Map;

/**
 * Where flow events come from: a reader of one kernel channel (an NFLOG socket, a BPF ring buffer) that runs its own
 * thread and feeds an aggregator. Made by the dataplane, started and closed by {@link FlowLog}.
 */
public interface FlowSource extends AutoCloseable {
    /** For stats and errors, e.g. {@code nflog groups 1,2 in netns tortie-1a2b-node}. */
    String name();

    /**
     * Opens the kernel channel and starts the reader thread, which feeds {@code sink} (and counts kernel-side losses in
     * it) until {@link #close()}.
     *
     * @throws FlowLogException when the channel cannot be opened (nothing is left open)
     */
    void start(FlowAggregator sink);

    /** The reader's own counters (messages, bytes, errors, ...), sorted by name. */
    Map<String, Long> counters();

    /** The last error that stopped or disturbed the reader, or null. */
    String problem();

    /** Stops the thread and closes the channel; idempotent. */
    @Override
    void close();
}
