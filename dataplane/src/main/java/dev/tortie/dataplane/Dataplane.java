package dev.tortie.dataplane;

import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.engine.ir.NodeProgram;
import java.util.Map;

/**
 * A node dataplane that enforces a {@link NodeProgram}: iptables + ipset today, nftables and eBPF later. Every
 * implementation owns its kernel objects by prefix, applies changes atomically where the kernel allows, keeps the
 * previous good state when an apply fails, and can be asked to repair drift.
 *
 * <p>Not thread-safe: one caller at a time (the agent's apply loop).
 */
public interface Dataplane {
    /**
     * Makes the kernel enforce {@code program}, changing only what differs from what is programmed now. Remembers the
     * program as the desired state for {@link #reconcile()} even when the apply fails, so a retry converges.
     *
     * @throws DataplaneException when the kernel refused a change; the previously programmed state is still in force
     */
    ApplyReport apply(NodeProgram program);

    /**
     * Re-reads the kernel and repairs any difference from the last applied program (chains flushed or edited, the
     * entry jump deleted, sets destroyed or emptied). A no-op report when nothing drifted or nothing was applied yet.
     */
    ApplyReport reconcile();

    /** Packet and byte counters per rule id, summed over every kernel rule carrying that id. */
    Map<String, RuleCounters> readCounters();

    /** Deletes every kernel object this dataplane owns (also ones left by an earlier process). */
    ApplyReport remove();

    /**
     * This dataplane's flow log: which rule allowed or denied each new flow, aggregated (see {@link FlowLog}). Implementations
     * return the same instance on every call; the caller {@linkplain FlowLog#start() starts} it (before or after the first apply) and
     * {@linkplain FlowLog#close() closes} it. Safe to query from any thread, unlike the other methods.
     *
     * <p>The default is a {@linkplain FlowLog#disabled disabled} flow log, for dataplanes that record no flows.
     */
    default FlowLog flowLog() {
        return FlowLog.disabled(getClass().getSimpleName(), getClass().getSimpleName() + " records no flow logs");
    }
}
