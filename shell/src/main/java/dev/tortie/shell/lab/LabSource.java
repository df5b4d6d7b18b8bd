package dev.tortie.shell.lab;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.shell.agent.ApiKind;
import dev.tortie.shell.agent.ClusterWatcher;
import dev.tortie.shell.session.ClusterSource;
import dev.tortie.shell.session.LockedIndex;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shell's view of the lab: a {@link ClusterSource} that reads the lab's API server through its own client and
 * informers (as it would read any cluster), plus the {@link Lab} itself for {@code lab}, {@code probe} and {@code
 * trace --live}. {@code lab down} stops the lab but keeps this source, so {@code lab up} can start a fresh one.
 *
 * <p>To open the shell on the starting article's scenario: {@code LabSource.startWithArticle(Lab.Options.defaults(),
 * log, progress)}.
 */
public final class LabSource implements ClusterSource {
    private static final Duration SYNC = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final Lab.Options options;
    private final Consumer<String> log;
    private Lab lab;
    private KubernetesClient client;
    private ClusterWatcher view;

    private LabSource(Lab.Options options, Consumer<String> log) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.log = Objects.requireNonNull(log, "log == null");
    }

    /** Starts a lab and a view of it. */
    public static LabSource start(Lab.Options options, Consumer<String> log) {
        LabSource source = new LabSource(options, log);
        source.up();
        return source;
    }

    /** Starts a lab with the starting article's scenario loaded (see {@link Lab#startWithArticle}). */
    public static LabSource startWithArticle(Lab.Options options, Consumer<String> log, Consumer<String> progress) {
        Path article = Lab.findExample("article")
                .orElseThrow(() -> TortieException.input(
                        "cannot find examples/article (set -Dtortie.root=DIR to the tortie checkout)"));
        LabSource source = start(options, log);
        try {
            source.load(List.of(article), progress);
            return source;
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Starts the lab if it is down; returns false when it was already up. */
    public synchronized boolean up() {
        if (lab != null) {
            return false;
        }
        Lab started = Lab.start(options, log);
        try {
            client = started.api().newClient();
            view = new ClusterWatcher(client, new LockedIndex(new ClusterIndex()), "lab", true, log).start(SYNC);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
                client = null;
            }
            started.close();
            throw e;
        }
        lab = started;
        return true;
    }

    /** Stops the lab and removes everything it created; returns false when it was already down. */
    public synchronized boolean down() {
        if (lab == null) {
            return false;
        }
        Lab stopping = lab;
        lab = null;
        try {
            view.close();
            client.close();
        } finally {
            view = null;
            client = null;
            stopping.close();
        }
        return true;
    }

    public synchronized boolean isUp() {
        return lab != null;
    }

    /** The running lab; an error saying how to start it when it is down. */
    public synchronized Lab lab() {
        if (lab == null) {
            throw TortieException.usage("the lab is down: run 'lab up'");
        }
        return lab;
    }

    /** The shell's watcher of the lab API. */
    public synchronized ClusterWatcher view() {
        lab();
        return view;
    }

    public Lab.Options options() {
        return options;
    }

    /** {@code lab load}: applies the manifests and waits until pods run, the node is programmed and this view caught up. */
    public Lab.LoadReport load(List<Path> paths, Consumer<String> progress) {
        Lab l;
        ClusterWatcher v;
        synchronized (this) {
            l = lab();
            v = view;
        }
        return l.load(paths, progress, WAIT, v);
    }

    /** Waits until the lab settled and this view caught up. */
    public void awaitSettled(Duration timeout, Consumer<String> progress) {
        Lab l;
        ClusterWatcher v;
        synchronized (this) {
            l = lab();
            v = view;
        }
        l.awaitConverged(timeout, progress, v);
    }

    /**
     * {@code apply}: writes the (validated) objects to the lab's API server, create or replace, then waits until the
     * node enforces them. A dry run writes nothing.
     */
    @Override
    public List<String> apply(List<Manifest> manifests, LoadResult objects, boolean dryRun) {
        List<String> lines = new ArrayList<>();
        if (dryRun) {
            for (Manifest m : manifests) {
                lines.add(m.kind() + " " + (m.namespace() == null ? "" : m.namespace() + "/") + m.name()
                        + " would be applied (lab)");
            }
            return lines;
        }
        Lab l = lab();
        for (ManifestApplier.Applied a : new ManifestApplier(l.client(), log).applyValidated(manifests)) {
            lines.add(a.name() + " " + a.action() + " (lab)");
        }
        awaitSettled(WAIT, line -> {});
        return lines;
    }

    /** {@code delete policy}: deletes it from the lab's API server and waits until the node stops enforcing it. */
    @Override
    public String delete(Policy policy, boolean dryRun) {
        String label = policy.kind().kind() + " " + policy.id().qualifiedName();
        if (dryRun) {
            return label + " would be deleted (lab)";
        }
        ApiKind kind = policy.kind() == PolicyKind.KUBERNETES_NETWORK_POLICY
                ? ApiKind.NETWORK_POLICIES
                : ApiKind.calico(ApiKind.CALICO_GROUP_VERSIONS.get(0)).stream()
                        .filter(k -> k.kind().equals(policy.kind().kind()))
                        .findFirst()
                        .orElseThrow(() -> TortieException.input(
                                "the lab does not serve " + policy.kind().kind()));
        var op = lab().client().genericKubernetesResources(kind.context());
        var scoped = policy.namespace() == null ? op : op.inNamespace(policy.namespace());
        scoped.withName(policy.name()).delete();
        awaitSettled(WAIT, line -> {});
        return label + " deleted (lab)";
    }

    @Override
    public String name() {
        return "lab";
    }

    @Override
    public String defaultNamespace() {
        return "default";
    }

    @Override
    public <T> T read(Function<ClusterIndex, T> query) {
        return view().index().read(query);
    }

    @Override
    public <T> T write(Function<ClusterIndex, T> update) {
        return view().index().write(update);
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", "lab");
        if (lab == null) {
            s.put("state", "down");
            return s;
        }
        s.putAll(lab.status());
        s.put("view", view.status());
        view.index().read(index -> {
            s.put("namespaces", index.namespaces().size());
            s.put("endpoints", index.endpoints().size());
            s.put("policies", index.policies().size());
            return null;
        });
        return s;
    }

    @Override
    public void close() {
        down();
    }
}
