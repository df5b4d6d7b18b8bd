package dev.tortie.shell.kube;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.convert.CalicoConverter;
import dev.tortie.engine.convert.Converted;
import dev.tortie.engine.convert.KubernetesPolicyConverter;
import dev.tortie.engine.convert.NamespaceConverter;
import dev.tortie.engine.convert.PodConverter;
import dev.tortie.engine.convert.ServiceAccountConverter;
import dev.tortie.engine.convert.WorkloadConverter;
import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.ServiceAccount;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.model.Workload;
import dev.tortie.shell.session.LockedIndex;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * API objects (as trees) to the policy index: each object goes through the engine converter for its resource, and
 * each add, update or delete becomes one incremental upsert or remove under the index's write lock.
 *
 * <p>An object the converter rejects is reported and left out; when an update is rejected, the last good version stays
 * in force (as the node agent does, so {@code trace} and enforcement agree) and status says so. An object that
 * converts to nothing on purpose (a host-network pod, a staged delete) is removed.
 *
 * <p>Events are ignored until {@link #load} has put the initial objects in: a watch's early events and the initial
 * load cannot interleave, and nothing the load put in is older than an event applied after it.
 */
final class ClusterModel {
    /** Calico mirrors of Kubernetes policies with legacy names; the NetworkPolicy itself is read directly. */
    private static final List<String> MIRROR_PREFIXES = List.of("knp.default.", "ossg.default.");

    /** What the index holds for one API object, so updates and deletes find it again. */
    private record Held(KubeResource resource, Object modelKey) {}

    /** Objects of one resource, as listed. */
    record Batch(KubeResource resource, List<Map<String, Object>> trees) {}

    private final LockedIndex index;
    private final ObjectSource source;
    private final KubeReporter reporter;
    private final Clock clock;

    // Guarded by the index's write lock (read under its read lock).
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, String> rejected = new TreeMap<>();
    private final Map<String, List<String>> reported = new HashMap<>();
    private final Map<String, String> lastResourceVersion = new TreeMap<>();
    private boolean live;
    private long events;
    private Instant lastEvent;

    ClusterModel(LockedIndex index, String context, KubeReporter reporter, Clock clock) {
        this.index = Objects.requireNonNull(index, "index == null");
        this.source = ObjectSource.cluster(Objects.requireNonNull(context, "context == null"));
        this.reporter = Objects.requireNonNull(reporter, "reporter == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    LockedIndex index() {
        return index;
    }

    /**
     * Puts the listed objects in (resources in the given order, objects by namespace and name) and from then on
     * applies events. Diagnostics are reported after the index lock is released.
     */
    void load(List<Batch> batches) {
        List<Diagnostic> toReport = new ArrayList<>();
        index.write(idx -> {
            for (Batch batch : batches) {
                List<Map<String, Object>> trees = new ArrayList<>(batch.trees());
                trees.sort(Comparator.comparing((Map<String, Object> t) -> String.valueOf(meta(t, "namespace")))
                        .thenComparing(t -> String.valueOf(meta(t, "name"))));
                for (Map<String, Object> tree : trees) {
                    Change change = convert(batch.resource(), tree);
                    toReport.addAll(applyLocked(idx, change));
                }
            }
            live = true;
            return null;
        });
        toReport.forEach(reporter::diagnostic);
    }

    /**
     * An object was added or changed in the cluster.
     *
     * @param event true for a watch event (counted in status), false for tortie's own write
     */
    void upsert(KubeResource resource, Map<String, Object> tree, boolean event) {
        Change change = convert(resource, tree);
        List<Diagnostic> toReport = index.write(idx -> {
            if (!live) {
                return List.<Diagnostic>of();
            }
            if (event) {
                countEvent(resource, tree);
            }
            return applyLocked(idx, change);
        });
        toReport.forEach(reporter::diagnostic);
    }

    /**
     * An object was deleted from the cluster.
     *
     * @param event true for a watch event (counted in status), false for tortie's own write
     */
    void delete(KubeResource resource, Map<String, Object> tree, boolean event) {
        String key = objectKey(resource, tree);
        index.write(idx -> {
            if (!live) {
                return null;
            }
            if (event) {
                countEvent(resource, tree);
            }
            Held previous = held.remove(key);
            if (previous != null) {
                remove(idx, previous);
            }
            rejected.remove(key);
            reported.remove(key);
            return null;
        });
    }

    /** Number of objects of each resource in the index, by resource name. */
    Map<String, Integer> counts() {
        return index.read(idx -> {
            Map<String, Integer> out = new TreeMap<>();
            for (Held h : held.values()) {
                out.merge(h.resource().resource(), 1, Integer::sum);
            }
            return out;
        });
    }

    /** Objects left out (or kept at their last good version) because the converter rejected them, with why. */
    Map<String, String> rejected() {
        return index.read(idx -> new TreeMap<>(rejected));
    }

    /** The resource version of the last event seen per resource. */
    Map<String, String> lastResourceVersions() {
        return index.read(idx -> new TreeMap<>(lastResourceVersion));
    }

    long events() {
        return index.read(idx -> events);
    }

    Instant lastEvent() {
        return index.read(idx -> lastEvent);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** One object converted (outside the lock): its key, the model value or null, and what the converter said. */
    private record Change(KubeResource resource, String key, Converted<?> converted, String skipped) {}

    private Change convert(KubeResource resource, Map<String, Object> raw) {
        Map<String, Object> tree = new LinkedHashMap<>(raw);
        // List items from the API server carry no apiVersion/kind; the converters need them.
        tree.put("apiVersion", resource.apiVersion());
        tree.put("kind", resource.kind());
        String key = objectKey(resource, tree);
        String name = String.valueOf(meta(tree, "name"));
        if (resource.role() == KubeResource.Role.CALICO_POLICY
                && MIRROR_PREFIXES.stream().anyMatch(name::startsWith)) {
            return new Change(resource, key, null, "Calico's mirror of a Kubernetes policy, read directly");
        }
        Converted<?> converted =
                switch (resource.role()) {
                    case NAMESPACE -> NamespaceConverter.convert(tree, source);
                    case SERVICE_ACCOUNT -> ServiceAccountConverter.convert(tree, source);
                    case WORKLOAD -> WorkloadConverter.convert(tree, source);
                    case POD -> PodConverter.convert(tree, source);
                    case KUBERNETES_POLICY -> KubernetesPolicyConverter.convert(tree, source);
                    case CALICO_POLICY -> CalicoConverter.convertPolicy(tree, source);
                    case TIER -> CalicoConverter.convertTier(tree, source);
                    case NETWORK_SET -> CalicoConverter.convertNetworkSet(tree, source);
                };
        return new Change(resource, key, converted, null);
    }

    /** Applies one change to the index (write lock held); returns the diagnostics to report. */
    private List<Diagnostic> applyLocked(ClusterIndex idx, Change change) {
        String key = change.key();
        if (change.skipped() != null) {
            Held previous = held.remove(key);
            if (previous != null) {
                remove(idx, previous);
            }
            return List.of();
        }
        Converted<?> converted = change.converted();
        List<Diagnostic> news = newDiagnostics(key, converted.diagnostics());
        if (converted.hasErrors()) {
            Held previous = held.get(key);
            String why = converted.errors().get(0).toString();
            int more = converted.errors().size() - 1;
            rejected.put(
                    key,
                    (previous != null ? "rejected, keeping the last good version: " : "rejected, left out: ")
                            + why
                            + (more > 0 ? " (and " + more + " more)" : ""));
            return news;
        }
        rejected.remove(key);
        Object value = converted.value();
        Held previous = held.get(key);
        if (value == null) {
            if (previous != null) {
                held.remove(key);
                remove(idx, previous);
            }
            return news;
        }
        Object modelKey = upsert(idx, value);
        if (previous != null && !previous.modelKey().equals(modelKey)) {
            remove(idx, previous);
        }
        held.put(key, new Held(change.resource(), modelKey));
        return news;
    }

    /** The diagnostics not already reported for this object at its previous version (a pod's status churns). */
    private List<Diagnostic> newDiagnostics(String key, List<Diagnostic> diagnostics) {
        List<String> texts = diagnostics.stream().map(Diagnostic::toString).toList();
        List<String> before = reported.put(key, texts);
        if (before == null) {
            return diagnostics;
        }
        return diagnostics.stream().filter(d -> !before.contains(d.toString())).toList();
    }

    private void countEvent(KubeResource resource, Map<String, Object> tree) {
        events++;
        lastEvent = clock.instant();
        Object rv = meta(tree, "resourceVersion");
        if (rv != null) {
            lastResourceVersion.put(resource.resource(), rv.toString());
        }
    }

    /** Puts a converted value into the index; returns the key it can be removed by. */
    private static Object upsert(ClusterIndex idx, Object value) {
        if (value instanceof Namespace n) {
            idx.upsertNamespace(n);
            return n.name();
        }
        if (value instanceof Endpoint e) {
            idx.upsertEndpoint(e);
            return List.of(e.namespace(), e.name());
        }
        if (value instanceof ServiceAccount s) {
            idx.upsertServiceAccount(s);
            return List.of(s.namespace(), s.name());
        }
        if (value instanceof Workload w) {
            idx.upsertWorkload(w);
            return w.key();
        }
        if (value instanceof Policy p) {
            idx.upsertPolicy(p);
            return p.id();
        }
        if (value instanceof Tier t) {
            idx.upsertTier(t);
            return t.name();
        }
        if (value instanceof NetworkSet s) {
            idx.upsertNetworkSet(s);
            return s.key();
        }
        throw new IllegalStateException(
                "unexpected model value " + value.getClass().getSimpleName());
    }

    @SuppressWarnings("unchecked")
    private static void remove(ClusterIndex idx, Held h) {
        switch (h.resource().role()) {
            case NAMESPACE -> idx.removeNamespace((String) h.modelKey());
            case POD -> {
                List<String> k = (List<String>) h.modelKey();
                idx.removeEndpoint(k.get(0), k.get(1));
            }
            case SERVICE_ACCOUNT -> {
                List<String> k = (List<String>) h.modelKey();
                idx.removeServiceAccount(k.get(0), k.get(1));
            }
            case WORKLOAD -> idx.removeWorkload((String) h.modelKey());
            case KUBERNETES_POLICY, CALICO_POLICY -> idx.removePolicy((PolicyId) h.modelKey());
            case TIER -> idx.removeTier((String) h.modelKey());
            case NETWORK_SET -> idx.removeNetworkSet((String) h.modelKey());
        }
    }

    /** {@code pods/app-a/web-1}, {@code namespaces/app-a}: one API object, across resources. */
    static String objectKey(KubeResource resource, Map<String, Object> tree) {
        Object name = meta(tree, "name");
        Object namespace = meta(tree, "namespace");
        return resource.namespaced()
                ? resource.resource() + "/" + namespace + "/" + name
                : resource.resource() + "/" + name;
    }

    static Object meta(Map<String, Object> tree, String field) {
        return tree.get("metadata") instanceof Map<?, ?> m ? m.get(field) : null;
    }
}
