package dev.tortie.engine.model;

import dev.tortie.engine.selector.Selector;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A policy in Calico's v3 shape. Kubernetes NetworkPolicies are converted into this shape the way Calico converts
 * them (tier default, order 1000), so one compiler handles every kind.
 *
 * @param order null means "after every ordered policy" (Calico's nil order)
 * @param selector the endpoints the policy applies to, as written (before Calico adds the namespace term)
 * @param namespaceSelector GlobalNetworkPolicy only; null when absent
 * @param serviceAccountSelector null when absent
 * @param manifest the object as read (for show/explain); never interpreted by the engine
 */
public record Policy(
        PolicyId id,
        String tier,
        Double order,
        Selector selector,
        Selector namespaceSelector,
        Selector serviceAccountSelector,
        boolean appliesToIngress,
        boolean appliesToEgress,
        List<Rule> ingress,
        List<Rule> egress,
        Map<String, String> labels,
        ObjectSource source,
        Map<String, Object> manifest) {

    public static final String DEFAULT_TIER = "default";
    public static final double KUBERNETES_ORDER = 1000.0;

    public Policy {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(tier, "tier == null");
        Objects.requireNonNull(selector, "selector == null");
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        source = source == null ? ObjectSource.UNKNOWN : source;
        manifest = manifest == null ? Map.of() : manifest;
    }

    public PolicyKind kind() {
        return id.kind();
    }

    public String namespace() {
        return id.namespace();
    }

    public String name() {
        return id.name();
    }

    public boolean staged() {
        return id.kind().staged();
    }

    public boolean appliesTo(Direction direction) {
        return direction == Direction.INGRESS ? appliesToIngress : appliesToEgress;
    }

    public List<Rule> rules(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }

    /** Order as a sortable number: nil order sorts last. */
    public double sortOrder() {
        return order == null ? Double.POSITIVE_INFINITY : order;
    }
}
