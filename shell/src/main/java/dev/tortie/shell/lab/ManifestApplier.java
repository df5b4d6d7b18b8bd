package dev.tortie.shell.lab;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.ManifestParser;
import dev.tortie.engine.load.ParsedText;
import dev.tortie.engine.load.SourceText;
import dev.tortie.shell.agent.ApiKind;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies manifests to the lab's API server like {@code kubectl apply} would (create, or replace what is there), after
 * validating all of them with the engine's loader: nothing is written when any object has an error.
 *
 * <p>Order: namespaces, service accounts, tiers, network sets, policies, then pods and workloads, so pods start out
 * already isolated. Namespaces that objects name but no manifest creates are created (a lab convenience). A pod's
 * status and node, written by the lab kubelet, survive a re-apply of the same pod.
 */
final class ManifestApplier {
    /** One applied object and what happened to it: {@code created}, {@code configured} or {@code unchanged}. */
    record Applied(String kind, String name, String action) {}

    /** The kinds the lab serves and applies, in apply order. */
    private static final List<ApiKind> ORDER;

    static {
        List<ApiKind> order = new ArrayList<>();
        order.add(ApiKind.NAMESPACES);
        order.add(ApiKind.SERVICE_ACCOUNTS);
        List<ApiKind> calico = ApiKind.calico(ApiKind.CALICO_GROUP_VERSIONS.get(0));
        for (ApiKind k : calico) {
            if (k.role() == ApiKind.Role.TIER || k.role() == ApiKind.Role.NETWORK_SET) {
                order.add(k);
            }
        }
        order.add(ApiKind.NETWORK_POLICIES);
        for (ApiKind k : calico) {
            if (k.role() == ApiKind.Role.CALICO_POLICY || k.role() == ApiKind.Role.KUBERNETES_POLICY) {
                order.add(k);
            }
        }
        order.add(ApiKind.PODS);
        order.add(ApiKind.DEPLOYMENTS);
        order.add(new ApiKind("apps", "v1", "ReplicaSet", "replicasets", true, ApiKind.Role.WORKLOAD));
        order.addAll(List.of(ApiKind.STATEFUL_SETS, ApiKind.DAEMON_SETS));
        ORDER = List.copyOf(order);
    }

    private final KubernetesClient client;
    private final Consumer<String> log;
    private final KubernetesSerialization serialization;

    ManifestApplier(KubernetesClient client, Consumer<String> log) {
        this.client = client;
        this.log = log;
        this.serialization = client.getKubernetesSerialization();
    }

    /**
     * Parses and validates the texts, then applies every object the lab serves; returns what was done.
     *
     * @throws TortieException (input) when any text or object has an error; nothing was applied
     */
    List<Applied> apply(List<SourceText> texts) {
        List<Manifest> manifests = new ArrayList<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (SourceText text : texts) {
            ParsedText parsed = ManifestParser.parse(text.location(), text.text());
            manifests.addAll(parsed.manifests());
            parsed.diagnostics().stream().filter(Diagnostic::isError).forEach(errors::add);
        }
        LoadResult validated = ManifestLoader.loadManifests(manifests);
        errors.addAll(validated.errors());
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("nothing applied: ")
                    .append(errors.size())
                    .append(errors.size() == 1 ? " error" : " errors");
            for (Diagnostic d : errors.subList(0, Math.min(10, errors.size()))) {
                sb.append("\n  ").append(d);
            }
            if (errors.size() > 10) {
                sb.append("\n  ...");
            }
            throw TortieException.input(sb.toString());
        }
        for (Diagnostic d : validated.warnings()) {
            log.accept("warning: " + d);
        }
        return applyValidated(manifests);
    }

    /** Applies manifests the caller has already validated (see {@link #apply}). */
    List<Applied> applyValidated(List<Manifest> manifests) {
        Map<ApiKind, List<Manifest>> byKind = new LinkedHashMap<>();
        for (ApiKind k : ORDER) {
            byKind.put(k, new ArrayList<>());
        }
        Set<String> namespacesCreated = new LinkedHashSet<>();
        Set<String> namespacesNeeded = new LinkedHashSet<>();
        for (Manifest m : manifests) {
            ApiKind kind = kindOf(m);
            if (kind == null) {
                log.accept("skipped " + m.kind() + " " + m.name() + " (" + m.apiVersion()
                        + "): the lab does not serve it");
                continue;
            }
            byKind.get(kind).add(m);
            if (kind.equals(ApiKind.NAMESPACES)) {
                namespacesCreated.add(m.name());
            } else if (kind.namespaced()) {
                namespacesNeeded.add(m.namespace() == null ? "default" : m.namespace());
            }
        }
        List<Applied> applied = new ArrayList<>();
        for (Map.Entry<ApiKind, List<Manifest>> e : byKind.entrySet()) {
            if (e.getKey().equals(ApiKind.SERVICE_ACCOUNTS)) {
                // Namespaces first (listed or implied), then the rest.
                for (String ns : namespacesNeeded) {
                    if (!namespacesCreated.contains(ns) && ensureNamespace(ns)) {
                        applied.add(new Applied("Namespace", ns, "created (implied)"));
                    }
                }
            }
            for (Manifest m : e.getValue()) {
                applied.add(applyOne(e.getKey(), m));
            }
        }
        return applied;
    }

    private static ApiKind kindOf(Manifest m) {
        for (ApiKind k : ORDER) {
            if (k.apiVersion().equals(m.apiVersion()) && k.kind().equals(m.kind())) {
                return k;
            }
        }
        return null;
    }

    private boolean ensureNamespace(String name) {
        var namespaces = client.namespaces();
        if (namespaces.withName(name).get() != null) {
            return false;
        }
        namespaces
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return true;
    }

    private Applied applyOne(ApiKind kind, Manifest m) {
        GenericKubernetesResource obj = serialization.convertValue(m.tree(), GenericKubernetesResource.class);
        ObjectMeta meta = obj.getMetadata();
        meta.setResourceVersion(null);
        meta.setUid(null);
        meta.setCreationTimestamp(null);
        meta.setGeneration(null);
        meta.setManagedFields(null);
        String namespace = kind.namespaced() ? (meta.getNamespace() == null ? "default" : meta.getNamespace()) : null;
        meta.setNamespace(namespace);
        String label = kind.kind() + " " + (namespace == null ? meta.getName() : namespace + "/" + meta.getName());

        ResourceDefinitionContext ctx = kind.context();
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                op = client.genericKubernetesResources(ctx);
        NonNamespaceOperation<
                        GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                scoped = namespace == null ? op : op.inNamespace(namespace);
        GenericKubernetesResource existing = scoped.withName(meta.getName()).get();
        if (existing == null) {
            scoped.resource(obj).create();
            return new Applied(kind.kind(), label, "created");
        }
        if (kind.equals(ApiKind.PODS)) {
            keepRuntimeState(existing, obj);
        }
        if (sameContent(existing, obj)) {
            return new Applied(kind.kind(), label, "unchanged");
        }
        meta.setResourceVersion(existing.getMetadata().getResourceVersion());
        scoped.resource(obj).update();
        return new Applied(kind.kind(), label, "configured");
    }

    /** What the lab kubelet wrote (node, status) stays unless the manifest says otherwise. */
    private static void keepRuntimeState(GenericKubernetesResource existing, GenericKubernetesResource obj) {
        Map<String, Object> props = obj.getAdditionalProperties();
        Map<String, Object> old = existing.getAdditionalProperties();
        if (old.get("status") != null) {
            props.put("status", old.get("status"));
        }
        if (old.get("spec") instanceof Map<?, ?> oldSpec
                && props.get("spec") instanceof Map<?, ?> newSpec
                && oldSpec.get("nodeName") != null
                && newSpec.get("nodeName") == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) newSpec);
            spec.put("nodeName", oldSpec.get("nodeName"));
            props.put("spec", spec);
        }
    }

    private static boolean sameContent(GenericKubernetesResource a, GenericKubernetesResource b) {
        return Objects.equals(a.getAdditionalProperties(), b.getAdditionalProperties())
                && Objects.equals(userLabels(a), userLabels(b))
                && Objects.equals(
                        nullToEmpty(a.getMetadata().getAnnotations()),
                        nullToEmpty(b.getMetadata().getAnnotations()));
    }

    /** Labels without the one the API server sets on namespaces. */
    private static Map<String, String> userLabels(GenericKubernetesResource r) {
        Map<String, String> labels =
                new LinkedHashMap<>(nullToEmpty(r.getMetadata().getLabels()));
        labels.remove(LabApiServer.NAME_LABEL);
        return labels;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
