package dev.tortie.shell.agent;

import dev.tortie.dataplane.flowlog.FlowQuery;
import dev.tortie.dataplane.flowlog.FlowRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the shell reaches one node agent: in-process in the lab ({@link LocalAgentLink}), or over HTTP through a
 * port-forward on a real cluster ({@link HttpAgentLink}). Both answer the same questions with the same values.
 */
public interface AgentLink extends AutoCloseable {
    /** Flow records of one agent and its flow log's health ({@link FlowsJson#statsTree}). */
    record Flows(String node, List<FlowRecord> records, Map<String, Object> stats) {
        public Flows {
            Objects.requireNonNull(node, "node == null");
            records = List.copyOf(records);
            stats = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stats));
        }
    }

    /** The node this agent programs. */
    String node();

    /** The aggregated flows matching {@code query}. */
    Flows flows(FlowQuery query);

    /** The node's tortie state, read back from its kernel. */
    KernelState kernel();

    @Override
    default void close() {}
}
