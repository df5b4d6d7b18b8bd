package dev.tortie.shell.agent;

import dev.tortie.dataplane.flowlog.FlowLogStats;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's {@code /metrics} in the Prometheus text exposition format (version 0.0.4). Every metric is prefixed
 * {@code tortie_}; counters end in {@code _total}. Values are read at scrape time from the agent, its watcher's index
 * and its flow log.
 */
public final class AgentMetrics {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder sb = new StringBuilder();

    private AgentMetrics() {}

    /** The exposition for {@code agent}, or only {@code tortie_agent_up 0} while it is starting (null). */
    public static String render(NodeAgent agent) {
        AgentMetrics m = new AgentMetrics();
        m.gauge(
                "tortie_agent_up",
                "1 once the agent has synced with the API server and started applying.",
                agent != null && agent.ready() ? 1 : 0);
        if (agent == null) {
            return m.sb.toString();
        }
        m.gauge(
                "tortie_agent_healthy",
                "1 when the last apply succeeded and every watch is open (/healthz).",
                agent.unhealthyReason() == null ? 1 : 0);

        int[] counts = agent.watcher().index().read(idx -> new int[] {
            idx.policies().size(),
            idx.endpoints().size(),
            idx.namespaces().size(),
            idx.tiers().size()
        });
        m.gauge("tortie_policies", "Policies known (Kubernetes and Calico, staged included).", counts[0]);
        m.gauge("tortie_endpoints", "Workload endpoints (pods) known in the cluster.", counts[1]);
        m.gauge("tortie_namespaces", "Namespaces known.", counts[2]);
        m.gauge("tortie_tiers", "Calico tiers known.", counts[3]);
        m.gauge(
                "tortie_rejected_objects",
                "API objects the converters refused (kept at their last good version or left out).",
                agent.watcher().rejections().size());

        NodeAgent.ProgramSize size = agent.programmed();
        m.gauge("tortie_local_endpoints", "Endpoints on this node in the program in force.", size.localEndpoints());
        m.gauge(
                "tortie_rules_programmed",
                "Policy and profile rules in the program in force (per endpoint and direction).",
                size.rules());
        m.gauge("tortie_ip_sets_programmed", "IP sets in the program in force.", size.ipSets());

        m.counter("tortie_apply_total", "Successful applies of the node program.", agent.applyCount());
        m.counter(
                "tortie_apply_failures_total",
                "Failed applies (the last good state stayed in force).",
                agent.failureCount());
        m.histogram(
                "tortie_apply_duration_seconds",
                "Time to compile and program the node, per successful apply.",
                agent.applyDurations().snapshot());
        m.counter(
                "tortie_kernel_changes_total",
                "Kernel objects changed by applies and drift repairs.",
                agent.kernelChangeCount());
        m.counter(
                "tortie_drift_repairs_total",
                "Refreshes that found the kernel drifted and repaired it.",
                agent.repairCount());
        m.counter(
                "tortie_watch_events_total",
                "API watch events handled (adds, updates, deletes).",
                agent.watcher().eventCount());
        m.gauge(
                "tortie_watch_up",
                "1 when every watch on the API server is open.",
                agent.watcher().watching() ? 1 : 0);
        m.header("tortie_api_objects", "gauge", "API objects held in the index, by resource.");
        for (Map.Entry<String, Integer> e : agent.watcher().heldByResource().entrySet()) {
            m.sample("tortie_api_objects", "resource", e.getKey(), e.getValue());
        }

        FlowLogStats flows = agent.flowLog().stats();
        m.gauge("tortie_flow_log_up", "1 when the flow log's kernel readers run.", flows.running() ? 1 : 0);
        m.gauge("tortie_flow_log_records", "Aggregated flow records held.", flows.records());
        m.gauge("tortie_flow_log_records_max", "The record limit.", flows.maxRecords());
        m.gauge("tortie_flow_log_bytes", "Estimated heap held by the flow records.", flows.estimatedBytes());
        m.counter("tortie_flow_log_events_total", "Flow events read from the kernel.", flows.eventsSeen());
        m.counter("tortie_flow_log_events_recorded_total", "Flow events counted in a record.", flows.eventsRecorded());
        m.header(
                "tortie_flow_log_dropped_total",
                "counter",
                "Flow events missing from the records, by reason (aggregator full, evicted, too old, kernel buffer).");
        for (Map.Entry<String, Long> e : flows.droppedByReason().entrySet()) {
            m.sample("tortie_flow_log_dropped_total", "reason", e.getKey(), e.getValue());
        }
        m.header(
                "tortie_flow_log_policy_dropped_total",
                "counter",
                "Flow events missing from the records, by the policy (tier, profile) of their deciding rule.");
        for (Map.Entry<String, Long> e : flows.droppedByPolicy().entrySet()) {
            m.sample("tortie_flow_log_policy_dropped_total", "policy", e.getKey(), e.getValue());
        }
        return m.sb.toString();
    }

    private void header(String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void gauge(String name, String help, double value) {
        header(name, "gauge", help);
        sb.append(name).append(' ').append(number(value)).append('\n');
    }

    private void counter(String name, String help, long value) {
        header(name, "counter", help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private void sample(String name, String label, String value, long v) {
        sb.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(escape(value))
                .append("\"} ")
                .append(v)
                .append('\n');
    }

    private void histogram(String name, String help, Histogram.Snapshot h) {
        header(name, "histogram", help);
        for (int i = 0; i < h.bounds().length; i++) {
            sb.append(name)
                    .append("_bucket{le=\"")
                    .append(number(h.bounds()[i]))
                    .append("\"} ")
                    .append(h.cumulative()[i])
                    .append('\n');
        }
        sb.append(name).append("_bucket{le=\"+Inf\"} ").append(h.count()).append('\n');
        sb.append(name).append("_sum ").append(number(h.sum())).append('\n');
        sb.append(name).append("_count ").append(h.count()).append('\n');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    /** Label values: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
