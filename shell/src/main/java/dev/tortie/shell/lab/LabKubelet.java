package dev.tortie.shell.lab;

import dev.tortie.dataplane.lab.IpAllocator;
import dev.tortie.dataplane.lab.LabNetwork;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.PodSpec;
import dev.tortie.engine.convert.Converted;
import dev.tortie.engine.convert.PodConverter;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lab's kubelet: watches Pods and runs every one on the lab's single node. A new pod gets an address from the pod
 * CIDR (the one in {@code status.podIP} when it arrives with a free address of the CIDR, so example manifests keep
 * their documented IPs), a network namespace with a Calico-style veth and a server on every declared container port
 * (see {@link LabNetwork}); then {@code spec.nodeName}, {@code status.podIP(s)}, {@code status.phase=Running} and a
 * Ready condition are written back. A deleted (or finished) pod loses its namespace and address.
 *
 * <p>Without a network (not root), pods only get addresses: the API and the engine still work, probes do not.
 *
 * <p>Events are queued and handled by one worker thread in batches, so a burst of pods is built with a handful of
 * processes ({@link LabNetwork#addPods}).
 */
final class LabKubelet implements AutoCloseable {
    /** A pod this kubelet runs. */
    record Running(String key, String uid, IpAddress ip, LabPod pod) {}

    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

    private final KubernetesClient client;
    private final String node;
    private final LabNetwork network;
    private final IpAllocator allocator;
    private final Consumer<String> log;
    private final KubernetesSerialization serialization;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Thread worker;
    private SharedIndexInformer<Pod> informer;
    private volatile boolean busy;
    private volatile boolean closed;

    LabKubelet(KubernetesClient client, String node, LabNetwork network, Cidr podCidr, Consumer<String> log) {
        this.client = client;
        this.node = node;
        this.network = network;
        this.allocator = network == null ? new IpAllocator(podCidr) : null;
        this.log = log;
        this.serialization = client.getKubernetesSerialization();
        this.worker = new Thread(this::work, "tortie-lab-kubelet");
        this.worker.setDaemon(true);
    }

    void start() {
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueue(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                enqueue(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                enqueue(pod);
            }
        });
        worker.start();
    }

    SharedIndexInformer<Pod> informer() {
        return informer;
    }

    private void enqueue(Pod pod) {
        queue.add(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
    }

    /** True when no pod event is waiting or being handled. */
    boolean idle() {
        return queue.isEmpty() && !busy;
    }

    /** The pods running here, by {@code namespace/name}. */
    Map<String, Running> running() {
        return Map.copyOf(running);
    }

    /**
     * True when every pod in the informer's cache that should run is running here under its current uid, with the
     * status this kubelet wrote.
     */
    boolean allRunning() {
        if (informer == null || !informer.hasSynced() || !idle()) {
            return false;
        }
        for (Pod pod : informer.getStore().list()) {
            if (!shouldRun(pod)) {
                continue;
            }
            Running r = running.get(key(pod));
            if (r == null || !r.uid().equals(pod.getMetadata().getUid()) || !statusWritten(pod, r)) {
                return false;
            }
        }
        return true;
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static boolean shouldRun(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (phase != null && FINISHED.contains(phase)) {
            return false;
        }
        return pod.getSpec() == null || !Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    }

    private boolean statusWritten(Pod pod, Running r) {
        return pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase())
                && r.ip().toString().equals(pod.getStatus().getPodIP())
                && pod.getSpec() != null
                && node.equals(pod.getSpec().getNodeName());
    }

    // ------------------------------------------------------------------------------------------------ worker

    private void work() {
        while (!closed) {
            Set<String> keys = new LinkedHashSet<>();
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                busy = true;
                keys.add(first);
                // A burst (lab load, a Deployment scaling) arrives within milliseconds: take it as one batch.
                String next;
                while ((next = queue.poll(3, TimeUnit.MILLISECONDS)) != null) {
                    keys.add(next);
                }
                reconcile(keys);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.accept("lab kubelet: " + e.getMessage() + " (retrying)");
                    sleep(200);
                    queue.addAll(keys);
                }
            } finally {
                busy = false;
            }
        }
    }

    private void reconcile(Set<String> keys) {
        List<Pod> toStart = new ArrayList<>();
        for (String key : keys) {
            Pod pod = informer.getStore().getByKey(key);
            Running current = running.get(key);
            if (pod == null || !shouldRun(pod)) {
                if (current != null) {
                    stop(current);
                }
                continue;
            }
            if (current != null && current.uid().equals(pod.getMetadata().getUid())) {
                if (!statusWritten(pod, current)) {
                    writeStatus(pod, current);
                }
                continue;
            }
            if (current != null) {
                stop(current); // same name, new pod
            }
            toStart.add(pod);
        }
        if (!toStart.isEmpty()) {
            startAll(toStart);
        }
    }

    private void startAll(List<Pod> pods) {
        List<Running> started = new ArrayList<>();
        if (network == null) {
            for (Pod pod : pods) {
                IpAddress ip = reserveHint(pod);
                if (ip == null) {
                    ip = allocator.allocate();
                }
                started.add(new Running(key(pod), pod.getMetadata().getUid(), ip, null));
            }
        } else {
            List<PodSpec> specs = new ArrayList<>();
            Set<IpAddress> hinted = new LinkedHashSet<>();
            for (Pod pod : pods) {
                IpAddress hint = usableHint(pod, hinted);
                specs.add(new PodSpec(
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), hint, ports(pod)));
            }
            List<LabPod> built;
            try {
                built = network.addPods(specs);
            } catch (RuntimeException e) {
                // One bad hint must not fail the batch: retry once with every address allocated.
                List<PodSpec> plain = new ArrayList<>();
                for (PodSpec s : specs) {
                    plain.add(PodSpec.of(s.namespace(), s.name(), s.ports()));
                }
                log.accept("lab kubelet: " + e.getMessage() + "; retrying with allocated addresses");
                built = network.addPods(plain);
            }
            for (int i = 0; i < pods.size(); i++) {
                LabPod lp = built.get(i);
                started.add(
                        new Running(key(pods.get(i)), pods.get(i).getMetadata().getUid(), lp.ip(), lp));
            }
        }
        for (int i = 0; i < pods.size(); i++) {
            Running r = started.get(i);
            running.put(r.key(), r);
            writeStatus(pods.get(i), r);
        }
    }

    private void stop(Running r) {
        running.remove(r.key());
        if (network != null && !network.isClosed()) {
            int slash = r.key().indexOf('/');
            network.removePod(r.key().substring(0, slash), r.key().substring(slash + 1));
        } else if (allocator != null) {
            allocator.release(r.ip());
        }
    }

    /** The address the pod arrived with, when it is inside the pod CIDR. */
    private IpAddress hint(Pod pod) {
        String text = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        IpAddress ip = text == null ? null : IpAddress.tryParse(text);
        Cidr cidr = network != null ? network.podCidr() : allocator.cidr();
        if (ip == null || !cidr.contains(ip) || ip.equals(cidr.network())) {
            return null;
        }
        return ip;
    }

    /** The pod's hint when no lab pod and no earlier pod of this batch uses it. */
    private IpAddress usableHint(Pod pod, Set<IpAddress> hinted) {
        IpAddress hint = hint(pod);
        if (hint == null || network.pods().stream().anyMatch(p -> p.ip().equals(hint)) || !hinted.add(hint)) {
            return null;
        }
        return hint;
    }

    private IpAddress reserveHint(Pod pod) {
        IpAddress ip = hint(pod);
        if (ip == null || allocator.inUse(ip)) {
            return null;
        }
        try {
            return allocator.reserve(ip);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private List<ContainerPort> ports(Pod pod) {
        Map<String, Object> tree = serialization.convertValue(pod, Map.class);
        Converted<Endpoint> c = PodConverter.convert(tree, ObjectSource.cluster("lab"));
        if (c.value() == null) {
            if (c.hasErrors()) {
                log.accept("lab kubelet: pod " + key(pod) + " runs without servers: " + c.errors());
            }
            return List.of();
        }
        return c.value().ports();
    }

    private void writeStatus(Pod pod, Running r) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Running");
        status.put("podIP", r.ip().toString());
        status.put("podIPs", List.of(Map.of("ip", r.ip().toString())));
        status.put("startTime", Instant.now().toString());
        status.put(
                "conditions",
                List.of(Map.of("type", "PodScheduled", "status", "True"), Map.of("type", "Ready", "status", "True")));
        Map<String, Object> patch = Map.of("spec", Map.of("nodeName", node), "status", status);
        try {
            // The mock serves no status subresource for pods, so one merge patch writes both.
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), serialization.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (informer != null) {
            informer.stop();
        }
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LabKubelet[" + node + ", " + running.size() + " pods]";
    }
}
