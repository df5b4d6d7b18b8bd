package dev.tortie.engine.model;

import java.util.Objects;

/** A policy's identity: kind, namespace (null for global kinds) and name; prints as Calico's {@code knp/ns/name}. */
public record PolicyId(PolicyKind kind, String namespace, String name) implements Comparable<PolicyId> {
    public PolicyId {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(name, "name == null");
        if (kind.namespaced() && (namespace == null || namespace.isEmpty())) {
            throw new IllegalArgumentException(kind.kind() + " " + name + " needs a namespace");
        }
        if (!kind.namespaced()) {
            namespace = null;
        }
    }

    /** Parses {@code short/ns/name} or {@code short/name}; returns null when malformed. */
    public static PolicyId tryParse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            return null;
        }
        PolicyKind kind = PolicyKind.fromShortName(parts[0]);
        if (kind == null || kind.namespaced() != (parts.length == 3)) {
            return null;
        }
        return parts.length == 3 ? new PolicyId(kind, parts[1], parts[2]) : new PolicyId(kind, null, parts[1]);
    }

    /** {@code ns/name} or {@code name}: how an operator names it. */
    public String qualifiedName() {
        return namespace == null ? name : namespace + "/" + name;
    }

    @Override
    public int compareTo(PolicyId other) {
        int c = kind.compareTo(other.kind);
        if (c != 0) {
            return c;
        }
        c = String.valueOf(namespace).compareTo(String.valueOf(other.namespace));
        return c != 0 ? c : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace == null ? kind.shortName() + "/" + name : kind.shortName() + "/" + namespace + "/" + name;
    }
}
