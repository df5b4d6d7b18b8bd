package dev.tortie.shell.agent;

import dev.tortie.dataplane.flowlog.FlowQuery;
import dev.tortie.dataplane.flowlog.FlowRecord;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An agent reached over HTTP at {@code base} (a port-forward's local end, or the agent's own address): {@code /flows}
 * and {@code /kernel}, JSON. Closing closes {@code resource} (the port-forward).
 */
public final class HttpAgentLink implements AgentLink {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final String node;
    private final URI base;
    private final AutoCloseable resource;
    private final HttpClient http;

    /**
     * @param node the agent's node
     * @param base e.g. {@code http://127.0.0.1:41234}
     * @param resource closed with this link (a port-forward), or null
     */
    public HttpAgentLink(String node, URI base, AutoCloseable resource) {
        this.node = Objects.requireNonNull(node, "node == null");
        this.base = Objects.requireNonNull(base, "base == null");
        this.resource = resource;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Flows flows(FlowQuery query) {
        String params = FlowsJson.toParameters(query);
        Map<String, Object> tree = get("/flows" + (params.isEmpty() ? "" : "?" + params));
        List<FlowRecord> records = new ArrayList<>();
        for (Object o : (List<Object>) tree.getOrDefault("records", List.of())) {
            records.add(FlowsJson.record((Map<String, Object>) o));
        }
        Object answeredBy = tree.get("node");
        Map<String, Object> stats = (Map<String, Object>) tree.getOrDefault("stats", Map.of());
        return new Flows(answeredBy == null ? node : answeredBy.toString(), records, withoutNulls(stats));
    }

    @Override
    public KernelState kernel() {
        return KernelState.fromTree(get("/kernel"));
    }

    /** The agent's {@code /metrics} text. */
    public String metrics() {
        return text("/metrics");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String path) {
        return JSON.unmarshal(text(path), Map.class);
    }

    private String text(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("agent on " + node + ": GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the agent on " + node, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("agent on " + node + ": GET " + path + " answered " + response.statusCode()
                    + ": " + response.body().strip());
        }
        return response.body();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public void close() {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                // the port-forward is going away anyway
            }
        }
    }

    @Override
    public String toString() {
        return "agent on " + node + " at " + base;
    }
}
