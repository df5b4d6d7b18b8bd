package dev.tortie.engine.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A Kubernetes namespace and its labels (always including {@code kubernetes.io/metadata.name}). */
public record Namespace(String name, Map<String, String> labels, ObjectSource source) {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public Namespace {
        Objects.requireNonNull(name, "name == null");
        // The API server sets this label on every namespace and it cannot be overridden.
        Map<String, String> withName = new HashMap<>(labels == null ? Map.of() : labels);
        withName.put(NAME_LABEL, name);
        labels = Map.copyOf(withName);
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    public static Namespace implicit(String name) {
        return new Namespace(name, Map.of(), ObjectSource.UNKNOWN);
    }
}
