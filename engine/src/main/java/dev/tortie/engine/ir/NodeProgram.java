package dev.tortie.engine.ir;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one node enforces: its endpoints' programs (sorted by key) and the content of every IP set they
 * reference. Renderers turn exactly this into kernel state.
 */
public record NodeProgram(String node, List<LocalEndpoint> endpoints, Map<String, IpSetContent> ipSets) {
    public NodeProgram {
        endpoints = List.copyOf(endpoints);
        ipSets = java.util.Collections.unmodifiableMap(new TreeMap<>(ipSets));
    }
}
