package dev.tortie.dataplane.lab;

import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.Netns;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A one-node pod network made of network namespaces, wired the way Calico wires a node.
 *
 * <ul>
 *   <li>The node namespace {@code <prefix>-node} stands for the host: {@code ip_forward=1}, {@code lo} up, a /32 route
 *       per pod to its host-side veth, and nothing else: no link to the root namespace, so pod traffic never leaves the
 *       lab. Drivers program its firewall ({@link #nodeNamespace()}, {@link #nodeRunner()}).
 *   <li>Each pod gets {@code <prefix>-p<hash>} with {@code eth0} (address {@code ip/32}, default route via {@value
 *       #GATEWAY_TEXT} onlink) whose peer is the host-side interface {@link Names#workloadInterface} in the node
 *       namespace ({@code ee:ee:ee:ee:ee:ee}, no address, {@code proxy_arp=1}, {@code proxy_delay 0}): the node answers
 *       the pod's ARP for the gateway and routes everything.
 *   <li>Every declared TCP or UDP container port gets a server answering {@code <namespace>/<pod>\n} (see {@link
 *       LabServers}); SCTP ports are recorded as unsupported because this kernel has no SCTP sockets.
 * </ul>
 *
 * Proxy ARP answers only for targets routed through another interface. A real node has a default route for that; this
 * one deliberately has no uplink, so the gateway address is routed to {@code lo} in the node namespace as its stand-in.
 *
 * <p>Every namespace carries the run's {@link RunPrefix}; {@link #close()} (also run by a shutdown hook) stops the
 * servers and deletes them all, and {@link #create} sweeps namespaces left by runs that died. Methods must be called
 * from ordinary threads (not from inside {@link Netns#call}); the lab checks this.
 */
public final class LabNetwork implements AutoCloseable {
    private static final String GATEWAY_TEXT = "169.254.1.1";
    /** The pods' default gateway, as in Calico: answered by proxy ARP on the host-side interface. */
    public static final IpAddress GATEWAY = IpAddress.parse(GATEWAY_TEXT);

    public static final Cidr DEFAULT_POD_CIDR = Cidr.parse("10.65.0.0/16");
    /** Calico's host-side MAC for every workload interface. */
    public static final String HOST_MAC = "ee:ee:ee:ee:ee:ee";

    private static final Pattern INTERFACE_PREFIX = Pattern.compile("[a-z][a-z0-9]{0,3}");
    private static final int MAX_PARALLEL_SETUP = 8;

    private final CommandRunner runner;
    private final RunPrefix prefix;
    private final Cidr podCidr;
    private final String interfacePrefix;
    private final String nodeNetns;
    private final String homeNamespace;
    private final LabServers servers;
    private final IpAllocator allocator;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread shutdownHook;
    private final List<String> sweptOnStart;

    /** Guarded by lock; replaced (copy on write) so readers never lock. */
    private volatile Map<String, LabPod> pods = Map.of();

    private volatile boolean closed;

    private LabNetwork(
            CommandRunner runner,
            RunPrefix prefix,
            Cidr podCidr,
            String interfacePrefix,
            String homeNamespace,
            List<String> sweptOnStart) {
        this.runner = runner;
        this.prefix = prefix;
        this.podCidr = podCidr;
        this.interfacePrefix = interfacePrefix;
        this.nodeNetns = prefix.name("node");
        this.homeNamespace = homeNamespace;
        this.allocator = new IpAllocator(podCidr);
        this.sweptOnStart = List.copyOf(sweptOnStart);
        this.servers = LabServers.start(prefix.value() + "-servers");
        this.shutdownHook = new Thread(this::closeFromShutdownHook, prefix.value() + "-cleanup");
    }

    /** A lab with the default pod CIDR (10.65.0.0/16) and interface prefix ({@code cali}). */
    public static LabNetwork create(CommandRunner runner, RunPrefix prefix) {
        return create(runner, prefix, DEFAULT_POD_CIDR, Names.DEFAULT_INTERFACE_PREFIX);
    }

    /**
     * Sweeps namespaces of dead runs, then creates the node namespace. On failure everything created is removed and a
     * {@link LabException} is thrown.
     */
    public static LabNetwork create(CommandRunner runner, RunPrefix prefix, Cidr podCidr, String interfacePrefix) {
        Objects.requireNonNull(runner, "runner == null");
        Objects.requireNonNull(prefix, "prefix == null");
        Objects.requireNonNull(podCidr, "podCidr == null");
        Objects.requireNonNull(interfacePrefix, "interfacePrefix == null");
        if (!INTERFACE_PREFIX.matcher(interfacePrefix).matches()) {
            throw new IllegalArgumentException("interface prefix '" + interfacePrefix
                    + "' must be 1-4 lower-case letters or digits, starting with a letter"
                    + " (prefix + 11 hash characters must fit the kernel's 15)");
        }
        new IpAllocator(podCidr); // validates the CIDR before anything is created
        String home = Netns.currentId();
        List<String> swept = RunPrefix.sweepStale(runner);
        if (!prefix.namespaces(runner).isEmpty()) {
            throw new IllegalStateException(
                    "run prefix " + prefix + " is already in use: " + prefix.namespaces(runner));
        }
        LabNetwork lab = new LabNetwork(runner, prefix, podCidr, interfacePrefix, home, swept);
        try {
            Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
            lab.createNode();
            return lab;
        } catch (RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof LabException) {
                throw e;
            }
            throw new LabException("lab " + prefix + ": cannot create the node namespace: " + e.getMessage(), e);
        }
    }

    private void createNode() {
        Netns.create(runner, nodeNetns);
        ipBatch(nodeNetns, "link set lo up\n" + "route add " + GATEWAY_TEXT + "/32 dev lo\n");
        // Interfaces created later in the node namespace inherit conf/default, so every host-side veth gets proxy_arp.
        runner.inNetns(nodeNetns)
                .run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.default.proxy_arp=1")
                .orThrow();
    }

    // ---------------------------------------------------------------- accessors

    public RunPrefix prefix() {
        return prefix;
    }

    public Cidr podCidr() {
        return podCidr;
    }

    public String interfacePrefix() {
        return interfacePrefix;
    }

    /** The node namespace's name: run iptables, nft, ipset or tc there. */
    public String nodeNamespace() {
        return nodeNetns;
    }

    /** A runner whose commands execute in the node namespace. */
    public CommandRunner nodeRunner() {
        return runner.inNetns(nodeNetns);
    }

    /** The runner the lab uses for its own commands. */
    public CommandRunner runner() {
        return runner;
    }

    /** Namespaces of dead runs that {@link #create} deleted. */
    public List<String> sweptOnStart() {
        return sweptOnStart;
    }

    /** The pods, in the order they were added. */
    public List<LabPod> pods() {
        return List.copyOf(pods.values());
    }

    public Optional<LabPod> pod(String namespace, String name) {
        return Optional.ofNullable(pods.get(namespace + "/" + name));
    }

    /** The host-side interface the pod has (or would have): {@code Names.workloadInterface(prefix, ns, pod)}. */
    public String hostInterface(String namespace, String name) {
        return Names.workloadInterface(interfacePrefix, namespace, name);
    }

    /** The network namespace name the pod has (or would have): {@code <prefix>-p<11 hex of its hash>}. */
    public String podNamespace(String namespace, String name) {
        return prefix.name("p" + Names.workloadInterface("", namespace, name));
    }

    /** Reserves the next free address of the pod CIDR (for callers that need the address before adding the pod). */
    public IpAddress allocateIp() {
        lock.lock();
        try {
            checkOpen();
            return allocator.allocate();
        } finally {
            lock.unlock();
        }
    }

    /** Returns an address from {@link #allocateIp()} that was not used for a pod after all. */
    public void releaseIp(IpAddress ip) {
        lock.lock();
        try {
            if (pods.values().stream().noneMatch(p -> p.ip().equals(ip))) {
                allocator.release(ip);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- pods

    /** Adds one pod with an allocated address. */
    public LabPod addPod(String namespace, String name, List<ContainerPort> ports) {
        return addPods(List.of(PodSpec.of(namespace, name, ports))).get(0);
    }

    /**
     * Adds one pod at {@code ip} (which may come from {@link #allocateIp()}; {@code null} allocates one).
     *
     * @throws LabException when the kernel refused (nothing of the pod is left behind)
     */
    public LabPod addPod(String namespace, String name, IpAddress ip, List<ContainerPort> ports) {
        return addPods(List.of(new PodSpec(namespace, name, ip, ports))).get(0);
    }

    /**
     * Adds many pods with a handful of processes: one {@code ip -batch} creates the namespaces, one in the node
     * namespace creates and routes the veths, then one per pod (in parallel) configures its side. All or nothing: on
     * failure, what was created for these pods is removed and a {@link LabException} is thrown.
     */
    public List<LabPod> addPods(List<PodSpec> specs) {
        Objects.requireNonNull(specs, "specs == null");
        checkHome();
        lock.lock();
        try {
            checkOpen();
            List<PodPlan> plans = plan(specs);
            try {
                build(plans);
            } catch (RuntimeException e) {
                try {
                    teardown(plans);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof LabException
                        ? e
                        : new LabException("lab " + prefix + ": cannot add pods: " + e.getMessage(), e);
            } finally {
                for (PodPlan plan : plans) {
                    if (plan.pod == null) {
                        allocator.release(plan.ip);
                    }
                }
            }
            Map<String, LabPod> next = new LinkedHashMap<>(pods);
            List<LabPod> added = new ArrayList<>(plans.size());
            for (PodPlan plan : plans) {
                next.put(plan.spec.key(), plan.pod);
                added.add(plan.pod);
            }
            pods = next;
            return added;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the pod's servers and deletes its veth and namespace; returns false when there is no such pod. */
    public boolean removePod(String namespace, String name) {
        checkHome();
        lock.lock();
        try {
            checkOpen();
            LabPod pod = pods.get(namespace + "/" + name);
            if (pod == null) {
                return false;
            }
            servers.stop(pod.key());
            // Delete the veth explicitly: namespace teardown is asynchronous in the kernel, and a re-added pod
            // reuses the host interface name at once.
            ipBatch(nodeNetns, "link del " + pod.hostInterface() + "\n");
            Netns.delete(runner, pod.netns());
            Map<String, LabPod> next = new LinkedHashMap<>(pods);
            next.remove(pod.key());
            pods = next;
            allocator.release(pod.ip());
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static final class PodPlan {
        final PodSpec spec;
        final IpAddress ip;
        final String netns;
        final String hostInterface;
        boolean serving;
        LabPod pod;

        PodPlan(PodSpec spec, IpAddress ip, String netns, String hostInterface) {
            this.spec = spec;
            this.ip = ip;
            this.netns = netns;
            this.hostInterface = hostInterface;
        }
    }

    /** Validates the specs and reserves their addresses (released again by the caller on failure). */
    private List<PodPlan> plan(List<PodSpec> specs) {
        List<PodPlan> plans = new ArrayList<>(specs.size());
        Set<String> keys = new HashSet<>();
        Set<String> interfaces = new HashSet<>();
        for (LabPod existing : pods.values()) {
            interfaces.add(existing.hostInterface());
        }
        try {
            for (PodSpec spec : specs) {
                if (pods.containsKey(spec.key()) || !keys.add(spec.key())) {
                    throw new IllegalArgumentException("pod " + spec.key() + " already exists in the lab");
                }
                String hostInterface = hostInterface(spec.namespace(), spec.name());
                if (!interfaces.add(hostInterface)) {
                    throw new IllegalArgumentException(
                            "pod " + spec.key() + ": host interface " + hostInterface + " collides with another pod");
                }
                IpAddress ip = spec.ip() == null ? allocator.allocate() : reserveOrAdopt(spec.ip());
                plans.add(new PodPlan(spec, ip, podNamespace(spec.namespace(), spec.name()), hostInterface));
            }
        } catch (RuntimeException e) {
            for (PodPlan plan : plans) {
                allocator.release(plan.ip);
            }
            throw e;
        }
        return plans;
    }

    /** Accepts a free address, or one the caller got from {@link #allocateIp()} and no pod uses. */
    private IpAddress reserveOrAdopt(IpAddress ip) {
        if (allocator.inUse(ip)) {
            for (LabPod pod : pods.values()) {
                if (pod.ip().equals(ip)) {
                    throw new IllegalArgumentException("pod IP " + ip + " is already used by pod " + pod.key());
                }
            }
            return ip;
        }
        return allocator.reserve(ip);
    }

    private void build(List<PodPlan> plans) {
        if (plans.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(plans.size());
        for (PodPlan plan : plans) {
            names.add(plan.netns);
        }
        Netns.createAll(runner, names);

        StringBuilder node = new StringBuilder();
        for (PodPlan plan : plans) {
            String host = plan.hostInterface;
            node.append("link add ")
                    .append(host)
                    .append(" address ")
                    .append(HOST_MAC)
                    .append(" type veth peer name eth0 netns ")
                    .append(plan.netns)
                    .append('\n');
            node.append("link set ").append(host).append(" up\n");
            node.append("route add ")
                    .append(plan.ip)
                    .append("/32 dev ")
                    .append(host)
                    .append('\n');
            node.append("ntable change name arp_cache dev ").append(host).append(" proxy_delay 0\n");
        }
        ipBatch(nodeNetns, node.toString());

        forEachParallel(
                plans,
                plan -> ipBatch(
                        plan.netns,
                        "link set lo up\n"
                                + "addr add " + plan.ip + "/32 dev eth0\n"
                                + "link set eth0 up\n"
                                + "route add default via " + GATEWAY_TEXT + " dev eth0 onlink\n"));

        for (PodPlan plan : plans) {
            LabServers.Served served = servers.serve(plan.spec.key(), plan.netns, plan.spec.ports());
            plan.serving = true;
            plan.pod = new LabPod(
                    plan.spec.namespace(),
                    plan.spec.name(),
                    plan.ip,
                    plan.netns,
                    plan.hostInterface,
                    plan.spec.ports(),
                    served.served(),
                    served.unsupported());
        }
    }

    /** Removes whatever {@link #build} created for these pods; tolerates objects that do not exist. */
    private void teardown(List<PodPlan> plans) {
        StringBuilder links = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (PodPlan plan : plans) {
            if (plan.serving) {
                servers.stop(plan.spec.key());
            }
            plan.pod = null;
            links.append("link del ").append(plan.hostInterface).append('\n');
            names.add(plan.netns);
        }
        if (Netns.list(runner).contains(nodeNetns)) {
            runner.run(List.of("ip", "-n", nodeNetns, "-force", "-batch", "-"), links.toString(), timeout());
        }
        Netns.deleteAll(runner, names);
    }

    private interface PlanTask {
        void run(PodPlan plan);
    }

    private static void forEachParallel(List<PodPlan> plans, PlanTask task) {
        if (plans.size() == 1) {
            task.run(plans.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL_SETUP, plans.size()), r -> {
            Thread t = new Thread(r, "tortie-lab-setup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(plans.size());
            for (PodPlan plan : plans) {
                futures.add(pool.submit(() -> task.run(plan)));
            }
            RuntimeException failure = null;
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException re
                            ? re
                            : new LabException(String.valueOf(e.getCause()), e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while configuring pods", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code ip -n NETNS -batch -} with the script; throws with the script's first error on failure. */
    private void ipBatch(String netns, String script) {
        CommandResult result = runner.run(List.of("ip", "-n", netns, "-batch", "-"), script, timeout());
        if (!result.ok()) {
            throw new LabException("netns " + netns + ": ip -batch failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip() + "\nscript:\n" + script.strip());
        }
    }

    private static java.time.Duration timeout() {
        return CommandRunner.DEFAULT_TIMEOUT;
    }

    // ---------------------------------------------------------------- lifecycle

    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops every server and deletes every namespace of this run (pods, node, and any leftover carrying the prefix).
     * Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down (we may be the hook itself).
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        servers.close();
        Collection<LabPod> current = pods.values();
        List<String> names = new ArrayList<>();
        for (LabPod pod : current) {
            names.add(pod.netns());
        }
        names.add(nodeNetns);
        RuntimeException failure = null;
        try {
            Netns.deleteAll(runner, names);
            prefix.deleteNamespaces(runner);
            List<String> left = prefix.namespaces(runner);
            if (!left.isEmpty()) {
                failure = new LabException("lab " + prefix + ": namespaces survived cleanup: " + left);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        pods = Map.of();
        if (failure != null) {
            throw failure;
        }
    }

    private void closeFromShutdownHook() {
        try {
            if (lock.tryLock(5, TimeUnit.SECONDS)) {
                try {
                    closeLocked();
                } finally {
                    lock.unlock();
                }
            } else {
                // Another thread is stuck inside the lab; delete by prefix without it.
                servers.close();
                prefix.deleteNamespaces(runner);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("tortie lab " + prefix + ": cleanup at exit failed: " + e.getMessage());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("lab " + prefix + " is closed");
        }
    }

    /** Refuses calls from a thread that is switched into some other network namespace (see {@link Netns}). */
    private void checkHome() {
        String current = Netns.currentId();
        if (!current.equals(homeNamespace)) {
            throw new IllegalStateException("lab " + prefix + " called from a thread in network namespace " + current
                    + " instead of " + homeNamespace + " (do not call the lab inside Netns.call)");
        }
    }

    @Override
    public String toString() {
        return "LabNetwork[" + prefix + ", node " + nodeNetns + ", " + pods.size() + " pods, " + podCidr + "]";
    }
}
