package dev.tortie.shell.kube;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.Policy;
import dev.tortie.shell.session.ClusterSource;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.LockedIndex;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A live cluster as a {@link ClusterSource}: reads Namespaces, ServiceAccounts, workloads, Pods, Kubernetes
 * NetworkPolicies and, when installed, Calico's policy resources ({@code projectcalico.org/v3} through the Calico API
 * server, else the {@code crd.projectcalico.org/v1} CRDs), converts each object with the engine's converters and keeps
 * them in a {@link ClusterIndex}.
 *
 * <p>One-shot use ({@code watch=false}) lists every resource once, in parallel and paginated. The REPL
 * ({@code watch=true}) runs one informer per resource instead: each add, update or delete becomes one incremental
 * index update, so a relabel in the cluster shows in the next {@code trace}.
 *
 * <p>Failures: an unreachable API server, a bad kubeconfig or an unknown context are errors (exit code 5) that name
 * the server or file; a resource the user may not read (RBAC) is a warning naming the resource and verb, and the
 * source works with what it could read; Calico not being installed is one INFO line.
 */
public final class KubeSource implements ClusterSource {
    /** Connect timeout: an unreachable server fails fast. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Per-request timeout (lists are paginated, so one request stays small). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);
    /** How long the REPL waits for the informers' first lists before it goes on without the slow ones. */
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** Objects per list page in one-shot mode. */
    static final long PAGE = 500;

    static final String CALICO_MISSING = "Calico policy resources not installed; reading Kubernetes NetworkPolicy only";

    /** How one resource was read: where, at which version, whether it is watched, or why it could not be read. */
    private static final class ResourceState {
        final KubeResource resource;
        volatile String scope = "cluster";
        volatile String resourceVersion;
        volatile String error;
        volatile String watchError;
        volatile SharedIndexInformer<GenericKubernetesResource> informer;

        ResourceState(KubeResource resource) {
            this.resource = resource;
        }
    }

    private final KubeOptions options;
    private final KubeConfigs.Resolved resolved;
    private final KubernetesClient client;
    private final KubeReporter reporter;
    private final Clock clock;
    private final ClusterModel model;
    private final String defaultNamespace;
    private final Map<KubeResource, ResourceState> states = new LinkedHashMap<>();
    private final List<Map<String, Object>> unreadable = new CopyOnWriteArrayList<>();
    private volatile String calicoApi;
    private volatile String serverVersion;
    private volatile Instant loadedAt;
    private volatile Duration loadTime;
    private volatile boolean closed;
    private KubeWriter writer;

    private KubeSource(
            KubeOptions options,
            KubeConfigs.Resolved resolved,
            KubernetesClient client,
            KubeReporter reporter,
            Clock clock) {
        this.options = options;
        this.resolved = resolved;
        this.client = client;
        this.reporter = reporter;
        this.clock = clock;
        String ns = resolved.config().getNamespace();
        this.defaultNamespace = ns == null || ns.isBlank() ? "default" : ns;
        this.model = new ClusterModel(new LockedIndex(new ClusterIndex()), resolved.context(), reporter, clock);
    }

    /**
     * Connects, reads the cluster and (with {@code options.watch()}) starts watching it.
     *
     * @param env the environment to find the kubeconfig in ({@code KUBECONFIG}, {@code HOME})
     * @throws TortieException CLUSTER when the kubeconfig or context is bad or the API server cannot be reached;
     *     USAGE when no kubeconfig exists at all
     */
    public static KubeSource open(KubeOptions options, Map<String, String> env, KubeReporter reporter) {
        return open(options, env, reporter, Clock.systemUTC());
    }

    static KubeSource open(KubeOptions options, Map<String, String> env, KubeReporter reporter, Clock clock) {
        Objects.requireNonNull(options, "options == null");
        Objects.requireNonNull(env, "env == null");
        Objects.requireNonNull(reporter, "reporter == null");
        long start = System.nanoTime();
        KubeConfigs.Resolved resolved = KubeConfigs.resolve(options, env);
        Config config = resolved.config();
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
        config.setRequestRetryBackoffLimit(1);
        config.setRequestRetryBackoffInterval(200);
        config.setWatchReconnectInterval(1000);
        config.setWatchReconnectLimit(-1);
        KubernetesClient client;
        try {
            client = new KubernetesClientBuilder().withConfig(config).build();
        } catch (RuntimeException e) {
            throw new TortieException(
                    ExitCode.CLUSTER,
                    "cannot set up a client for context '" + resolved.context() + "' (" + resolved.origin() + "): "
                            + KubeErrors.rootMessage(e),
                    e);
        }
        KubeSource source = new KubeSource(options, resolved, client, reporter, clock);
        try {
            source.connect();
            source.discoverCalico();
            if (options.watch()) {
                source.watchAll();
            } else {
                source.listAll();
            }
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        source.loadedAt = clock.instant();
        source.loadTime = Duration.ofNanos(System.nanoTime() - start);
        return source;
    }

    // ---- ClusterSource ------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return resolved.context();
    }

    @Override
    public String defaultNamespace() {
        return defaultNamespace;
    }

    @Override
    public <T> T read(Function<ClusterIndex, T> query) {
        return model.index().read(query);
    }

    @Override
    public <T> T write(Function<ClusterIndex, T> update) {
        return model.index().write(update);
    }

    /** This source's API client (do not close it): for requests the model does not cover, e.g. port-forwards to agents. */
    public KubernetesClient client() {
        return client;
    }

    /** The API server URL. */
    public String server() {
        return String.valueOf(client.getMasterUrl());
    }

    /** The Calico API in use ({@code projectcalico.org/v3} or {@code crd.projectcalico.org/v1}), or null. */
    public String calicoApi() {
        return calicoApi;
    }

    /** Whether informers keep the model current. */
    public boolean watching() {
        return options.watch() && !closed;
    }

    /** The resources read (those the cluster serves), in load order. */
    public List<KubeResource> resources() {
        return List.copyOf(states.keySet());
    }

    /** Writes through this source's connection: server-side apply and delete, with dry-run. */
    public synchronized KubeWriter writer() {
        if (writer == null) {
            writer = new KubeWriter(client, resolved.context(), defaultNamespace, resources(), calicoApi);
        }
        return writer;
    }

    /**
     * {@code apply}: server-side apply of every object through {@link #writer()}, all or nothing; the session's model
     * takes the objects as the API server returned them at once (the watch, if any, then confirms them). A failure is
     * a CLUSTER error saying what failed and what was undone.
     */
    @Override
    public List<String> apply(List<Manifest> manifests, LoadResult objects, boolean dryRun) {
        ApplyReport report = writer().apply(manifests, dryRun);
        if (!report.ok()) {
            throw new TortieException(ExitCode.CLUSTER, failureMessage(report));
        }
        List<String> lines = new ArrayList<>();
        for (ApplyReport.Item item : report.items()) {
            if (!dryRun && item.after() != null) {
                KubeResource resource = resourceOf(item.apiVersion(), item.kind());
                if (resource != null) {
                    model.upsert(resource, item.after(), false);
                }
            }
            String what =
                    switch (item.outcome()) {
                        case CREATED -> dryRun ? "would be created" : "created";
                        case CONFIGURED -> dryRun ? "would be configured" : "configured";
                        case UNCHANGED -> "unchanged";
                        default -> item.outcome().name().toLowerCase(java.util.Locale.ROOT);
                    };
            lines.add(item.label() + " " + what + (dryRun ? " (server dry run)" : " (server-side apply)"));
        }
        return lines;
    }

    /** {@code delete policy}: deletes it through the API (with the API server's dry run when asked). */
    @Override
    public String delete(Policy policy, boolean dryRun) {
        DeleteReport report = writer().delete(policy.id(), dryRun);
        switch (report.outcome()) {
            case FAILED -> throw new TortieException(ExitCode.CLUSTER, report.message());
            case NOT_FOUND -> throw new TortieException(
                    ExitCode.CLUSTER, report.message() + " in context '" + name() + "' (deleted meanwhile?)");
            case DELETED -> {
                KubeResource resource = states.keySet().stream()
                        .filter(r -> r.resource().equals(report.resource()))
                        .findFirst()
                        .orElse(null);
                if (!dryRun && resource != null && report.before() != null) {
                    model.delete(resource, report.before(), false);
                }
            }
        }
        return report.label() + (dryRun ? " would be deleted (server dry run)" : " deleted");
    }

    private KubeResource resourceOf(String apiVersion, String kind) {
        for (KubeResource r : states.keySet()) {
            if (r.apiVersion().equals(apiVersion) && r.kind().equals(kind)) {
                return r;
            }
        }
        return null;
    }

    /** {@code cannot create ... : forbidden (RBAC); undone: NetworkPolicy app-b/a restored, ...}. */
    static String failureMessage(ApplyReport report) {
        List<String> undone = new ArrayList<>();
        List<String> stuck = new ArrayList<>();
        for (ApplyReport.Item item : report.items()) {
            if (item.outcome() == ApplyReport.Outcome.ROLLED_BACK) {
                undone.add(item.label() + (item.before() == null ? " deleted again" : " restored"));
            } else if (item.outcome() == ApplyReport.Outcome.ROLLBACK_FAILED) {
                stuck.add(item.label() + ": " + item.message());
            }
        }
        StringBuilder sb =
                new StringBuilder(report.dryRun() ? "dry run failed: " : "apply failed: ").append(report.failure());
        if (!stuck.isEmpty()) {
            sb.append("; the cluster is NOT as before: ").append(String.join("; ", stuck));
            if (!undone.isEmpty()) {
                sb.append(" (undone: ").append(String.join(", ", undone)).append(')');
            }
        } else if (!report.dryRun()) {
            sb.append("; nothing was changed")
                    .append(undone.isEmpty() ? "" : " (undone: " + String.join(", ", undone) + ")");
        }
        return sb.toString();
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", "kubernetes");
        s.put("context", resolved.context());
        s.put("server", server());
        s.put("serverVersion", serverVersion);
        s.put("kubeconfig", resolved.origin());
        if (resolved.user() != null) {
            s.put("user", resolved.user());
        }
        if (resolved.exec() != null) {
            s.put("credentials", "exec: " + resolved.exec());
        }
        s.put("namespace", defaultNamespace);
        s.put("calico", calicoApi == null ? "not installed" : calicoApi);
        s.put("watch", watching());
        s.put("loadedAt", String.valueOf(loadedAt));
        s.put("loadTimeMillis", loadTime == null ? null : loadTime.toMillis());
        Instant last = model.lastEvent();
        s.put("lastEventAt", last == null ? null : last.toString());
        s.put("events", model.events());
        Map<String, Integer> counts = model.counts();
        Map<String, String> lastVersions = model.lastResourceVersions();
        List<Map<String, Object>> resources = new ArrayList<>();
        for (ResourceState state : states.values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("resource", state.resource.resource());
            r.put("kind", state.resource.kind());
            r.put("scope", state.error != null ? "none" : state.scope);
            r.put("count", counts.getOrDefault(state.resource.resource(), 0));
            String rv = lastVersions.getOrDefault(state.resource.resource(), state.resourceVersion);
            r.put("resourceVersion", rv);
            if (options.watch()) {
                SharedIndexInformer<GenericKubernetesResource> informer = state.informer;
                r.put("watching", informer != null && informer.isWatching());
            }
            if (state.error != null) {
                r.put("error", state.error);
            }
            if (state.watchError != null) {
                r.put("watchError", state.watchError);
            }
            resources.add(r);
        }
        s.put("resources", resources);
        read(index -> {
            s.put("namespaces", index.namespaces().size());
            s.put("endpoints", index.endpoints().size());
            s.put("policies", index.policies().size());
            return null;
        });
        s.put("unreadable", List.copyOf(unreadable));
        Map<String, String> rejected = model.rejected();
        s.put("invalid", rejected.size());
        if (!rejected.isEmpty()) {
            s.put("invalidObjects", new ArrayList<>(rejected.values()));
        }
        return s;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ResourceState state : states.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = state.informer;
            if (informer != null) {
                try {
                    informer.stop();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
        }
        client.close();
    }

    // ---- connecting -----------------------------------------------------------------------------------------

    /** Checks the server answers and accepts the credentials ({@code /version} is readable by everyone). */
    private void connect() {
        try {
            VersionInfo version = client.getKubernetesVersion();
            serverVersion = version == null ? null : version.getGitVersion();
        } catch (RuntimeException e) {
            int code = KubeErrors.code(e);
            if (code == 401) {
                throw unauthorized(e);
            }
            if (code == 0) {
                throw unreachable(e);
            }
            // 403/404 on /version: the server is there; carry on without its version.
        }
    }

    private TortieException unreachable(Throwable e) {
        return new TortieException(
                ExitCode.CLUSTER,
                "cannot reach the API server " + server() + " (context '" + resolved.context() + "', kubeconfig "
                        + resolved.origin() + "): " + KubeErrors.reason(e),
                e);
    }

    private TortieException unauthorized(Throwable e) {
        String who = resolved.user() == null ? "" : " of user '" + resolved.user() + "'";
        String how = resolved.exec() == null ? "" : " (exec credential plugin: " + resolved.exec() + ")";
        return new TortieException(
                ExitCode.CLUSTER,
                "the API server " + server() + " rejected the credentials" + who + how + " (401 Unauthorized;"
                        + " context '" + resolved.context() + "', kubeconfig " + resolved.origin() + ")",
                e);
    }

    /** Picks the Calico API: the Calico API server if it serves policies, else the CRDs, else none (one INFO). */
    private void discoverCalico() {
        List<KubeResource> calico = List.of();
        for (String groupVersion : List.of(KubeResource.CALICO_API, KubeResource.CALICO_CRDS)) {
            APIResourceList list;
            try {
                list = client.getApiResources(groupVersion);
            } catch (RuntimeException e) {
                if (KubeErrors.unreachable(e)) {
                    throw unreachable(e);
                }
                if (KubeErrors.code(e) == 401) {
                    throw unauthorized(e);
                }
                reporter.notice(
                        Diagnostic.Severity.WARNING,
                        "cannot discover " + groupVersion + ": " + KubeErrors.reason(e)
                                + (groupVersion.equals(KubeResource.CALICO_API)
                                        ? "; trying " + KubeResource.CALICO_CRDS
                                        : ""));
                continue;
            }
            if (list == null || list.getResources() == null) {
                continue;
            }
            Set<String> served = new HashSet<>();
            for (APIResource r : list.getResources()) {
                served.add(r.getName());
            }
            List<KubeResource> found = KubeResource.calico(groupVersion).stream()
                    .filter(r -> served.contains(r.plural()))
                    .toList();
            if (found.stream().anyMatch(r -> r.role() == KubeResource.Role.CALICO_POLICY)) {
                calicoApi = groupVersion;
                calico = found;
                break;
            }
        }
        for (KubeResource r : KubeResource.KUBERNETES) {
            states.put(r, new ResourceState(r));
        }
        for (KubeResource r : calico) {
            states.put(r, new ResourceState(r));
        }
        if (calicoApi == null) {
            reporter.notice(Diagnostic.Severity.INFO, CALICO_MISSING);
        }
    }

    // ---- one-shot: list once ---------------------------------------------------------------------------------

    /** A resource's objects as trees, and the list's resource version. */
    private record Listing(List<Map<String, Object>> trees, String resourceVersion) {}

    private void listAll() {
        List<ResourceState> all = new ArrayList<>(states.values());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, all.size()), r -> {
            Thread t = new Thread(r, "tortie-list-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Map<ResourceState, Future<Listing>> futures = new LinkedHashMap<>();
        try {
            for (ResourceState state : all) {
                futures.put(state, pool.submit(() -> listReadable(state)));
            }
            List<ClusterModel.Batch> batches = new ArrayList<>();
            for (Map.Entry<ResourceState, Future<Listing>> e : futures.entrySet()) {
                Listing listing = await(e.getValue());
                if (listing != null) {
                    e.getKey().resourceVersion = listing.resourceVersion();
                    batches.add(new ClusterModel.Batch(e.getKey().resource, listing.trees()));
                }
            }
            model.load(batches);
        } finally {
            pool.shutdownNow();
        }
        reportRejected();
    }

    private static Listing await(Future<Listing> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TortieException(ExitCode.CLUSTER, "interrupted while reading the cluster", e);
        }
    }

    /**
     * Lists one resource across namespaces; when that is forbidden for a namespaced resource, in the default namespace
     * only. Returns null (after a warning) when it cannot be read at all.
     */
    private Listing listReadable(ResourceState state) {
        KubeResource resource = state.resource;
        try {
            return list(resource, null);
        } catch (RuntimeException e) {
            if (KubeErrors.code(e) == 403 && resource.namespaced()) {
                try {
                    Listing listing = list(resource, defaultNamespace);
                    state.scope = "namespace " + defaultNamespace;
                    forbiddenAtClusterScope(state, e);
                    return listing;
                } catch (RuntimeException inNamespace) {
                    cannotRead(state, inNamespace, true);
                    return null;
                }
            }
            cannotRead(state, e, false);
            return null;
        }
    }

    private Listing list(KubeResource resource, String namespace) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                ops = client.genericKubernetesResources(resource.context());
        List<Map<String, Object>> trees = new ArrayList<>();
        String cont = null;
        String version;
        do {
            ListOptions page =
                    new ListOptionsBuilder().withLimit(PAGE).withContinue(cont).build();
            GenericKubernetesResourceList list = !resource.namespaced()
                    ? ops.list(page)
                    : namespace == null
                            ? ops.inAnyNamespace().list(page)
                            : ops.inNamespace(namespace).list(page);
            for (GenericKubernetesResource item : list.getItems()) {
                trees.add(tree(item));
            }
            version = list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
            cont = list.getMetadata() == null ? null : list.getMetadata().getContinue();
        } while (cont != null && !cont.isEmpty());
        return new Listing(trees, version);
    }

    // ---- REPL: informers ---------------------------------------------------------------------------------------

    private void watchAll() {
        Map<ResourceState, CompletableFuture<Void>> starting = new LinkedHashMap<>();
        for (ResourceState state : states.values()) {
            starting.put(state, startInformer(state, null));
        }
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        for (Map.Entry<ResourceState, CompletableFuture<Void>> e : starting.entrySet()) {
            ResourceState state = e.getKey();
            try {
                awaitStart(e.getValue(), deadline);
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                stopInformer(state);
                if (KubeErrors.unreachable(cause)) {
                    throw unreachable(cause);
                }
                if (KubeErrors.code(cause) == 403 && state.resource.namespaced()) {
                    try {
                        awaitStart(startInformer(state, defaultNamespace), deadline);
                        state.scope = "namespace " + defaultNamespace;
                        forbiddenAtClusterScope(state, cause);
                    } catch (ExecutionException inNamespace) {
                        stopInformer(state);
                        cannotRead(state, inNamespace.getCause() == null ? inNamespace : inNamespace.getCause(), true);
                    } catch (TimeoutException timeout) {
                        stillListing(state);
                    }
                    continue;
                }
                cannotRead(state, cause, false);
            } catch (TimeoutException ex) {
                stillListing(state);
            }
        }
        List<ClusterModel.Batch> batches = new ArrayList<>();
        for (ResourceState state : states.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = state.informer;
            if (informer != null) {
                state.resourceVersion = informer.lastSyncResourceVersion();
                List<Map<String, Object>> trees = new ArrayList<>();
                for (GenericKubernetesResource item : informer.getStore().list()) {
                    trees.add(tree(item));
                }
                batches.add(new ClusterModel.Batch(state.resource, trees));
            }
        }
        model.load(batches);
        reportRejected();
    }

    private CompletableFuture<Void> startInformer(ResourceState state, String namespace) {
        KubeResource resource = state.resource;
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                ops = client.genericKubernetesResources(resource.context());
        SharedIndexInformer<GenericKubernetesResource> informer = !resource.namespaced()
                ? ops.runnableInformer(0)
                : namespace == null
                        ? ops.inAnyNamespace().runnableInformer(0)
                        : ops.inNamespace(namespace).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                model.upsert(resource, tree(obj), true);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                model.upsert(resource, tree(newObj), true);
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                model.delete(resource, tree(obj), true);
            }
        });
        informer.exceptionHandler((started, t) -> {
            if (!started) {
                return false; // the initial list failed: reported by watchAll
            }
            String reason = KubeErrors.reason(t);
            if (!reason.equals(state.watchError)) {
                state.watchError = reason;
            }
            return !closed;
        });
        state.informer = informer;
        return informer.start().toCompletableFuture();
    }

    private static void awaitStart(CompletableFuture<Void> future, long deadline)
            throws ExecutionException, TimeoutException {
        try {
            future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TortieException(ExitCode.CLUSTER, "interrupted while reading the cluster", e);
        }
    }

    private void stopInformer(ResourceState state) {
        SharedIndexInformer<GenericKubernetesResource> informer = state.informer;
        state.informer = null;
        if (informer != null) {
            informer.stop();
        }
    }

    private void stillListing(ResourceState state) {
        reporter.notice(
                Diagnostic.Severity.WARNING,
                "still listing " + state.resource.resource() + " after " + SYNC_TIMEOUT.toSeconds()
                        + "s; its objects will appear as they arrive");
    }

    // ---- reporting -------------------------------------------------------------------------------------------------

    private void forbiddenAtClusterScope(ResourceState state, Throwable e) {
        String message = "cannot list " + state.resource.resource() + " at cluster scope: " + KubeErrors.reason(e)
                + "; reading namespace " + defaultNamespace + " only";
        unreadable.add(unreadableEntry(state.resource, "list", "cluster", KubeErrors.reason(e)));
        reporter.notice(Diagnostic.Severity.WARNING, message);
    }

    /**
     * Reports a resource that cannot be read and goes on without it; an unreachable server or rejected credentials are
     * fatal instead.
     *
     * @param triedNamespace whether reading the default namespace was tried after cluster scope was forbidden
     */
    private void cannotRead(ResourceState state, Throwable e, boolean triedNamespace) {
        if (KubeErrors.unreachable(e)) {
            throw unreachable(e);
        }
        if (KubeErrors.code(e) == 401) {
            throw unauthorized(e);
        }
        String reason = KubeErrors.reason(e);
        String scope = triedNamespace ? "cluster scope or in namespace " + defaultNamespace : "cluster scope";
        state.error = reason;
        unreadable.add(unreadableEntry(
                state.resource, "list", triedNamespace ? "cluster, namespace " + defaultNamespace : "cluster", reason));
        reporter.notice(
                Diagnostic.Severity.WARNING,
                "cannot list " + state.resource.resource() + " at " + scope + ": " + reason
                        + "; continuing without them");
    }

    private static Map<String, Object> unreadableEntry(KubeResource r, String verb, String scope, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", r.resource());
        m.put("verb", verb);
        m.put("scope", scope);
        m.put("reason", reason);
        return m;
    }

    private void reportRejected() {
        int rejected = model.rejected().size();
        if (rejected > 0) {
            reporter.notice(
                    Diagnostic.Severity.WARNING,
                    (rejected == 1 ? "1 object" : rejected + " objects") + " in context '" + resolved.context() + "' "
                            + (rejected == 1 ? "is" : "are") + " invalid (see above) and left out");
        }
    }

    // ---- trees --------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private Map<String, Object> tree(GenericKubernetesResource item) {
        return client.getKubernetesSerialization().convertValue(item, Map.class);
    }

    /** For tests: whether any informer still runs (none after {@link #close}). */
    boolean informersRunning() {
        for (ResourceState state : states.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = state.informer;
            if (informer != null && informer.isRunning()) {
                return true;
            }
        }
        return false;
    }

    /** The informer threads' view, for tests: true once every running informer watches. */
    boolean allWatching() {
        for (ResourceState state : states.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = state.informer;
            if (informer != null && !informer.isWatching()) {
                return false;
            }
        }
        return true;
    }
}
