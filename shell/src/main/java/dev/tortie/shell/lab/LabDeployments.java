package dev.tortie.shell.lab;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * The lab's Deployment controller, enough of the real one for policy work: each Deployment gets a ReplicaSet {@code
 * <deployment>-<pod-template-hash>} and {@code spec.replicas} Pods {@code <deployment>-<hash>-<5 chars>} carrying the
 * template's labels plus {@code pod-template-hash} and a controller ownerReference to the ReplicaSet.
 *
 * <ul>
 *   <li>Pods already matching the selector with no controller (or owned by one of the Deployment's ReplicaSets) count
 *       towards the replicas, so manifests that list a Deployment and "its" pods (as the article's do) run once.
 *   <li>A changed template makes a new ReplicaSet; the old pods are deleted (the Recreate strategy).
 *   <li>Scaling creates or deletes pods (newest first); deleting the Deployment deletes its ReplicaSets and pods.
 * </ul>
 */
final class LabDeployments implements AutoCloseable {
    /** Kubernetes' rand.SafeEncodeString alphabet: no vowels, no look-alike digits. */
    static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long EXPECTATION_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final KubernetesClient client;
    private SharedIndexInformer<Pod> pods;
    private final Consumer<String> log;
    private final KubernetesSerialization serialization;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    /** Deployment key -> pod name -> when it was created and not yet seen in the pod cache. */
    private final Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();
    /** Deployment key -> the ReplicaSets it owns (as of its last reconcile). */
    private final Map<String, Set<String>> replicaSets = new ConcurrentHashMap<>();

    private final Thread worker;
    private SharedIndexInformer<Deployment> deployments;
    private volatile boolean busy;
    private volatile boolean closed;

    LabDeployments(KubernetesClient client, Consumer<String> log) {
        this.client = client;
        this.log = log;
        this.serialization = client.getKubernetesSerialization();
        this.worker = new Thread(this::work, "tortie-lab-deployments");
        this.worker.setDaemon(true);
    }

    /** Shares the kubelet's pod informer (before {@link #start}). */
    void attach(SharedIndexInformer<Pod> podInformer) {
        this.pods = podInformer;
    }

    void start() {
        deployments = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                queue.add(key(d.getMetadata()));
            }

            @Override
            public void onUpdate(Deployment oldD, Deployment newD) {
                queue.add(key(newD.getMetadata()));
            }

            @Override
            public void onDelete(Deployment d, boolean deletedFinalStateUnknown) {
                queue.add(key(d.getMetadata()));
            }
        });
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                touchNamespace(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (!labels(newPod.getMetadata()).equals(labels(oldPod.getMetadata()))
                        || newPod.getMetadata().getDeletionTimestamp() != null) {
                    touchNamespace(newPod);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                touchNamespace(pod);
            }
        });
        worker.start();
    }

    private void touchNamespace(Pod pod) {
        if (deployments == null) {
            return;
        }
        String ns = pod.getMetadata().getNamespace();
        for (Deployment d : deployments.getStore().list()) {
            if (ns.equals(d.getMetadata().getNamespace())) {
                queue.add(key(d.getMetadata()));
            }
        }
    }

    boolean idle() {
        return queue.isEmpty() && !busy;
    }

    /** True when every Deployment has exactly its replicas of current pods in the pod cache. */
    boolean satisfied() {
        if (deployments == null || !deployments.hasSynced() || !idle()) {
            return false;
        }
        for (Deployment d : deployments.getStore().list()) {
            String hash = templateHash(d.getSpec().getTemplate());
            Set<String> mine = replicaSets.getOrDefault(key(d.getMetadata()), Set.of());
            long current =
                    owned(d).stream().filter(p -> isCurrent(p, hash, mine)).count();
            if (current != replicas(d)) {
                return false;
            }
        }
        return true;
    }

    private static String key(ObjectMeta meta) {
        return meta.getNamespace() + "/" + meta.getName();
    }

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
                String next;
                while ((next = queue.poll(5, TimeUnit.MILLISECONDS)) != null) {
                    keys.add(next);
                }
                for (String key : keys) {
                    reconcile(key);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.accept("lab deployments: " + e.getMessage() + " (retrying)");
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    queue.addAll(keys);
                }
            } finally {
                busy = false;
            }
        }
    }

    private void reconcile(String key) {
        Deployment d = deployments.getStore().getByKey(key);
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
            deleteAll(namespace, name);
            expected.remove(key);
            replicaSets.remove(key);
            return;
        }
        String hash = templateHash(d.getSpec().getTemplate());
        String rsName = name + "-" + hash;
        ReplicaSet rs = ensureReplicaSet(d, rsName, hash);

        Set<String> mine = new LinkedHashSet<>();
        for (ReplicaSet set :
                client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            if (ownedBy(set.getMetadata(), d.getMetadata())) {
                mine.add(set.getMetadata().getName());
            }
        }
        mine.add(rs.getMetadata().getName());
        replicaSets.put(key, Set.copyOf(mine));
        List<Pod> current = new ArrayList<>();
        for (Pod p : owned(d)) {
            if (isCurrent(p, hash, mine)) {
                current.add(p);
            } else {
                delete(p); // made by this controller for an older template
            }
        }
        deleteOldReplicaSets(d, rsName, mine);

        Map<String, Long> waiting = expected.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        long now = System.nanoTime();
        for (Pod p : current) {
            waiting.remove(p.getMetadata().getName());
        }
        waiting.values().removeIf(t -> now - t > EXPECTATION_TTL_NANOS);
        int have = current.size() + waiting.size();
        int want = replicas(d);
        for (int i = have; i < want; i++) {
            String podName = createPod(d, rs, hash);
            waiting.put(podName, System.nanoTime());
        }
        if (have > want) {
            List<Pod> removable = new ArrayList<>();
            for (Pod p : current) {
                if (hasController(p)) {
                    removable.add(p);
                }
            }
            removable.sort(Comparator.comparing(
                            (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                    .reversed());
            for (int i = 0; i < Math.min(have - want, removable.size()); i++) {
                delete(removable.get(i));
            }
        }
    }

    /**
     * A pod counts towards the replicas unless one of this Deployment's own ReplicaSets made it for an older template.
     * Pods without a controller, and pods of ReplicaSets this controller did not make (manifests listing "the pods of
     * a Deployment"), are adopted.
     */
    private static boolean isCurrent(Pod p, String hash, Set<String> mine) {
        OwnerReference c = controllerOf(p);
        return c == null
                || !mine.contains(c.getName())
                || hash.equals(labels(p.getMetadata()).get("pod-template-hash"));
    }

    private static int replicas(Deployment d) {
        Integer r = d.getSpec().getReplicas();
        return r == null ? 1 : Math.max(0, r);
    }

    /** Pods of the Deployment's namespace that it owns through one of its ReplicaSets, or may adopt. */
    private List<Pod> owned(Deployment d) {
        String ns = d.getMetadata().getNamespace();
        String prefix = d.getMetadata().getName() + "-";
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods.getStore().list()) {
            if (!ns.equals(p.getMetadata().getNamespace()) || p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            OwnerReference controller = controllerOf(p);
            if (controller == null) {
                if (matches(d.getSpec().getSelector(), labels(p.getMetadata()))) {
                    out.add(p);
                }
            } else if ("ReplicaSet".equals(controller.getKind())
                    && controller.getName().startsWith(prefix)
                    && controller.getName().substring(prefix.length()).matches("[" + SAFE_ALPHABET + "]{1,10}")
                    && matches(d.getSpec().getSelector(), labels(p.getMetadata()))) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean hasController(Pod p) {
        return controllerOf(p) != null;
    }

    private static OwnerReference controllerOf(Pod p) {
        List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (OwnerReference r : refs) {
            if (Boolean.TRUE.equals(r.getController())) {
                return r;
            }
        }
        return null;
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    /** A Kubernetes label selector (matchLabels and matchExpressions) against labels; null matches nothing. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok =
                        switch (r.getOperator()) {
                            case "In" -> value != null && values.contains(value);
                            case "NotIn" -> value == null || !values.contains(value);
                            case "Exists" -> value != null;
                            case "DoesNotExist" -> value == null;
                            default -> false;
                        };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private ReplicaSet ensureReplicaSet(Deployment d, String rsName, String hash) {
        String ns = d.getMetadata().getNamespace();
        ReplicaSet existing =
                client.apps().replicaSets().inNamespace(ns).withName(rsName).get();
        int replicas = replicas(d);
        if (existing != null) {
            Integer have =
                    existing.getSpec() == null ? null : existing.getSpec().getReplicas();
            if (have == null || have != replicas) {
                existing = client.apps()
                        .replicaSets()
                        .inNamespace(ns)
                        .withName(rsName)
                        .edit(rs -> {
                            rs.getSpec().setReplicas(replicas);
                            return rs;
                        });
            }
            return existing;
        }
        Map<String, String> selectorLabels = new LinkedHashMap<>();
        LabelSelector selector = d.getSpec().getSelector();
        if (selector != null && selector.getMatchLabels() != null) {
            selectorLabels.putAll(selector.getMatchLabels());
        }
        selectorLabels.put("pod-template-hash", hash);
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(rsName)
                .withNamespace(ns)
                .withLabels(podLabels(d, hash))
                .withOwnerReferences(owner("apps/v1", "Deployment", d.getMetadata()))
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(selectorLabels)
                .withMatchExpressions(
                        selector == null || selector.getMatchExpressions() == null
                                ? List.of()
                                : selector.getMatchExpressions())
                .endSelector()
                .withTemplate(template(d, hash))
                .endSpec()
                .build();
        try {
            return client.apps().replicaSets().inNamespace(ns).resource(rs).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return client.apps()
                        .replicaSets()
                        .inNamespace(ns)
                        .withName(rsName)
                        .get();
            }
            throw e;
        }
    }

    private PodTemplateSpec template(Deployment d, String hash) {
        PodTemplateSpec t = serialization.clone(d.getSpec().getTemplate());
        if (t.getMetadata() == null) {
            t.setMetadata(new ObjectMeta());
        }
        t.getMetadata().setLabels(podLabels(d, hash));
        return t;
    }

    private static Map<String, String> podLabels(Deployment d, String hash) {
        Map<String, String> labels = new LinkedHashMap<>();
        PodTemplateSpec t = d.getSpec().getTemplate();
        if (t != null && t.getMetadata() != null && t.getMetadata().getLabels() != null) {
            labels.putAll(t.getMetadata().getLabels());
        }
        labels.put("pod-template-hash", hash);
        return labels;
    }

    private static OwnerReference owner(String apiVersion, String kind, ObjectMeta meta) {
        return new OwnerReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withName(meta.getName())
                .withUid(meta.getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private String createPod(Deployment d, ReplicaSet rs, String hash) {
        String ns = d.getMetadata().getNamespace();
        PodTemplateSpec t = template(d, hash);
        for (int attempt = 0; ; attempt++) {
            String name = d.getMetadata().getName() + "-" + hash + "-" + randomSuffix();
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .withLabels(t.getMetadata().getLabels())
                    .withAnnotations(t.getMetadata().getAnnotations())
                    .withOwnerReferences(owner("apps/v1", "ReplicaSet", rs.getMetadata()))
                    .endMetadata()
                    .withSpec(t.getSpec())
                    .build();
            try {
                client.pods().inNamespace(ns).resource(pod).create();
                return name;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 5) {
                    throw e;
                }
            }
        }
    }

    private void delete(Pod p) {
        try {
            client.pods()
                    .inNamespace(p.getMetadata().getNamespace())
                    .withName(p.getMetadata().getName())
                    .delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void deleteOldReplicaSets(Deployment d, String keep, Set<String> mine) {
        String ns = d.getMetadata().getNamespace();
        for (String name : mine) {
            if (!name.equals(keep)) {
                client.apps().replicaSets().inNamespace(ns).withName(name).delete();
            }
        }
        replicaSets.put(key(d.getMetadata()), Set.of(keep));
    }

    private void deleteAll(String namespace, String name) {
        List<ReplicaSet> sets =
                client.apps().replicaSets().inNamespace(namespace).list().getItems();
        Set<String> rsNames = new LinkedHashSet<>();
        for (ReplicaSet rs : sets) {
            List<OwnerReference> refs = rs.getMetadata().getOwnerReferences();
            if (refs != null
                    && refs.stream().anyMatch(r -> "Deployment".equals(r.getKind()) && name.equals(r.getName()))) {
                rsNames.add(rs.getMetadata().getName());
            }
        }
        for (Pod p : pods.getStore().list()) {
            OwnerReference c = controllerOf(p);
            if (namespace.equals(p.getMetadata().getNamespace()) && c != null && rsNames.contains(c.getName())) {
                delete(p);
            }
        }
        for (String rs : rsNames) {
            client.apps().replicaSets().inNamespace(namespace).withName(rs).delete();
        }
    }

    private static boolean ownedBy(ObjectMeta child, ObjectMeta owner) {
        List<OwnerReference> refs = child.getOwnerReferences();
        return refs != null
                && refs.stream()
                        .anyMatch(r -> owner.getUid() != null && owner.getUid().equals(r.getUid()));
    }

    /**
     * {@code pod-template-hash}: FNV-32a over the template, spelled in the safe alphabet as Kubernetes does (the
     * decimal digits of the hash, each mapped to {@code alphabet[digit]}); the same template always gets the same hash.
     */
    String templateHash(PodTemplateSpec template) {
        byte[] bytes = serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder sb = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) {
            sb.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return sb.toString();
    }

    static String randomSuffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(SAFE_ALPHABET.charAt(RANDOM.nextInt(SAFE_ALPHABET.length())));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        if (deployments != null) {
            deployments.stop();
        }
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For status: Deployment -> ready pod count. */
    Map<String, Integer> readyCounts() {
        Map<String, Integer> out = new HashMap<>();
        if (deployments == null) {
            return out;
        }
        for (Deployment d : deployments.getStore().list()) {
            out.put(key(d.getMetadata()), owned(d).size());
        }
        return out;
    }
}
