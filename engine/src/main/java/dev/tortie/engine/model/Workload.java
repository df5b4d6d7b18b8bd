package dev.tortie.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod-owning workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) as read from a manifest: enough to
 * group pods in output and for the lab to create pods from the template.
 */
public record Workload(
        String kind,
        String namespace,
        String name,
        int replicas,
        Map<String, String> selectorLabels,
        Map<String, String> templateLabels,
        String serviceAccount,
        List<ContainerPort> ports,
        ObjectSource source) {
    public Workload {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(namespace, "namespace == null");
        Objects.requireNonNull(name, "name == null");
        selectorLabels = selectorLabels == null ? Map.of() : Map.copyOf(selectorLabels);
        templateLabels = templateLabels == null ? Map.of() : Map.copyOf(templateLabels);
        ports = List.copyOf(ports);
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    public String key() {
        return namespace + "/" + kind + "/" + name;
    }

    /** {@code Kind/name}, as {@link Endpoint#workload()} refers to it. */
    public String reference() {
        return kind + "/" + name;
    }
}
