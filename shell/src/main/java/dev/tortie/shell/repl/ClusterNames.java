package dev.tortie.shell.repl;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.model.Workload;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The names completion offers, copied out of a {@link ClusterIndex} in one read (so completion never holds the
 * index's lock while it thinks): namespaces, pods with their ports, workloads, policies, tiers and pod labels.
 */
public record ClusterNames(
        List<String> namespaces,
        List<Pod> pods,
        List<WorkloadName> workloads,
        List<PolicyName> policies,
        List<String> tiers,
        List<String> labels) {
    public static final ClusterNames EMPTY =
            new ClusterNames(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public ClusterNames {
        namespaces = List.copyOf(namespaces);
        pods = List.copyOf(pods);
        workloads = List.copyOf(workloads);
        policies = List.copyOf(policies);
        tiers = List.copyOf(tiers);
        labels = List.copyOf(labels);
    }

    /** A pod: namespace, name, first IP (or null) and declared ports. */
    public record Pod(String namespace, String name, String ip, String workload, List<ContainerPort> ports) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** A workload by its bare name ({@code app-a-deployment}), with its kind and how many pods it has. */
    public record WorkloadName(String namespace, String kind, String name, int pods) {}

    /** A policy: kind as operators say it, namespace (null for global ones) and name. */
    public record PolicyName(String kind, String namespace, String name) {
        public String qualifiedName() {
            return namespace == null ? name : namespace + "/" + name;
        }
    }

    public static ClusterNames of(ClusterIndex index) {
        TreeSet<String> namespaces = new TreeSet<>();
        for (Namespace n : index.namespaces()) {
            namespaces.add(n.name());
        }
        List<Pod> pods = new ArrayList<>();
        Map<String, WorkloadName> workloads = new TreeMap<>();
        TreeSet<String> labels = new TreeSet<>();
        for (Endpoint e : index.endpoints()) {
            namespaces.add(e.namespace());
            IpAddress ip = e.primaryIp();
            pods.add(new Pod(e.namespace(), e.name(), ip == null ? null : ip.toString(), e.workload(), e.ports()));
            for (Map.Entry<String, String> l : e.labels().entrySet()) {
                labels.add(l.getKey() + "=" + l.getValue());
            }
            if (e.workload() != null) {
                int slash = e.workload().indexOf('/');
                String kind = slash < 0 ? "workload" : e.workload().substring(0, slash);
                String name = e.workload().substring(slash + 1);
                workloads.merge(
                        e.namespace() + "/" + name,
                        new WorkloadName(e.namespace(), kind, name, 1),
                        (a, b) -> new WorkloadName(a.namespace(), a.kind(), a.name(), a.pods() + 1));
            }
        }
        for (Workload w : index.workloads()) {
            workloads.putIfAbsent(
                    w.namespace() + "/" + w.name(), new WorkloadName(w.namespace(), w.kind(), w.name(), 0));
        }
        pods.sort(Comparator.comparing(Pod::key));
        List<PolicyName> policies = new ArrayList<>();
        for (CompiledPolicy p : index.policies()) {
            PolicyId id = p.policy().id();
            if (id.kind() == PolicyKind.PROFILE) {
                continue;
            }
            String kind = id.kind() == PolicyKind.CALICO_NETWORK_POLICY
                    ? "Calico NetworkPolicy"
                    : id.kind().kind();
            policies.add(new PolicyName(kind, id.namespace(), id.name()));
        }
        policies.sort(Comparator.comparing(PolicyName::qualifiedName));
        List<String> tiers = new ArrayList<>();
        for (Tier t : index.tiers()) {
            tiers.add(t.name());
        }
        tiers.sort(Comparator.naturalOrder());
        return new ClusterNames(
                List.copyOf(namespaces), pods, List.copyOf(workloads.values()), policies, tiers, List.copyOf(labels));
    }

    public List<Pod> podsIn(String namespace) {
        return pods.stream().filter(p -> p.namespace().equals(namespace)).toList();
    }

    public List<WorkloadName> workloadsIn(String namespace) {
        return workloads.stream().filter(w -> w.namespace().equals(namespace)).toList();
    }
}
