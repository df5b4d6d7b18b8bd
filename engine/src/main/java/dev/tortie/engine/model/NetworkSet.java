package dev.tortie.engine.model;

import dev.tortie.engine.net.Cidr;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Calico (Global)NetworkSet: labelled CIDRs that rule selectors can select. namespace null = global. */
public record NetworkSet(
        String namespace, String name, Map<String, String> labels, List<Cidr> nets, ObjectSource source) {
    public NetworkSet {
        Objects.requireNonNull(name, "name == null");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        nets = List.copyOf(nets);
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    public boolean global() {
        return namespace == null;
    }

    public String key() {
        return namespace == null ? "gns/" + name : "ns/" + namespace + "/" + name;
    }

    public String displayName() {
        return namespace == null ? "GlobalNetworkSet " + name : "NetworkSet " + namespace + "/" + name;
    }
}
