package dev.tortie.engine.convert;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code metadata} fields tortie uses, validated. Reading it also names the object in the context ("NetworkPolicy
 * app-b/allow-a"), so every later diagnostic says which object it is about.
 *
 * @param namespace null for cluster-scoped kinds; "default" when a namespaced object does not say
 * @param name null when missing (an error has been reported)
 */
record ObjectMeta(String namespace, String name, Map<String, String> labels, Map<String, String> annotations) {

    static final String DEFAULT_NAMESPACE = "default";

    enum NameRule {
        /** Most Kubernetes objects: a DNS-1123 subdomain. */
        SUBDOMAIN,
        /** Namespaces: a DNS-1123 label. */
        LABEL,
        /** Calico NetworkPolicy and StagedNetworkPolicy. */
        CALICO_POLICY,
        /** Calico GlobalNetworkPolicy and StagedGlobalNetworkPolicy. */
        CALICO_GLOBAL_POLICY,
        /** Calico Tier: a DNS-1123 label (no dots). */
        TIER
    }

    private static final Set<String> KNOWN = Set.of(
            "name",
            "namespace",
            "labels",
            "annotations",
            "generateName",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "ownerReferences",
            "finalizers",
            "managedFields",
            "selfLink",
            "clusterName");

    static ObjectMeta read(
            ConversionContext ctx, Map<String, Object> tree, String kind, boolean namespaced, NameRule rule) {
        String kindLabel = kind == null ? "object" : kind;
        ctx.object(kindLabel);
        Map<String, Object> meta = ctx.map(tree, "metadata", "");
        String name = ctx.string(meta, "name", "metadata");
        String namespace = null;
        if (namespaced) {
            namespace = ctx.string(meta, "namespace", "metadata");
            if (namespace == null || namespace.isEmpty()) {
                namespace = DEFAULT_NAMESPACE;
            }
        }
        String shown = name == null || name.isEmpty() ? "(unnamed)" : name;
        StringBuilder label = new StringBuilder(kindLabel).append(' '); // see ConversionContext.path
        if (namespaced) {
            label.append(namespace).append('/');
        }
        ctx.object(label.append(shown).toString());
        if (name == null || name.isEmpty()) {
            boolean generated = meta != null && meta.get("generateName") != null;
            ctx.error(
                    "metadata.name",
                    generated
                            ? "name is missing (generateName is not supported: tortie needs a stable name)"
                            : "name is missing");
            name = null;
        } else {
            String problem =
                    switch (rule) {
                        case SUBDOMAIN -> Names.dns1123Subdomain(name);
                        case LABEL, TIER -> Names.dns1123Label(name);
                        case CALICO_POLICY -> Names.calicoPolicyName(name);
                        case CALICO_GLOBAL_POLICY -> Names.calicoGlobalPolicyName(name);
                    };
            if (problem != null) {
                ctx.error("metadata.name", "name '" + name + "' is invalid: " + problem);
            }
        }
        if (namespaced) {
            String problem = Names.dns1123Label(namespace);
            if (problem != null) {
                ctx.error("metadata.namespace", "namespace '" + namespace + "' is invalid: " + problem);
            }
        }
        Map<String, String> labels = ctx.stringMap(meta, "labels", "metadata");
        Map<String, String> annotations = ctx.stringMap(meta, "annotations", "metadata");
        labels = labels == null ? Map.of() : labels;
        annotations = annotations == null ? Map.of() : annotations;
        checkLabels(ctx, labels, "metadata.labels");
        for (String key : annotations.keySet()) {
            String problem = Names.qualifiedName(key.toLowerCase(Locale.ROOT));
            if (problem != null) {
                ctx.error("metadata.annotations", "annotation key '" + key + "' is invalid: " + problem);
            }
        }
        ctx.unknownFields(meta, "metadata", KNOWN);
        return new ObjectMeta(namespace, name, labels, annotations); // fresh maps from stringMap, or Map.of()
    }

    /** Label keys must be qualified names and values label values, as the API server checks. */
    static void checkLabels(ConversionContext ctx, Map<String, String> labels, String at) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String keyProblem = Names.qualifiedName(e.getKey());
            if (keyProblem != null) {
                ctx.error(at, "label key '" + e.getKey() + "' is invalid: " + keyProblem);
            }
            String valueProblem = Names.labelValue(e.getValue());
            if (valueProblem != null) {
                ctx.error(at, "label " + e.getKey() + " value '" + e.getValue() + "' is invalid: " + valueProblem);
            }
        }
    }
}
