package dev.tortie.shell.lab;

import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.bpf.sys.BpfFs;
import dev.tortie.dataplane.lab.LabNetwork;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.RunPrefix;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.engine.load.SourceText;
import dev.tortie.shell.agent.ClusterWatcher;
import dev.tortie.shell.agent.Dataplanes;
import dev.tortie.shell.agent.NodeAgent;
import dev.tortie.shell.session.SnapshotSource;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A one-node cluster on this machine: the {@link LabApiServer}, the lab kubelet and Deployment controller, a {@link
 * LabNetwork} of network namespaces (when root), and the {@link NodeAgent} programming the node namespace through the
 * chosen dataplane, in-process but through the API like any agent.
 *
 * <p>Without root (or network namespaces) the lab still serves the API and runs pods as addresses only, so the engine
 * works and {@link #probesUnavailable()} says why probes do not.
 *
 * <p>{@link #close()} stops everything and deletes every namespace of the run (a shutdown hook does too); the next
 * lab sweeps namespaces of runs that died.
 */
public final class Lab implements AutoCloseable {
    /**
     * @param node the lab node's name (pods get {@code spec.nodeName} set to it)
     * @param dataplane {@code iptables} or {@code bpf}
     * @param interfacePrefix host-side interface prefix, {@code cali} or {@code eni}
     * @param network build the network (namespaces, servers, agent) when the machine allows it
     * @param agentRefresh the agent's drift-repair interval
     */
    public record Options(
            String node, String dataplane, String interfacePrefix, boolean network, Duration agentRefresh) {
        public Options {
            Objects.requireNonNull(node, "node == null");
            Objects.requireNonNull(dataplane, "dataplane == null");
            Objects.requireNonNull(interfacePrefix, "interfacePrefix == null");
            Objects.requireNonNull(agentRefresh, "agentRefresh == null");
        }

        /** Node {@code node-1}, iptables, {@code cali}, network when possible, 10 s refresh. */
        public static Options defaults() {
            return new Options("node-1", Dataplanes.IPTABLES, "cali", true, Duration.ofSeconds(10));
        }

        public Options withDataplane(String value) {
            return new Options(node, value, interfacePrefix, network, agentRefresh);
        }

        public Options withNetwork(boolean value) {
            return new Options(node, dataplane, interfacePrefix, value, agentRefresh);
        }

        public Options withAgentRefresh(Duration value) {
            return new Options(node, dataplane, interfacePrefix, network, value);
        }
    }

    /** What {@link #load} did. */
    public record LoadReport(List<String> applied, int pods, Duration elapsed) {}

    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

    private final Options options;
    private final Consumer<String> log;
    private final Instant startedAt = Instant.now();
    private final LabApiServer api;
    private Path kubeconfig;
    /** With --dataplane bpf: a private bpf filesystem for the agent's pinned maps and links, unmounted on close. */
    private Path bpffs;

    private final KubernetesClient client;
    private final LabNetwork network;
    private final String probesUnavailable;
    private final LabKubelet kubelet;
    private final LabDeployments deployments;
    private KubernetesClient agentClient;
    private NodeAgent agent;
    private volatile boolean closed;

    private Lab(
            Options options,
            Consumer<String> log,
            LabApiServer api,
            KubernetesClient client,
            LabNetwork network,
            String probesUnavailable) {
        this.options = options;
        this.log = log;
        this.api = api;
        this.client = client;
        this.network = network;
        this.probesUnavailable = probesUnavailable;
        this.kubelet = new LabKubelet(client, options.node(), network, LabNetwork.DEFAULT_POD_CIDR, log);
        this.deployments = new LabDeployments(client, log);
    }

    /**
     * Starts a lab. With {@code options.network()} and a capable machine it builds the node namespace (sweeping those
     * of dead runs first) and starts the agent; otherwise pods are addresses only.
     *
     * @throws TortieException when the dataplane is unknown or unavailable, or the lab cannot start
     */
    public static Lab start(Options options, Consumer<String> log) {
        Objects.requireNonNull(options, "options == null");
        Objects.requireNonNull(log, "log == null");
        Dataplanes.check(options.dataplane());
        Dataplanes.checkInterfacePrefix(options.interfacePrefix());
        if (options.dataplane().equals(Dataplanes.BPF) && Dataplanes.bpfUnsupported() != null) {
            throw TortieException.usage(Dataplanes.bpfUnsupported());
        }
        CommandRunner runner = ProcessRunner.INSTANCE;
        String missing = options.network() ? LabCapabilities.missing(runner) : "the lab was started without a network";
        LabNetwork network = null;
        LabApiServer api = null;
        KubernetesClient client = null;
        Lab lab = null;
        try {
            if (missing == null) {
                network = LabNetwork.create(
                        runner, RunPrefix.create(), LabNetwork.DEFAULT_POD_CIDR, options.interfacePrefix());
                if (!network.sweptOnStart().isEmpty()) {
                    log.accept("swept " + network.sweptOnStart().size() + " namespace(s) left by runs that died: "
                            + String.join(", ", network.sweptOnStart()));
                }
            }
            api = LabApiServer.start();
            client = api.newClient();
            lab = new Lab(options, log, api, client, network, missing);
            lab.boot();
            return lab;
        } catch (RuntimeException e) {
            if (lab != null) {
                lab.close();
            } else {
                if (client != null) {
                    client.close();
                }
                if (api != null) {
                    api.close();
                }
                if (network != null) {
                    network.close();
                }
            }
            if (e instanceof TortieException) {
                throw e;
            }
            throw TortieException.cluster("cannot start the lab: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a lab and loads the starting article's scenario ({@code examples/article}): what {@code tortie} with no
     * kubeconfig opens. The examples are found under {@code tortie.root} (system property), the working directory, or
     * next to the code.
     */
    public static Lab startWithArticle(Options options, Consumer<String> log, Consumer<String> progress) {
        Path article = findExample("article")
                .orElseThrow(() -> TortieException.input(
                        "cannot find examples/article (set -Dtortie.root=DIR to the tortie checkout)"));
        Lab lab = start(options, log);
        try {
            lab.load(List.of(article), progress, DEFAULT_WAIT);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** {@code examples/NAME} of the tortie checkout, if it can be found. */
    public static Optional<Path> findExample(String name) {
        List<Path> roots = new ArrayList<>();
        String root = System.getProperty("tortie.root");
        if (root != null) {
            roots.add(Path.of(root));
        }
        roots.add(Path.of("").toAbsolutePath());
        try {
            Path code = Path.of(Lab.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                roots.add(p);
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code location: the other roots must do
        }
        for (Path r : roots) {
            Path candidate = r.resolve("examples").resolve(name);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * A kubeconfig file for this lab (mode 0600, deleted with the lab), so other programs can use it: {@code kubectl
     * --kubeconfig FILE get pods -A}, or a second agent: {@code tortie agent --kubeconfig FILE --netns NODE_NS}.
     */
    public synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            sweepStaleKubeconfigs();
            try {
                // Named after the run (also without a network) so the next lab can sweep it after a crash.
                RunPrefix run = network == null ? RunPrefix.create() : network.prefix();
                Path dir = Files.createTempDirectory(run.value() + "-");
                dir.toFile().deleteOnExit();
                kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
                kubeconfig.toFile().deleteOnExit(); // deleted before its directory (reverse order)
            } catch (java.io.IOException e) {
                throw TortieException.cluster("cannot write the lab's kubeconfig: " + e.getMessage(), e);
            }
        }
        return kubeconfig;
    }

    /**
     * Removes temporary directories of labs whose process died (the next lab's job, like their namespaces): kubeconfig
     * directories, and bpf filesystems (unmounted first). Only {@code <run prefix>-...} names of dead pids are touched.
     */
    private static void sweepStaleKubeconfigs() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var dirs = Files.list(tmp)) {
            for (Path dir : dirs.toList()) {
                Optional<RunPrefix> owner = RunPrefix.owner(dir.getFileName().toString());
                if (owner.isEmpty()
                        || ProcessHandle.of(owner.get().pid())
                                .map(ProcessHandle::isAlive)
                                .orElse(false)) {
                    continue;
                }
                if (Files.isRegularFile(dir.resolve("kubeconfig"))) {
                    Files.deleteIfExists(dir.resolve("kubeconfig"));
                    Files.deleteIfExists(dir);
                } else if (dir.getFileName().toString().contains("-bpffs")) {
                    unmount(dir);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // best effort: stale files of a few hundred bytes, or an empty mount
        }
    }

    private void mountBpffs() {
        try {
            bpffs = Files.createTempDirectory(network.prefix().value() + "-bpffs-");
        } catch (java.io.IOException e) {
            throw TortieException.cluster("cannot create a directory for the lab's bpf filesystem: " + e, e);
        }
        BpfFs.mount(bpffs);
    }

    /** Unmounts (if mounted) and deletes a lab's private bpf filesystem directory. */
    private static void unmount(Path dir) {
        if (BpfFs.isMountPoint(dir)) {
            BpfFs.unmount(dir);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void boot() {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("default")
                        .endMetadata()
                        .build())
                .create();
        kubeconfig();
        kubelet.start();
        deployments.attach(kubelet.informer());
        deployments.start();
        if (network != null) {
            if (options.dataplane().equals(Dataplanes.BPF)) {
                mountBpffs();
            }
            startAgent();
        }
    }

    /**
     * Stops the agent without touching the kernel and starts a fresh one (new client, new dataplane instance), as a
     * node would after an agent crash or upgrade: the new agent reads the kernel back and adopts what is there.
     *
     * @return the new agent
     */
    public synchronized NodeAgent restartAgent() {
        if (network == null) {
            throw TortieException.usage("this lab runs no agent: " + probesUnavailable);
        }
        agent.close(false);
        agentClient.close();
        agent = null;
        agentClient = null;
        startAgent();
        return agent;
    }

    private void startAgent() {
        agentClient = api.newClient();
        Dataplane dataplane = Dataplanes.create(
                options.dataplane(),
                network.nodeRunner(),
                network.nodeNamespace(),
                network.interfacePrefix(),
                bpffs == null ? null : bpffs.resolve("tortie"));
        agent = NodeAgent.start(
                agentClient,
                dataplane,
                NodeAgent.Options.defaults(options.node()).withRefresh(options.agentRefresh()),
                line -> log.accept("agent: " + line));
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public Options options() {
        return options;
    }

    public LabApiServer api() {
        return api;
    }

    /** The lab's own client (kubelet, controller, load); do not close it. */
    public KubernetesClient client() {
        return client;
    }

    /** The network, or null when probes are unavailable. */
    public LabNetwork network() {
        return network;
    }

    /** Null when probes work; otherwise why they do not. */
    public String probesUnavailable() {
        return probesUnavailable;
    }

    /** The in-process agent, or null without a network. */
    public synchronized NodeAgent agent() {
        return agent;
    }

    public String node() {
        return options.node();
    }

    /** The lab pod running {@code namespace/name}, if the kubelet built one. */
    public Optional<LabPod> pod(String namespace, String name) {
        return network == null ? Optional.empty() : network.pod(namespace, name);
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------------------ load / wait

    /**
     * Applies the manifests under {@code paths} (validated first: all or nothing) and waits until every pod runs and
     * the agent (and {@code views}) have caught up.
     */
    public LoadReport load(List<Path> paths, Consumer<String> progress, Duration timeout, ClusterWatcher... views) {
        long start = System.nanoTime();
        List<SourceText> texts = SnapshotSource.readAll(paths);
        List<ManifestApplier.Applied> applied = new ManifestApplier(client, log).apply(texts);
        awaitConverged(timeout, progress, views);
        List<String> lines = new ArrayList<>();
        for (ManifestApplier.Applied a : applied) {
            lines.add(a.name() + " " + a.action());
        }
        return new LoadReport(lines, kubelet.running().size(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * True when pods and Deployments are settled, every watcher (the agent's and {@code views}) reflects the API
     * server's current state, and the agent has that state in force.
     */
    public boolean converged(ClusterWatcher... views) {
        NodeAgent a = agent();
        if (!kubelet.allRunning() || !deployments.satisfied()) {
            return false;
        }
        if (a != null && !a.watcher().inSyncWith(client)) {
            return false;
        }
        for (ClusterWatcher w : views) {
            if (!w.inSyncWith(client)) {
                return false;
            }
        }
        return a == null || a.converged();
    }

    /**
     * Waits for {@link #converged}; reports progress lines through {@code progress} (first after one second).
     *
     * @throws TortieException when it does not converge in time (saying what is still pending)
     */
    public void awaitConverged(Duration timeout, Consumer<String> progress, ClusterWatcher... views) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + 1_000_000_000L;
        // Two consecutive positive checks: an event in flight between the checks would otherwise slip through.
        int good = 0;
        while (good < 2) {
            if (converged(views)) {
                good++;
                continue;
            }
            good = 0;
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw TortieException.cluster(
                        "the lab did not settle within " + timeout.toSeconds() + " s: " + pending(views), null);
            }
            if (now - nextReport > 0) {
                progress.accept(pending(views));
                nextReport = now + 1_000_000_000L;
            }
            sleep(10);
        }
    }

    /** What the lab is still waiting for, in words. */
    public String pending(ClusterWatcher... views) {
        NodeAgent a = agent();
        List<String> parts = new ArrayList<>();
        int pods = kubelet.informer() == null
                ? 0
                : kubelet.informer().getStore().list().size();
        int running = kubelet.running().size();
        if (!kubelet.allRunning()) {
            parts.add("pods running " + running + "/" + pods);
        }
        if (!deployments.satisfied()) {
            parts.add("deployments scaling");
        }
        if (a != null && !a.watcher().inSyncWith(client)) {
            parts.add("agent catching up with the API");
        } else if (a != null && !a.converged()) {
            parts.add(a.lastError() != null ? "agent retrying: " + a.lastError() : "agent programming the node");
        }
        for (ClusterWatcher w : views) {
            if (!w.inSyncWith(client)) {
                parts.add("shell view catching up");
                break;
            }
        }
        return parts.isEmpty() ? "settled" : String.join(", ", parts);
    }

    /** Lab facts for {@code lab status}. */
    public Map<String, Object> status() {
        NodeAgent a = agent();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("state", closed ? "down" : "up");
        s.put("api", api.isStopped() ? "stopped" : api.url());
        if (kubeconfig != null) {
            s.put("kubeconfig", kubeconfig.toString());
        }
        s.put("node", options.node());
        s.put("startedAt", startedAt.toString());
        s.put("dataplane", network == null ? "none" : options.dataplane());
        s.put("probes", probesUnavailable == null ? "available" : "unavailable: " + probesUnavailable);
        if (network != null) {
            s.put("runPrefix", network.prefix().value());
            s.put("nodeNamespace", network.nodeNamespace());
            s.put("podCidr", network.podCidr().toString());
        } else {
            s.put("podCidr", LabNetwork.DEFAULT_POD_CIDR.toString());
        }
        s.put("pods", kubelet.running().size());
        s.put("settled", converged());
        if (a != null) {
            s.put("agent", a.status());
        }
        return s;
    }

    /** Stops the agent (leaving nothing in the kernel: the node namespace goes), kubelet, API server and network. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        run(failures, () -> {
            if (agent != null) {
                agent.close();
            }
        });
        run(failures, deployments::close);
        run(failures, kubelet::close);
        run(failures, () -> {
            if (agentClient != null) {
                agentClient.close();
            }
        });
        run(failures, client::close);
        run(failures, api::close);
        run(failures, () -> {
            if (kubeconfig != null) {
                try {
                    Files.deleteIfExists(kubeconfig);
                    Files.deleteIfExists(kubeconfig.getParent());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        run(failures, () -> {
            if (bpffs != null) {
                unmount(bpffs);
            }
        });
        run(failures, () -> {
            if (network != null) {
                network.close();
            }
        });
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            for (RuntimeException e : failures.subList(1, failures.size())) {
                first.addSuppressed(e);
            }
            throw first;
        }
    }

    private static void run(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TortieException.cluster("interrupted", e);
        }
    }

    /** Waits for {@code condition}; false on timeout. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(5);
        }
        return true;
    }
}
