package dev.tortie.engine.load;

import dev.tortie.engine.model.ObjectSource;
import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes-style object as read: its tree (maps with string keys, lists, strings, numbers, booleans, nulls)
 * and where it came from.
 *
 * @param tree the object; immutable when it comes from {@link ManifestParser}
 * @param source location, 1-based document index and 1-based line of the object's first line
 */
public record Manifest(Map<String, Object> tree, ObjectSource source) {
    public Manifest {
        Objects.requireNonNull(tree, "tree == null");
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    /** {@code apiVersion} when it is a string, else null. */
    public String apiVersion() {
        return tree.get("apiVersion") instanceof String s ? s : null;
    }

    /** {@code kind} when it is a string, else null. */
    public String kind() {
        return tree.get("kind") instanceof String s ? s : null;
    }

    /** {@code metadata.name} when it is a string, else null. */
    public String name() {
        return metadata("name");
    }

    /** {@code metadata.namespace} when it is a string, else null. */
    public String namespace() {
        return metadata("namespace");
    }

    private String metadata(String key) {
        return tree.get("metadata") instanceof Map<?, ?> meta && meta.get(key) instanceof String s ? s : null;
    }
}
