package dev.tortie.shell.agent;

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
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps a {@link ClusterIndex} in step with an API server through fabric8 informers: namespaces, pods, service accounts,
 * Kubernetes network policies, optionally workloads, and Calico's policy resources when the cluster serves them
 * ({@code projectcalico.org/v3}, else the {@code crd.projectcalico.org/v1} CRDs). Objects go through the same engine
 * converters as manifests on disk, so the agent enforces exactly what {@code trace} predicts.
 *
 * <p>An object the converters reject (a malformed policy) is not applied: the index keeps the last good version of it
 * (or nothing), the rejection is logged and kept in {@link #rejections()}, and listeners are not told, so a node
 * program is never recompiled for it.
 *
 * <p>Thread-safe. Informer callbacks convert outside the index lock and then write under it.
 */
public final class ClusterWatcher implements AutoCloseable {
    /** Told after every change to the index, on an informer thread; must return quickly. */
    @FunctionalInterface
    public interface Listener {
        void changed(long indexVersion);
    }

    /** An object the converters refused, with why. */
    public record Rejection(String object, String resourceVersion, List<String> problems) {
        public Rejection {
            problems = List.copyOf(problems);
        }
    }

    /** What the index holds for one API object, so updates and deletes find it again. */
    private record Held(ApiKind kind, Object modelKey) {}

    /**
     * The verbs the watcher uses on every resource it reads: an informer lists (and relists after a 410 Gone), then
     * watches, always across all namespaces. Nothing is fetched one by one, created or changed. {@link AgentAccess} and
     * the deployed ClusterRole are derived from this and {@link #kindsRead}.
     */
    public static final List<String> VERBS = List.of("list", "watch");

    /**
     * Every resource a watcher may read: the core kinds, the workloads when asked, and Calico's kinds in each of
     * {@link ApiKind#CALICO_GROUP_VERSIONS} (only the first group the cluster serves is read, which one depends on
     * the cluster). Besides these, {@link #start} reads the discovery documents of the Calico groups.
     */
    public static List<ApiKind> kindsRead(boolean includeWorkloads) {
        List<ApiKind> kinds = new ArrayList<>(ApiKind.CORE);
        if (includeWorkloads) {
            kinds.addAll(ApiKind.WORKLOADS);
        }
        for (String gv : ApiKind.CALICO_GROUP_VERSIONS) {
            kinds.addAll(ApiKind.calico(gv));
        }
        return List.copyOf(kinds);
    }

    private final KubernetesClient client;
    private final LockedIndex index;
    private final String contextName;
    private final boolean includeWorkloads;
    private final Consumer<String> log;
    private final KubernetesSerialization serialization;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ApiKind, SharedIndexInformer<GenericKubernetesResource>> informers = new LinkedHashMap<>();
    /** API object key -> resource version of the last event handled (applied or rejected). */
    private final Map<String, String> handled = new ConcurrentHashMap<>();
    /** API object key -> what it became in the index (absent when it never converted). */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    private final List<String> unavailable = new CopyOnWriteArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private volatile Instant lastEvent;
    private volatile Instant startedAt;
    private volatile String calicoGroupVersion;
    private volatile boolean closed;

    /**
     * @param client the API client (the watcher does not close it)
     * @param index the index to keep current
     * @param contextName where objects come from, e.g. {@code lab}; diagnostics say {@code cluster:<contextName>}
     * @param includeWorkloads also watch Deployments, StatefulSets and DaemonSets
     * @param log one line per notable event (rejections, unavailable resources)
     */
    public ClusterWatcher(
            KubernetesClient client,
            LockedIndex index,
            String contextName,
            boolean includeWorkloads,
            Consumer<String> log) {
        this.client = Objects.requireNonNull(client, "client == null");
        this.index = Objects.requireNonNull(index, "index == null");
        this.contextName = Objects.requireNonNull(contextName, "contextName == null");
        this.includeWorkloads = includeWorkloads;
        this.log = Objects.requireNonNull(log, "log == null");
        this.serialization = client.getKubernetesSerialization();
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener == null"));
    }

    public LockedIndex index() {
        return index;
    }

    /**
     * Starts every informer and waits until each has listed its resource and every listed object has been converted.
     * Resources the server does not have (Calico not installed) or refuses (RBAC) are skipped and reported in
     * {@link #unavailable()}; the core resources must be readable.
     *
     * @throws KubernetesClientException when a core resource cannot be listed
     * @throws IllegalStateException when the initial sync does not finish in time
     */
    public ClusterWatcher start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        startedAt = Instant.now();
        List<ApiKind> kinds = new ArrayList<>();
        for (ApiKind k : kindsRead(includeWorkloads)) {
            if (!ApiKind.CALICO_GROUP_VERSIONS.contains(k.apiVersion())) {
                kinds.add(k); // Calico's kinds: only those of the group the cluster serves, below
            }
        }
        kinds.addAll(calicoKinds());
        Map<ApiKind, java.util.concurrent.CompletionStage<Void>> starting = new LinkedHashMap<>();
        for (ApiKind kind : kinds) {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind.context())
                    .inAnyNamespace()
                    .runnableInformer(0);
            informer.addEventHandler(new Handler(kind));
            informers.put(kind, informer);
            starting.put(kind, informer.start());
        }
        for (Map.Entry<ApiKind, java.util.concurrent.CompletionStage<Void>> e : starting.entrySet()) {
            ApiKind kind = e.getKey();
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                e.getValue().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                if (ApiKind.CORE.contains(kind)) {
                    close();
                    throw cause instanceof KubernetesClientException kce
                            ? kce
                            : new KubernetesClientException("cannot list " + kind + ": " + cause.getMessage(), cause);
                }
                informers.remove(kind).stop();
                unavailable.add(kind + ": " + cause.getMessage());
                log.accept("warning: " + kind + " not readable, left out: " + cause.getMessage());
            } catch (TimeoutException ex) {
                close();
                throw new IllegalStateException("timed out listing " + kind + " from the API server", ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while listing " + kind, ex);
            }
        }
        while (!caughtUp()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out converting the initial objects from the API server");
            }
            sleep(5);
        }
        return this;
    }

    /** The Calico kinds this cluster serves (first group of {@link ApiKind#CALICO_GROUP_VERSIONS} it has). */
    private List<ApiKind> calicoKinds() {
        for (String gv : ApiKind.CALICO_GROUP_VERSIONS) {
            APIResourceList list;
            try {
                list = client.getApiResources(gv);
            } catch (KubernetesClientException e) {
                continue;
            }
            if (list == null
                    || list.getResources() == null
                    || list.getResources().isEmpty()) {
                continue;
            }
            Set<String> served = new HashSet<>();
            for (APIResource r : list.getResources()) {
                served.add(r.getName());
            }
            List<ApiKind> out = new ArrayList<>();
            for (ApiKind k : ApiKind.calico(gv)) {
                if (served.contains(k.plural())) {
                    out.add(k);
                }
            }
            if (!out.isEmpty()) {
                calicoGroupVersion = gv;
                return out;
            }
        }
        return List.of();
    }

    /** True when every informer has synced and every object in its cache has been handled at its current version. */
    public boolean caughtUp() {
        for (Map.Entry<ApiKind, SharedIndexInformer<GenericKubernetesResource>> e : informers.entrySet()) {
            SharedIndexInformer<GenericKubernetesResource> informer = e.getValue();
            if (!informer.hasSynced()) {
                return false;
            }
            ApiKind kind = e.getKey();
            int count = 0;
            for (GenericKubernetesResource r : informer.getStore().list()) {
                count++;
                String key = kind.objectKey(
                        r.getMetadata().getNamespace(), r.getMetadata().getName());
                if (!Objects.equals(handled.get(key), r.getMetadata().getResourceVersion())) {
                    return false;
                }
            }
            if (handledCount(kind) != count) {
                return false;
            }
        }
        return true;
    }

    private int handledCount(ApiKind kind) {
        String prefix = kind.resource() + "/";
        int n = 0;
        for (String key : handled.keySet()) {
            if (key.startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    /**
     * True when the watcher has handled exactly the objects {@code api} lists now, at their current versions: a fresh
     * list from the API server (not the informer cache) is the reference, so this proves the index reflects every
     * write made before the call.
     */
    public boolean inSyncWith(KubernetesClient api) {
        for (ApiKind kind : informers.keySet()) {
            List<GenericKubernetesResource> items;
            try {
                items = api.genericKubernetesResources(kind.context())
                        .inAnyNamespace()
                        .list()
                        .getItems();
            } catch (KubernetesClientException e) {
                return false;
            }
            Map<String, String> want = new HashMap<>();
            for (GenericKubernetesResource r : items) {
                want.put(
                        kind.objectKey(
                                r.getMetadata().getNamespace(), r.getMetadata().getName()),
                        r.getMetadata().getResourceVersion());
            }
            Map<String, String> have = new HashMap<>();
            String prefix = kind.resource() + "/";
            for (Map.Entry<String, String> h : handled.entrySet()) {
                if (h.getKey().startsWith(prefix)) {
                    have.put(h.getKey(), h.getValue());
                }
            }
            if (!want.equals(have)) {
                return false;
            }
        }
        return true;
    }

    /** Objects the converters refused (kept out of the index, or kept at their last good version). */
    public Map<String, Rejection> rejections() {
        return Map.copyOf(rejections);
    }

    /** Resources left out because the server does not serve them or refuses to list them. */
    public List<String> unavailable() {
        return List.copyOf(unavailable);
    }

    /** The Calico API group in use, or null when Calico resources are not served. */
    public String calicoGroupVersion() {
        return calicoGroupVersion;
    }

    public List<ApiKind> watchedKinds() {
        return List.copyOf(informers.keySet());
    }

    public long eventCount() {
        return events.get();
    }

    /** True when every informer's watch is open (false while one reconnects, or after {@link #close()}). */
    public boolean watching() {
        return !closed && !informers.isEmpty() && informers.values().stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** Objects currently held in the index, by resource ({@code pods}, {@code networkpolicies.networking.k8s.io}). */
    public Map<String, Integer> heldByResource() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Held h : held.values()) {
            out.merge(h.kind().resource(), 1, Integer::sum);
        }
        return out;
    }

    /** For {@code status}: what is watched, how many events, how fresh. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("watching", informers.keySet().stream().map(ApiKind::resource).toList());
        s.put("calico", calicoGroupVersion == null ? "not served" : calicoGroupVersion);
        s.put("events", events.get());
        s.put("startedAt", String.valueOf(startedAt));
        s.put("lastEvent", String.valueOf(lastEvent));
        boolean watching =
                !informers.isEmpty() && informers.values().stream().allMatch(SharedIndexInformer::isWatching);
        s.put("watchesOpen", watching);
        if (!rejections.isEmpty()) {
            s.put("rejected", rejections.keySet().stream().sorted().toList());
        }
        if (!unavailable.isEmpty()) {
            s.put("unavailable", List.copyOf(unavailable));
        }
        return s;
    }

    @Override
    public void close() {
        closed = true;
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.values()) {
            try {
                informer.stop();
            } catch (RuntimeException e) {
                // stopping anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ events

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final ApiKind kind;

        Handler(ApiKind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            upsert(kind, obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            upsert(kind, newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            delete(kind, obj);
        }
    }

    private void upsert(ApiKind kind, GenericKubernetesResource resource) {
        if (closed) {
            return;
        }
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        String key = kind.objectKey(namespace, name);
        String version = resource.getMetadata().getResourceVersion();
        Converted<?> converted;
        try {
            converted = convert(kind, resource);
        } catch (RuntimeException e) {
            converted = null;
            reject(key, version, List.of("cannot convert: " + e));
        }
        if (converted != null && converted.hasErrors()) {
            List<String> problems = new ArrayList<>();
            for (Diagnostic d : converted.errors()) {
                problems.add(d.toString());
            }
            reject(key, version, problems);
            converted = null;
        }
        if (converted == null) {
            handled.put(key, version);
            touch();
            return;
        }
        if (rejections.remove(key) != null) {
            log.accept(
                    kind.kind() + " " + label(namespace, name) + " accepted again (resourceVersion " + version + ")");
        }
        Converted<?> ok = converted;
        long v = index.write(idx -> {
            Held previous = held.get(key);
            Object modelKey = ok.value() == null ? null : apply(idx, kind, ok.value());
            if (previous != null && !Objects.equals(previous.modelKey(), modelKey)) {
                remove(idx, previous);
            }
            if (modelKey == null) {
                held.remove(key);
            } else {
                held.put(key, new Held(kind, modelKey));
            }
            handled.put(key, version);
            return idx.version();
        });
        touch();
        notifyListeners(v);
    }

    private void delete(ApiKind kind, GenericKubernetesResource resource) {
        if (closed) {
            return;
        }
        String key = kind.objectKey(
                resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        rejections.remove(key);
        long v = index.write(idx -> {
            Held previous = held.remove(key);
            if (previous != null) {
                remove(idx, previous);
            }
            handled.remove(key);
            return idx.version();
        });
        touch();
        notifyListeners(v);
    }

    private void reject(String key, String version, List<String> problems) {
        Rejection previous = rejections.put(key, new Rejection(key, version, problems));
        if (previous == null || !previous.problems().equals(problems)) {
            log.accept("rejected " + key + " (resourceVersion " + version + "), "
                    + (held.containsKey(key) ? "keeping its last good version" : "not applied") + ": "
                    + String.join("; ", problems));
        }
    }

    private void touch() {
        events.incrementAndGet();
        lastEvent = Instant.now();
    }

    private void notifyListeners(long version) {
        for (Listener l : listeners) {
            try {
                l.changed(version);
            } catch (RuntimeException e) {
                log.accept("warning: change listener failed: " + e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Converted<?> convert(ApiKind kind, GenericKubernetesResource resource) {
        Map<String, Object> tree = new LinkedHashMap<>(serialization.convertValue(resource, Map.class));
        tree.putIfAbsent("apiVersion", kind.apiVersion());
        tree.putIfAbsent("kind", kind.kind());
        ObjectSource source = ObjectSource.cluster(contextName);
        return switch (kind.role()) {
            case NAMESPACE -> NamespaceConverter.convert(tree, source);
            case POD -> PodConverter.convert(tree, source);
            case SERVICE_ACCOUNT -> ServiceAccountConverter.convert(tree, source);
            case WORKLOAD -> WorkloadConverter.convert(tree, source);
            case KUBERNETES_POLICY -> KubernetesPolicyConverter.convert(tree, source);
            case CALICO_POLICY -> CalicoConverter.convertPolicy(tree, source);
            case TIER -> CalicoConverter.convertTier(tree, source);
            case NETWORK_SET -> CalicoConverter.convertNetworkSet(tree, source);
        };
    }

    /** Puts a converted object into the index; returns the key it can be removed by. */
    private static Object apply(ClusterIndex idx, ApiKind kind, Object value) {
        switch (kind.role()) {
            case NAMESPACE -> {
                Namespace n = (Namespace) value;
                idx.upsertNamespace(n);
                return n.name();
            }
            case POD -> {
                Endpoint e = (Endpoint) value;
                idx.upsertEndpoint(e);
                return e.key();
            }
            case SERVICE_ACCOUNT -> {
                ServiceAccount s = (ServiceAccount) value;
                idx.upsertServiceAccount(s);
                return s.key();
            }
            case WORKLOAD -> {
                Workload w = (Workload) value;
                idx.upsertWorkload(w);
                return w.key();
            }
            case KUBERNETES_POLICY, CALICO_POLICY -> {
                Policy p = (Policy) value;
                idx.upsertPolicy(p);
                return p.id();
            }
            case TIER -> {
                Tier t = (Tier) value;
                idx.upsertTier(t);
                return t.name();
            }
            case NETWORK_SET -> {
                NetworkSet s = (NetworkSet) value;
                idx.upsertNetworkSet(s);
                return s.key();
            }
        }
        throw new IllegalStateException("unknown role " + kind.role());
    }

    private static void remove(ClusterIndex idx, Held h) {
        switch (h.kind().role()) {
            case NAMESPACE -> idx.removeNamespace((String) h.modelKey());
            case POD -> {
                String[] parts = ((String) h.modelKey()).split("/", 2);
                idx.removeEndpoint(parts[0], parts[1]);
            }
            case SERVICE_ACCOUNT -> {
                String[] parts = ((String) h.modelKey()).split("/", 2);
                idx.removeServiceAccount(parts[0], parts[1]);
            }
            case WORKLOAD -> idx.removeWorkload((String) h.modelKey());
            case KUBERNETES_POLICY, CALICO_POLICY -> idx.removePolicy((PolicyId) h.modelKey());
            case TIER -> idx.removeTier((String) h.modelKey());
            case NETWORK_SET -> idx.removeNetworkSet((String) h.modelKey());
        }
    }

    private static String label(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
