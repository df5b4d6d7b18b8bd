package dev.tortie.engine.model;

import java.util.Map;
import java.util.Objects;

/** A Kubernetes service account; its labels are selectable through serviceAccountSelector. */
public record ServiceAccount(String namespace, String name, Map<String, String> labels, ObjectSource source) {
    public ServiceAccount {
        Objects.requireNonNull(namespace, "namespace == null");
        Objects.requireNonNull(name, "name == null");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    public String key() {
        return namespace + "/" + name;
    }
}
