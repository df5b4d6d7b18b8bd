package dev.tortie.engine.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An immutable snapshot of everything policy depends on. Collections are keyed and sorted, so the same objects
 * loaded in any order give an equal state (and equal verdicts).
 */
public final class ClusterState {
    private final Map<String, Namespace> namespaces;
    private final Map<String, Endpoint> endpoints;
    private final Map<String, ServiceAccount> serviceAccounts;
    private final Map<PolicyId, Policy> policies;
    private final Map<String, Tier> tiers;
    private final Map<String, NetworkSet> networkSets;
    private final Map<String, Workload> workloads;

    private ClusterState(Builder b) {
        this.namespaces = copy(b.namespaces);
        this.endpoints = copy(b.endpoints);
        this.serviceAccounts = copy(b.serviceAccounts);
        this.policies = copy(b.policies);
        this.tiers = copy(b.tiers);
        this.networkSets = copy(b.networkSets);
        this.workloads = copy(b.workloads);
    }

    private static <K extends Comparable<K>, V> Map<K, V> copy(TreeMap<K, V> map) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }

    public static ClusterState empty() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.namespaces.putAll(namespaces);
        b.endpoints.putAll(endpoints);
        b.serviceAccounts.putAll(serviceAccounts);
        b.policies.putAll(policies);
        b.tiers.putAll(tiers);
        b.networkSets.putAll(networkSets);
        b.workloads.putAll(workloads);
        return b;
    }

    /** Namespaces declared, plus an implicit one for every namespace a pod or policy lives in. */
    public Collection<Namespace> namespaces() {
        return namespaces.values();
    }

    public Collection<Endpoint> endpoints() {
        return endpoints.values();
    }

    public Collection<ServiceAccount> serviceAccounts() {
        return serviceAccounts.values();
    }

    public Collection<Policy> policies() {
        return policies.values();
    }

    /** Declared tiers plus the default tier. */
    public Collection<Tier> tiers() {
        return tiers.values();
    }

    public Collection<NetworkSet> networkSets() {
        return networkSets.values();
    }

    public Collection<Workload> workloads() {
        return workloads.values();
    }

    public Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    public Optional<Endpoint> endpoint(String namespace, String name) {
        return Optional.ofNullable(endpoints.get(namespace + "/" + name));
    }

    public Optional<Policy> policy(PolicyId id) {
        return Optional.ofNullable(policies.get(id));
    }

    public Optional<Tier> tier(String name) {
        return Optional.ofNullable(tiers.get(name));
    }

    public List<Endpoint> endpointsIn(String namespace) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            if (e.namespace().equals(namespace)) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterState other
                && namespaces.equals(other.namespaces)
                && endpoints.equals(other.endpoints)
                && serviceAccounts.equals(other.serviceAccounts)
                && policies.keySet().equals(other.policies.keySet())
                && tiers.equals(other.tiers)
                && networkSets.equals(other.networkSets)
                && workloads.equals(other.workloads);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(namespaces, endpoints.keySet(), policies.keySet(), tiers.keySet());
    }

    /** Accumulates objects; a later object with the same key replaces the earlier one (like kubectl apply). */
    public static final class Builder {
        private final TreeMap<String, Namespace> namespaces = new TreeMap<>();
        private final TreeMap<String, Endpoint> endpoints = new TreeMap<>();
        private final TreeMap<String, ServiceAccount> serviceAccounts = new TreeMap<>();
        private final TreeMap<PolicyId, Policy> policies = new TreeMap<>();
        private final TreeMap<String, Tier> tiers = new TreeMap<>();
        private final TreeMap<String, NetworkSet> networkSets = new TreeMap<>();
        private final TreeMap<String, Workload> workloads = new TreeMap<>();

        private Builder() {
            tiers.put(Tier.DEFAULT.name(), Tier.DEFAULT);
        }

        public Builder namespace(Namespace n) {
            namespaces.put(n.name(), n);
            return this;
        }

        public Builder endpoint(Endpoint e) {
            endpoints.put(e.key(), e);
            return this;
        }

        public Builder serviceAccount(ServiceAccount sa) {
            serviceAccounts.put(sa.key(), sa);
            return this;
        }

        public Builder policy(Policy p) {
            policies.put(p.id(), p);
            return this;
        }

        public Builder tier(Tier t) {
            tiers.put(t.name(), t);
            return this;
        }

        public Builder networkSet(NetworkSet s) {
            networkSets.put(s.key(), s);
            return this;
        }

        public Builder workload(Workload w) {
            workloads.put(w.key(), w);
            return this;
        }

        public Builder removeEndpoint(String namespace, String name) {
            endpoints.remove(namespace + "/" + name);
            return this;
        }

        public Builder removePolicy(PolicyId id) {
            policies.remove(id);
            return this;
        }

        public Builder removeNamespace(String name) {
            namespaces.remove(name);
            return this;
        }

        public Builder removeTier(String name) {
            if (!name.equals(Policy.DEFAULT_TIER)) {
                tiers.remove(name);
            }
            return this;
        }

        public Builder removeNetworkSet(String key) {
            networkSets.remove(key);
            return this;
        }

        public Builder removeServiceAccount(String key) {
            serviceAccounts.remove(key);
            return this;
        }

        public Builder removeWorkload(String key) {
            workloads.remove(key);
            return this;
        }

        public boolean hasNamespace(String name) {
            return namespaces.containsKey(name);
        }

        /** Builds the snapshot, adding an implicit namespace for any pod or policy whose namespace was not declared. */
        public ClusterState build() {
            addImplicitNamespaces(endpoints.values(), Endpoint::namespace);
            addImplicitNamespaces(policies.values(), Policy::namespace);
            addImplicitNamespaces(workloads.values(), Workload::namespace);
            return new ClusterState(this);
        }

        private <T> void addImplicitNamespaces(Collection<T> objects, Function<T, String> namespaceOf) {
            for (T object : objects) {
                String ns = namespaceOf.apply(object);
                if (ns != null && !namespaces.containsKey(ns)) {
                    namespaces.put(ns, Namespace.implicit(ns));
                }
            }
        }
    }
}
