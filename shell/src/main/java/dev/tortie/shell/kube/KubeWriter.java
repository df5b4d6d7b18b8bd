package dev.tortie.shell.kube;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes to a live cluster for {@code apply}, {@code diff} and {@code delete}: server-side apply with field manager
 * {@value #FIELD_MANAGER}, all or nothing, and delete, both with the API server's own dry run ({@code dryRun=All}).
 *
 * <p>A batch is validated first (every object must be a kind tortie models and pass the engine's converters, exactly
 * as a snapshot would), then applied in the given order. When an object fails, the objects already changed are put
 * back: re-created objects are deleted, changed ones get their previous state back (an update locked to the version
 * tortie wrote, so a concurrent change is reported rather than overwritten).
 */
public final class KubeWriter {
    public static final String FIELD_MANAGER = "tortie";

    /** Metadata the API server owns; stripped before applying (kubectl rejects managedFields, the rest is noise). */
    private static final List<String> SERVER_METADATA = List.of(
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "managedFields",
            "selfLink");

    private final KubernetesClient client;
    private final String context;
    private final String defaultNamespace;
    private final List<KubeResource> served;
    private final String calicoApi;

    KubeWriter(
            KubernetesClient client,
            String context,
            String defaultNamespace,
            List<KubeResource> served,
            String calicoApi) {
        this.client = Objects.requireNonNull(client, "client == null");
        this.context = Objects.requireNonNull(context, "context == null");
        this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace == null");
        this.served = List.copyOf(served);
        this.calicoApi = calicoApi;
    }

    /** One object ready to send: its resource and its tree with namespace defaulted and server fields removed. */
    private record Prepared(KubeResource resource, String namespace, String name, Map<String, Object> tree) {}

    // ---- validation ----------------------------------------------------------------------------------------------

    /**
     * Everything wrong with {@code objects} as a batch to apply: kinds tortie does not apply or the cluster does not
     * serve, objects given twice, and the converters' findings (errors block an apply; warnings do not).
     */
    public List<Diagnostic> validate(List<Manifest> objects) {
        List<Diagnostic> out = new ArrayList<>();
        prepare(objects, out);
        return out;
    }

    private List<Prepared> prepare(List<Manifest> objects, List<Diagnostic> diagnostics) {
        List<Prepared> prepared = new ArrayList<>();
        List<Manifest> converted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Manifest manifest : objects) {
            String apiVersion = manifest.apiVersion();
            String kind = manifest.kind();
            String label = (kind == null ? "object" : kind) + (manifest.name() == null ? "" : " " + manifest.name());
            if (apiVersion == null || kind == null) {
                diagnostics.add(Diagnostic.error(manifest.source(), label, null, "apiVersion and kind are required"));
                continue;
            }
            KubeResource resource = resourceFor(apiVersion, kind, manifest, label, diagnostics);
            if (resource == null) {
                continue;
            }
            Map<String, Object> tree = clean(manifest.tree(), resource);
            String name = ClusterModel.meta(tree, "name") instanceof String n ? n : null;
            String namespace = resource.namespaced() ? (String) ClusterModel.meta(tree, "namespace") : null;
            if (name != null) {
                String key = ClusterModel.objectKey(resource, tree);
                if (!seen.add(key)) {
                    diagnostics.add(Diagnostic.error(
                            manifest.source(),
                            kind + " " + (namespace == null ? name : namespace + "/" + name),
                            null,
                            "given twice in one batch"));
                    continue;
                }
            }
            converted.add(new Manifest(tree, manifest.source()));
            prepared.add(new Prepared(resource, namespace, name, tree));
        }
        LoadResult result = ManifestLoader.loadManifests(converted);
        diagnostics.addAll(result.diagnostics().stream()
                .filter(d -> d.severity() != Diagnostic.Severity.INFO)
                .toList());
        return prepared;
    }

    /** The served resource for apiVersion/kind, or null after saying why it cannot be applied. */
    private KubeResource resourceFor(
            String apiVersion, String kind, Manifest manifest, String label, List<Diagnostic> diagnostics) {
        for (KubeResource r : served) {
            if (r.apiVersion().equals(apiVersion) && r.kind().equals(kind)) {
                return r;
            }
        }
        KubeResource known = Stream.of(
                        KubeResource.KUBERNETES,
                        KubeResource.calico(KubeResource.CALICO_API),
                        KubeResource.calico(KubeResource.CALICO_CRDS))
                .flatMap(List::stream)
                .filter(r -> r.apiVersion().equals(apiVersion) && r.kind().equals(kind))
                .findFirst()
                .orElse(null);
        String message;
        if (known == null) {
            message = "kind " + kind + " (" + apiVersion + ") cannot be applied by tortie; it applies "
                    + KubeResource.KUBERNETES.stream().map(KubeResource::kind).collect(Collectors.joining(", "))
                    + " and Calico's policy kinds (" + KubeResource.CALICO_API + ")";
        } else if (calicoApi == null) {
            message = "Calico policy resources are not installed in context '" + context + "'";
        } else if (apiVersion.equals(KubeResource.CALICO_API)) {
            message = KubeResource.CALICO_API + " is not served in context '" + context + "' (no Calico API server;"
                    + " it has the " + calicoApi + " CRDs, which Calico does not support writing directly)";
        } else {
            message = known.resource() + " is not served in context '" + context + "' (it uses " + calicoApi + ")";
        }
        diagnostics.add(Diagnostic.error(manifest.source(), label, null, message));
        return null;
    }

    /** A mutable deep copy with the default namespace filled in (or removed for cluster-scoped kinds). */
    private Map<String, Object> clean(Map<String, Object> original, KubeResource resource) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) deepCopy(original);
        tree.remove("status");
        Map<String, Object> meta = metadata(tree);
        SERVER_METADATA.forEach(meta::remove);
        if (resource.namespaced()) {
            if (!(meta.get("namespace") instanceof String ns) || ns.isEmpty()) {
                meta.put("namespace", defaultNamespace);
            }
        } else {
            meta.remove("namespace");
        }
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> tree) {
        Object meta = tree.get("metadata");
        if (meta instanceof Map<?, ?>) {
            return (Map<String, Object>) meta;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        tree.put("metadata", created);
        return created;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(deepCopy(v)));
            return out;
        }
        return value;
    }

    // ---- apply ----------------------------------------------------------------------------------------------------

    /** {@link #apply(List, boolean, boolean)} without taking fields over from other field managers. */
    public ApplyReport apply(List<Manifest> objects, boolean dryRun) {
        return apply(objects, dryRun, false);
    }

    /**
     * Validates the batch, then server-side-applies each object in order (field manager {@value #FIELD_MANAGER}). All
     * or nothing: on the first failure the objects already changed are restored.
     *
     * @param dryRun ask the API server to validate and default without storing ({@code dryRun=All})
     * @param forceConflicts take fields over from other field managers instead of failing with a conflict
     * @throws TortieException INPUT when validation fails (nothing is sent)
     */
    public ApplyReport apply(List<Manifest> objects, boolean dryRun, boolean forceConflicts) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<Prepared> batch = prepare(objects, diagnostics);
        List<Diagnostic> errors =
                diagnostics.stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("nothing applied: ")
                    .append(errors.size() == 1 ? "1 object is invalid" : errors.size() + " problems")
                    .append(':');
            for (Diagnostic d : errors) {
                sb.append("\n  ").append(d);
            }
            throw new TortieException(ExitCode.INPUT, sb.toString());
        }
        List<ApplyReport.Item> items = new ArrayList<>();
        String failure = null;
        int failedAt = -1;
        for (int i = 0; i < batch.size(); i++) {
            Prepared p = batch.get(i);
            Map<String, Object> before;
            try {
                before = get(p.resource(), p.namespace(), p.name());
            } catch (RuntimeException e) {
                failure = failure(p, "get", e);
                items.add(item(p, ApplyReport.Outcome.FAILED, failure, null, null));
                failedAt = i;
                break;
            }
            try {
                Map<String, Object> after = serverSideApply(p, dryRun, forceConflicts);
                ApplyReport.Outcome outcome = before == null
                        ? ApplyReport.Outcome.CREATED
                        : sameContent(before, after) ? ApplyReport.Outcome.UNCHANGED : ApplyReport.Outcome.CONFIGURED;
                items.add(item(p, outcome, null, before, after));
            } catch (RuntimeException e) {
                failure = failure(p, before == null ? "create" : "patch", e);
                if (KubeErrors.code(e) == 409 && !forceConflicts) {
                    failure += " (another field manager owns these fields)";
                }
                items.add(item(p, ApplyReport.Outcome.FAILED, failure, before, null));
                failedAt = i;
                break;
            }
        }
        if (failedAt >= 0) {
            for (int i = failedAt + 1; i < batch.size(); i++) {
                items.add(item(batch.get(i), ApplyReport.Outcome.NOT_ATTEMPTED, null, null, null));
            }
            if (!dryRun) {
                rollBack(batch, items, failedAt);
            }
        }
        return new ApplyReport(dryRun, items, failure);
    }

    private Map<String, Object> serverSideApply(Prepared p, boolean dryRun, boolean force) {
        GenericKubernetesResource body =
                client.getKubernetesSerialization().convertValue(p.tree(), GenericKubernetesResource.class);
        PatchContext patch = new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(FIELD_MANAGER)
                .withForce(force)
                .build();
        GenericKubernetesResource result = scoped(p.resource(), p.namespace())
                .resource(body)
                .dryRun(dryRun)
                .patch(patch);
        return tree(result);
    }

    /** Undoes items [0, failedAt) in reverse order, replacing their outcomes. */
    private void rollBack(List<Prepared> batch, List<ApplyReport.Item> items, int failedAt) {
        for (int i = failedAt - 1; i >= 0; i--) {
            Prepared p = batch.get(i);
            ApplyReport.Item done = items.get(i);
            if (done.outcome() == ApplyReport.Outcome.UNCHANGED) {
                continue;
            }
            try {
                String how;
                if (done.before() == null) {
                    scoped(p.resource(), p.namespace()).withName(p.name()).delete();
                    how = "created, then deleted again";
                } else {
                    restore(p, done.before(), done.after());
                    how = "changed, then restored to its previous state";
                }
                items.set(i, withOutcome(done, ApplyReport.Outcome.ROLLED_BACK, how));
            } catch (RuntimeException e) {
                String why = (done.before() == null ? "could not delete it again: " : "could not restore it: ")
                        + KubeErrors.reason(e);
                items.set(i, withOutcome(done, ApplyReport.Outcome.ROLLBACK_FAILED, why));
            }
        }
    }

    /** Puts {@code before} back with an update locked to the version tortie wrote. */
    private void restore(Prepared p, Map<String, Object> before, Map<String, Object> after) {
        @SuppressWarnings("unchecked")
        Map<String, Object> previous = (Map<String, Object>) deepCopy(before);
        Map<String, Object> meta = metadata(previous);
        meta.put("resourceVersion", ClusterModel.meta(after, "resourceVersion"));
        previous.put("apiVersion", p.resource().apiVersion());
        previous.put("kind", p.resource().kind());
        GenericKubernetesResource body =
                client.getKubernetesSerialization().convertValue(previous, GenericKubernetesResource.class);
        scoped(p.resource(), p.namespace()).resource(body).update();
    }

    private static ApplyReport.Item withOutcome(ApplyReport.Item i, ApplyReport.Outcome outcome, String message) {
        return new ApplyReport.Item(
                i.apiVersion(), i.kind(), i.namespace(), i.name(), outcome, message, i.before(), i.after());
    }

    private static ApplyReport.Item item(
            Prepared p,
            ApplyReport.Outcome outcome,
            String message,
            Map<String, Object> before,
            Map<String, Object> after) {
        return new ApplyReport.Item(
                p.resource().apiVersion(),
                p.resource().kind(),
                p.namespace(),
                p.name(),
                outcome,
                message,
                before,
                after);
    }

    /** {@code cannot patch networkpolicies.networking.k8s.io app-b/x: forbidden (RBAC)}. */
    private static String failure(Prepared p, String verb, RuntimeException e) {
        return "cannot " + verb + " " + p.resource().describe(p.namespace(), p.name()) + ": " + KubeErrors.reason(e);
    }

    /** Equal apart from what the server maintains (versions, managed fields, status). */
    static boolean sameContent(Map<String, Object> a, Map<String, Object> b) {
        return comparable(a).equals(comparable(b));
    }

    private static Map<String, Object> comparable(Map<String, Object> tree) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) deepCopy(tree);
        copy.remove("status");
        Map<String, Object> meta = metadata(copy);
        SERVER_METADATA.forEach(meta::remove);
        return copy;
    }

    // ---- delete ---------------------------------------------------------------------------------------------------

    /**
     * Deletes one object.
     *
     * @param kind a kind or resource name, optionally qualified by group ({@code NetworkPolicy},
     *     {@code networkpolicies.projectcalico.org}, {@code gnp} is not understood); an unqualified kind served by
     *     both Kubernetes and Calico means the Kubernetes one, as in kubectl
     * @param namespace null = the context's namespace (ignored for cluster-scoped kinds)
     * @throws TortieException USAGE when the kind is unknown or not served
     */
    public DeleteReport delete(String kind, String namespace, String name, boolean dryRun) {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(name, "name == null");
        List<KubeResource> matches =
                served.stream().filter(r -> r.matches(kind)).toList();
        if (matches.isEmpty()) {
            throw TortieException.usage("cannot delete kind '" + kind + "': not one tortie manages in context '"
                    + context + "' ("
                    + served.stream().map(KubeResource::kind).distinct().collect(Collectors.joining(", ")) + ")");
        }
        KubeResource resource =
                matches.stream().filter(r -> !r.isCalico()).findFirst().orElse(matches.get(0));
        return delete(resource, namespace, name, dryRun);
    }

    /** Deletes the policy {@code id} names (a Kubernetes NetworkPolicy or a Calico policy). */
    public DeleteReport delete(PolicyId id, boolean dryRun) {
        Objects.requireNonNull(id, "id == null");
        PolicyKind kind = id.kind();
        KubeResource resource = served.stream()
                .filter(r -> r.policyKind() == kind)
                .findFirst()
                .orElseThrow(() -> TortieException.usage("cannot delete " + kind.displayName() + " " + id.name()
                        + ": "
                        + (kind == PolicyKind.PROFILE
                                ? "profiles are derived from namespaces and service accounts"
                                : "Calico policy resources are not served in context '" + context + "'")));
        return delete(resource, id.namespace(), id.name(), dryRun);
    }

    private DeleteReport delete(KubeResource resource, String namespace, String name, boolean dryRun) {
        String ns = resource.namespaced() ? (namespace == null ? defaultNamespace : namespace) : null;
        Map<String, Object> before;
        try {
            before = get(resource, ns, name);
        } catch (RuntimeException e) {
            return new DeleteReport(
                    resource.resource(),
                    resource.kind(),
                    ns,
                    name,
                    dryRun,
                    DeleteReport.Outcome.FAILED,
                    "cannot get " + resource.describe(ns, name) + ": " + KubeErrors.reason(e),
                    null);
        }
        if (before == null) {
            return new DeleteReport(
                    resource.resource(),
                    resource.kind(),
                    ns,
                    name,
                    dryRun,
                    DeleteReport.Outcome.NOT_FOUND,
                    resource.describe(ns, name) + " not found",
                    null);
        }
        try {
            scoped(resource, ns).withName(name).dryRun(dryRun).delete();
        } catch (RuntimeException e) {
            return new DeleteReport(
                    resource.resource(),
                    resource.kind(),
                    ns,
                    name,
                    dryRun,
                    DeleteReport.Outcome.FAILED,
                    "cannot delete " + resource.describe(ns, name) + ": " + KubeErrors.reason(e),
                    before);
        }
        return new DeleteReport(
                resource.resource(), resource.kind(), ns, name, dryRun, DeleteReport.Outcome.DELETED, null, before);
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private Map<String, Object> get(KubeResource resource, String namespace, String name) {
        GenericKubernetesResource found =
                scoped(resource, namespace).withName(name).get();
        return found == null ? null : tree(found);
    }

    private NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            scoped(KubeResource resource, String namespace) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                ops = client.genericKubernetesResources(resource.context());
        return resource.namespaced() ? ops.inNamespace(namespace) : ops;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tree(GenericKubernetesResource item) {
        return item == null ? null : client.getKubernetesSerialization().convertValue(item, Map.class);
    }
}
