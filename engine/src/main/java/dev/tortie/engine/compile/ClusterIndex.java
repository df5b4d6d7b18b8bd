package dev.tortie.engine.compile;

import dev.tortie.engine.index.LabelIndex;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IpSetDefinition;
import dev.tortie.engine.ir.IpSetLookup;
import dev.tortie.engine.ir.IpSetType;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.ir.RuleId;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.ServiceAccount;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.model.Workload;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The live, incrementally maintained cluster model: objects, their effective labels (with Calico's implicit and
 * inherited profile labels), compiled policies, selector membership and IP sets. Each change touches only what it
 * can affect; per-endpoint programs are assembled on demand from shared compiled policies.
 *
 * <p>Not thread-safe: one writer at a time, readers must not overlap writes.
 */
public final class ClusterIndex implements IpSetLookup {
    /** What an indexed item is: a pod endpoint or a network set. */
    private sealed interface Labelled permits EndpointItem, NetworkSetItem {}

    private record EndpointItem(Endpoint endpoint) implements Labelled {}

    private record NetworkSetItem(NetworkSet set) implements Labelled {}

    private final Map<String, Namespace> namespaces = new TreeMap<>();
    private final Map<String, ServiceAccount> serviceAccounts = new TreeMap<>();
    private final Map<String, Endpoint> endpoints = new TreeMap<>();
    private final Map<String, NetworkSet> networkSets = new TreeMap<>();
    private final Map<String, Workload> workloads = new TreeMap<>();
    private final Map<String, Tier> tiers = new TreeMap<>();
    private final Map<PolicyId, CompiledPolicy> policies = new TreeMap<>();
    private final Map<String, IpSetDefinition> ipSets = new HashMap<>();
    private final Map<String, Integer> ipSetReferences = new HashMap<>();
    private final Map<IpAddress, List<Endpoint>> endpointsByIp = new HashMap<>();
    private final Map<String, Set<String>> endpointKeysByNamespace = new HashMap<>();
    private final LabelIndex<Labelled> labels = new LabelIndex<>();
    private long version;

    public ClusterIndex() {
        tiers.put(Tier.DEFAULT.name(), Tier.DEFAULT);
    }

    public static ClusterIndex of(ClusterState state) {
        ClusterIndex index = new ClusterIndex();
        index.load(state);
        return index;
    }

    /** Adds everything in {@code state}; namespaces first so pods get their inherited labels at once. */
    public void load(ClusterState state) {
        state.namespaces().forEach(this::upsertNamespace);
        state.serviceAccounts().forEach(this::upsertServiceAccount);
        state.tiers().forEach(this::upsertTier);
        state.networkSets().forEach(this::upsertNetworkSet);
        state.workloads().forEach(this::upsertWorkload);
        state.endpoints().forEach(this::upsertEndpoint);
        state.policies().forEach(this::upsertPolicy);
    }

    /** Incremented on every change; lets callers cache derived views. */
    public long version() {
        return version;
    }

    // ---- updates ------------------------------------------------------------------------------------------------

    public void upsertNamespace(Namespace namespace) {
        Namespace previous = namespaces.put(namespace.name(), namespace);
        version++;
        if (previous != null && previous.labels().equals(namespace.labels())) {
            return;
        }
        relabelNamespace(namespace.name());
    }

    public void removeNamespace(String name) {
        if (namespaces.remove(name) != null) {
            version++;
            relabelNamespace(name);
        }
    }

    public void upsertServiceAccount(ServiceAccount account) {
        ServiceAccount previous = serviceAccounts.put(account.key(), account);
        version++;
        if (previous == null || !previous.labels().equals(account.labels())) {
            relabelServiceAccount(account.namespace(), account.name());
        }
    }

    public void removeServiceAccount(String namespace, String name) {
        if (serviceAccounts.remove(namespace + "/" + name) != null) {
            version++;
            relabelServiceAccount(namespace, name);
        }
    }

    public void upsertEndpoint(Endpoint endpoint) {
        Endpoint previous = endpoints.put(endpoint.key(), endpoint);
        version++;
        if (previous != null) {
            unindexIps(previous);
        }
        indexIps(endpoint);
        endpointKeysByNamespace
                .computeIfAbsent(endpoint.namespace(), k -> new HashSet<>())
                .add(endpoint.key());
        labels.upsert(endpointItemKey(endpoint.key()), new EndpointItem(endpoint), effectiveLabels(endpoint));
    }

    public void removeEndpoint(String namespace, String name) {
        String key = namespace + "/" + name;
        Endpoint previous = endpoints.remove(key);
        if (previous == null) {
            return;
        }
        version++;
        unindexIps(previous);
        Set<String> keys = endpointKeysByNamespace.get(namespace);
        if (keys != null) {
            keys.remove(key);
        }
        labels.remove(endpointItemKey(key));
    }

    public void upsertNetworkSet(NetworkSet set) {
        networkSets.put(set.key(), set);
        version++;
        labels.upsert(networkSetItemKey(set.key()), new NetworkSetItem(set), effectiveLabels(set));
    }

    public void removeNetworkSet(String key) {
        if (networkSets.remove(key) != null) {
            version++;
            labels.remove(networkSetItemKey(key));
        }
    }

    public void upsertWorkload(Workload workload) {
        workloads.put(workload.key(), workload);
        version++;
    }

    public void removeWorkload(String key) {
        if (workloads.remove(key) != null) {
            version++;
        }
    }

    public void upsertTier(Tier tier) {
        tiers.put(tier.name(), tier);
        version++;
    }

    public void removeTier(String name) {
        if (!name.equals(Tier.DEFAULT.name()) && tiers.remove(name) != null) {
            version++;
        }
    }

    /** Adds or replaces a policy: compiles it once and registers its selector and IP sets. */
    public CompiledPolicy upsertPolicy(Policy policy) {
        CompiledPolicy compiled = PolicyCompiler.compile(policy);
        CompiledPolicy previous = policies.put(policy.id(), compiled);
        version++;
        register(compiled);
        if (previous != null) {
            unregister(previous);
        }
        return compiled;
    }

    public void removePolicy(PolicyId id) {
        CompiledPolicy previous = policies.remove(id);
        if (previous != null) {
            version++;
            unregister(previous);
        }
    }

    @SuppressWarnings("unchecked")
    private void register(CompiledPolicy compiled) {
        LabelIndex.Entry<Labelled> entry = labels.register(compiled.appliesTo());
        Set<PolicyId> users = (Set<PolicyId>) entry.attachment();
        if (users == null) {
            users = new HashSet<>();
            entry.attach(users);
        }
        users.add(compiled.policy().id());
        for (IpSetDefinition set : compiled.ipSets()) {
            labels.register(set.selector());
            ipSetReferences.merge(set.id(), 1, Integer::sum);
            ipSets.put(set.id(), set);
        }
    }

    @SuppressWarnings("unchecked")
    private void unregister(CompiledPolicy compiled) {
        LabelIndex.Entry<Labelled> entry = labels.entry(compiled.appliesTo().uniqueId());
        if (entry != null && entry.attachment() != null) {
            CompiledPolicy current = policies.get(compiled.policy().id());
            boolean stillUsed = current != null && current.appliesTo().equals(compiled.appliesTo());
            if (!stillUsed) {
                ((Set<PolicyId>) entry.attachment()).remove(compiled.policy().id());
            }
        }
        labels.unregister(compiled.appliesTo());
        for (IpSetDefinition set : compiled.ipSets()) {
            labels.unregister(set.selector());
            int left = ipSetReferences.merge(set.id(), -1, Integer::sum);
            if (left <= 0) {
                ipSetReferences.remove(set.id());
                ipSets.remove(set.id());
            }
        }
    }

    // ---- labels -------------------------------------------------------------------------------------------------

    private void relabelNamespace(String namespace) {
        Set<String> keys = endpointKeysByNamespace.getOrDefault(namespace, Set.of());
        for (String key : new ArrayList<>(keys)) {
            Endpoint e = endpoints.get(key);
            labels.upsert(endpointItemKey(key), new EndpointItem(e), effectiveLabels(e));
        }
        for (NetworkSet set : networkSets.values()) {
            if (namespace.equals(set.namespace())) {
                labels.upsert(networkSetItemKey(set.key()), new NetworkSetItem(set), effectiveLabels(set));
            }
        }
    }

    private void relabelServiceAccount(String namespace, String account) {
        for (String key : endpointKeysByNamespace.getOrDefault(namespace, Set.of())) {
            Endpoint e = endpoints.get(key);
            if (e.serviceAccount().equals(account)) {
                labels.upsert(endpointItemKey(key), new EndpointItem(e), effectiveLabels(e));
            }
        }
    }

    /**
     * The labels Calico matches selectors against: the namespace and service-account profile labels ({@code pcns.},
     * {@code pcsa.}), overridden by the pod's own labels, overridden by the implicit {@code projectcalico.org/}
     * labels of the workload endpoint.
     */
    public Map<String, String> effectiveLabels(Endpoint endpoint) {
        Map<String, String> out = new HashMap<>();
        addNamespaceProfileLabels(out, endpoint.namespace());
        ServiceAccount sa = serviceAccounts.get(endpoint.namespace() + "/" + endpoint.serviceAccount());
        if (sa != null) {
            for (Map.Entry<String, String> l : sa.labels().entrySet()) {
                out.put(FelixSelectors.SERVICE_ACCOUNT_PREFIX + l.getKey(), l.getValue());
            }
        }
        out.put(FelixSelectors.SERVICE_ACCOUNT_PREFIX + FelixSelectors.NAME_LABEL, endpoint.serviceAccount());
        out.putAll(endpoint.labels());
        out.put(FelixSelectors.NAMESPACE_LABEL, endpoint.namespace());
        out.put(FelixSelectors.ORCHESTRATOR_LABEL, "k8s");
        out.put(FelixSelectors.SERVICE_ACCOUNT_LABEL, endpoint.serviceAccount());
        return Collections.unmodifiableMap(out);
    }

    private Map<String, String> effectiveLabels(NetworkSet set) {
        Map<String, String> out = new HashMap<>();
        if (set.namespace() != null) {
            addNamespaceProfileLabels(out, set.namespace());
        }
        out.putAll(set.labels());
        if (set.namespace() != null) {
            out.put(FelixSelectors.NAMESPACE_LABEL, set.namespace());
        }
        return Collections.unmodifiableMap(out);
    }

    private void addNamespaceProfileLabels(Map<String, String> out, String namespace) {
        Namespace ns = namespaces.getOrDefault(namespace, Namespace.implicit(namespace));
        for (Map.Entry<String, String> l : ns.labels().entrySet()) {
            out.put(FelixSelectors.NAMESPACE_PREFIX + l.getKey(), l.getValue());
        }
        out.put(FelixSelectors.NAMESPACE_PREFIX + FelixSelectors.NAME_LABEL, namespace);
    }

    private void indexIps(Endpoint endpoint) {
        for (IpAddress ip : endpoint.ips()) {
            endpointsByIp.computeIfAbsent(ip, k -> new ArrayList<>(1)).add(endpoint);
        }
    }

    private void unindexIps(Endpoint endpoint) {
        for (IpAddress ip : endpoint.ips()) {
            List<Endpoint> list = endpointsByIp.get(ip);
            if (list != null) {
                list.removeIf(e -> e.key().equals(endpoint.key()));
                if (list.isEmpty()) {
                    endpointsByIp.remove(ip);
                }
            }
        }
    }

    private static String endpointItemKey(String endpointKey) {
        return "ep:" + endpointKey;
    }

    private static String networkSetItemKey(String setKey) {
        return "set:" + setKey;
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    public Collection<Namespace> namespaces() {
        return Collections.unmodifiableCollection(namespaces.values());
    }

    /** The namespace, or an implicit one (labels: its name only) when it was never declared. */
    public Namespace namespace(String name) {
        return namespaces.getOrDefault(name, Namespace.implicit(name));
    }

    public boolean hasNamespace(String name) {
        return namespaces.containsKey(name) || endpointKeysByNamespace.containsKey(name);
    }

    public Collection<Endpoint> endpoints() {
        return Collections.unmodifiableCollection(endpoints.values());
    }

    public Endpoint endpoint(String namespace, String name) {
        return endpoints.get(namespace + "/" + name);
    }

    public List<Endpoint> endpointsIn(String namespace) {
        List<Endpoint> out = new ArrayList<>();
        for (String key : endpointKeysByNamespace.getOrDefault(namespace, Set.of())) {
            out.add(endpoints.get(key));
        }
        out.sort(Comparator.comparing(Endpoint::key));
        return out;
    }

    public List<Endpoint> endpointsWithIp(IpAddress ip) {
        return endpointsByIp.getOrDefault(ip, List.of());
    }

    public Collection<ServiceAccount> serviceAccounts() {
        return Collections.unmodifiableCollection(serviceAccounts.values());
    }

    public Collection<NetworkSet> networkSets() {
        return Collections.unmodifiableCollection(networkSets.values());
    }

    public Collection<Workload> workloads() {
        return Collections.unmodifiableCollection(workloads.values());
    }

    public Collection<Tier> tiers() {
        return Collections.unmodifiableCollection(tiers.values());
    }

    /** The tier, or a synthesised one (default order, Deny) for a policy naming a tier that does not exist. */
    public Tier tier(String name) {
        Tier t = tiers.get(name);
        return t != null ? t : new Tier(name, Tier.DEFAULT_ORDER, Action.DENY, null);
    }

    public boolean hasTier(String name) {
        return tiers.containsKey(name);
    }

    public Collection<CompiledPolicy> policies() {
        return Collections.unmodifiableCollection(policies.values());
    }

    public CompiledPolicy policy(PolicyId id) {
        return policies.get(id);
    }

    public int selectorCount() {
        return labels.selectorCount();
    }

    public ClusterState snapshot() {
        ClusterState.Builder b = ClusterState.builder();
        namespaces.values().forEach(b::namespace);
        serviceAccounts.values().forEach(b::serviceAccount);
        endpoints.values().forEach(b::endpoint);
        networkSets.values().forEach(b::networkSet);
        workloads.values().forEach(b::workload);
        tiers.values().forEach(b::tier);
        policies.values().forEach(p -> b.policy(p.policy()));
        return b.build();
    }

    /** Endpoints matching an ad-hoc selector (over effective labels), sorted by key. */
    public List<Endpoint> select(Selector selector) {
        List<Endpoint> out = new ArrayList<>();
        for (LabelIndex.Item<Labelled> item : labels.query(selector)) {
            if (item.value() instanceof EndpointItem e) {
                out.add(e.endpoint());
            }
        }
        out.sort(Comparator.comparing(Endpoint::key));
        return out;
    }

    /** Network sets matching an ad-hoc selector. */
    public List<NetworkSet> selectNetworkSets(Selector selector) {
        List<NetworkSet> out = new ArrayList<>();
        for (LabelIndex.Item<Labelled> item : labels.query(selector)) {
            if (item.value() instanceof NetworkSetItem s) {
                out.add(s.set());
            }
        }
        out.sort(Comparator.comparing(NetworkSet::key));
        return out;
    }

    /** Endpoints a policy applies to (for either direction it has). */
    public List<Endpoint> endpointsSelectedBy(PolicyId id) {
        CompiledPolicy compiled = policies.get(id);
        if (compiled == null) {
            return List.of();
        }
        LabelIndex.Entry<Labelled> entry = labels.entry(compiled.appliesTo().uniqueId());
        List<Endpoint> out = new ArrayList<>();
        for (LabelIndex.Item<Labelled> item : entry.members()) {
            if (item.value() instanceof EndpointItem e) {
                out.add(e.endpoint());
            }
        }
        out.sort(Comparator.comparing(Endpoint::key));
        return out;
    }

    /**
     * Enforced (non-staged) policies applying to the endpoint in {@code direction}, in evaluation order: by tier,
     * then policy order, then name/namespace/kind as Felix's policy sorter breaks ties.
     */
    @SuppressWarnings("unchecked")
    public List<CompiledPolicy> policiesApplying(Endpoint endpoint, Direction direction, boolean includeStaged) {
        LabelIndex.Item<Labelled> item = labels.item(endpointItemKey(endpoint.key()));
        if (item == null) {
            return List.of();
        }
        List<CompiledPolicy> out = new ArrayList<>();
        for (LabelIndex.Entry<Labelled> entry : item.matched()) {
            Object users = entry.attachment();
            if (users == null) {
                continue;
            }
            for (PolicyId id : (Set<PolicyId>) users) {
                CompiledPolicy p = policies.get(id);
                if (p != null
                        && p.rules(direction) != null
                        && (includeStaged || !p.policy().staged())) {
                    out.add(p);
                }
            }
        }
        out.sort(this::evaluationOrder);
        return out;
    }

    private int evaluationOrder(CompiledPolicy a, CompiledPolicy b) {
        int c = tier(a.policy().tier()).compareTo(tier(b.policy().tier()));
        if (c != 0) {
            return c;
        }
        c = Double.compare(a.policy().sortOrder(), b.policy().sortOrder());
        if (c != 0) {
            return c;
        }
        c = a.policy().name().compareTo(b.policy().name());
        if (c != 0) {
            return c;
        }
        c = String.valueOf(a.policy().namespace())
                .compareTo(String.valueOf(b.policy().namespace()));
        return c != 0 ? c : a.policy().kind().kind().compareTo(b.policy().kind().kind());
    }

    /** Assembles the endpoint's program for one direction from the shared compiled policies. */
    public EndpointProgram program(Endpoint endpoint, Direction direction) {
        List<IrTier> tierList = new ArrayList<>();
        Set<IpSetDefinition> sets = new LinkedHashSet<>();
        String currentTier = null;
        List<IrPolicy> current = new ArrayList<>();
        for (CompiledPolicy p : policiesApplying(endpoint, direction, false)) {
            if (!p.policy().tier().equals(currentTier)) {
                if (currentTier != null) {
                    tierList.add(irTier(currentTier, direction, current));
                }
                currentTier = p.policy().tier();
                current = new ArrayList<>();
            }
            current.add(p.rules(direction));
            sets.addAll(setsFor(p, direction));
        }
        if (currentTier != null) {
            tierList.add(irTier(currentTier, direction, current));
        }
        return new EndpointProgram(endpoint.key(), direction, tierList, profiles(endpoint, direction), sets);
    }

    private IrTier irTier(String name, Direction direction, List<IrPolicy> policiesInTier) {
        return new IrTier(name, direction, tier(name).defaultAction(), policiesInTier);
    }

    private static Collection<IpSetDefinition> setsFor(CompiledPolicy p, Direction direction) {
        Set<String> ids = new HashSet<>();
        for (IrRule rule : p.rules(direction).rules()) {
            for (var m : rule.matches()) {
                if (m instanceof dev.tortie.engine.ir.Match.InIpSet s) {
                    ids.add(s.setId());
                } else if (m instanceof dev.tortie.engine.ir.Match.Ports ports) {
                    ids.addAll(ports.namedPortSetIds());
                }
            }
        }
        List<IpSetDefinition> out = new ArrayList<>();
        for (IpSetDefinition d : p.ipSets()) {
            if (ids.contains(d.id())) {
                out.add(d);
            }
        }
        return out;
    }

    /** kns.<ns> allows everything (unselected pods accept all); ksa.<ns>.<sa> only carries labels. */
    private static List<IrProfile> profiles(Endpoint endpoint, Direction direction) {
        PolicyId kns = new PolicyId(PolicyKind.PROFILE, null, "kns." + endpoint.namespace());
        IrRule allow = new IrRule(
                new RuleId(kns, direction, 0),
                Action.ALLOW,
                List.of(),
                "allow all traffic (namespace profile: no policy isolates this direction)",
                null);
        return List.of(
                new IrProfile(kns.name(), List.of(allow)),
                new IrProfile("ksa." + endpoint.namespace() + "." + endpoint.serviceAccount(), List.of()));
    }

    /**
     * The program for every endpoint on {@code node} (every endpoint when {@code node} is null) and the content of
     * every IP set those programs reference.
     */
    public NodeProgram nodeProgram(String node) {
        List<LocalEndpoint> local = new ArrayList<>();
        Map<String, IpSetContent> sets = new TreeMap<>();
        for (Endpoint e : endpoints.values()) {
            if (node != null && !node.equals(e.node())) {
                continue;
            }
            EndpointProgram in = program(e, Direction.INGRESS);
            EndpointProgram out = program(e, Direction.EGRESS);
            local.add(new LocalEndpoint(e.namespace(), e.name(), e.ips(), in, out));
            for (IpSetDefinition d : in.ipSets()) {
                sets.computeIfAbsent(d.id(), id -> new IpSetContent(d, ipSetMembers(id)));
            }
            for (IpSetDefinition d : out.ipSets()) {
                sets.computeIfAbsent(d.id(), id -> new IpSetContent(d, ipSetMembers(id)));
            }
        }
        return new NodeProgram(node, local, sets);
    }

    // ---- IP sets ------------------------------------------------------------------------------------------------

    public IpSetDefinition ipSet(String id) {
        return ipSets.get(id);
    }

    public Collection<IpSetDefinition> ipSets() {
        return Collections.unmodifiableCollection(ipSets.values());
    }

    /** Selector sets read as "pods with ... in namespace x"; named-port sets name the port. */
    @Override
    public String describeSet(String setId) {
        IpSetDefinition def = ipSets.get(setId);
        if (def == null) {
            return "set " + setId;
        }
        String who = SetDescriber.describe(def.selector());
        return def.namedPort() == null
                ? who
                : "named port " + def.namedPortProtocol().kernelName() + "/" + def.namedPort() + " of " + who;
    }

    @Override
    public boolean containsAddress(String setId, IpAddress address) {
        IpSetDefinition def = ipSets.get(setId);
        LabelIndex.Entry<Labelled> entry =
                labels.entry(def == null ? setId : def.selector().uniqueId());
        if (entry == null) {
            return false;
        }
        for (Endpoint e : endpointsByIp.getOrDefault(address, List.of())) {
            LabelIndex.Item<Labelled> item = labels.item(endpointItemKey(e.key()));
            if (item != null && item.matched().contains(entry)) {
                return true;
            }
        }
        if (networkSets.isEmpty()) {
            return false;
        }
        for (LabelIndex.Item<Labelled> item : entry.members()) {
            if (item.value() instanceof NetworkSetItem s) {
                for (Cidr c : s.set().nets()) {
                    if (c.contains(address)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public boolean containsAddressPort(String setId, IpAddress address, Protocol protocol, int port) {
        IpSetDefinition def = ipSets.get(setId);
        if (def == null
                || def.type() != IpSetType.IP_PORT
                || !def.namedPortProtocol().equals(protocol)) {
            return false;
        }
        LabelIndex.Entry<Labelled> entry = labels.entry(def.selector().uniqueId());
        if (entry == null) {
            return false;
        }
        for (Endpoint e : endpointsByIp.getOrDefault(address, List.of())) {
            LabelIndex.Item<Labelled> item = labels.item(endpointItemKey(e.key()));
            if (item != null && item.matched().contains(entry) && declares(e, def.namedPort(), protocol, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean declares(Endpoint e, String name, Protocol protocol, int port) {
        for (ContainerPort p : e.ports()) {
            if (name.equals(p.name()) && p.protocol().equals(protocol) && p.port() == port) {
                return true;
            }
        }
        return false;
    }

    /**
     * The members of a set in ipset syntax, sorted: {@code 10.65.0.5/32} and network-set CIDRs for selector sets,
     * {@code 10.65.0.5,tcp:80} for named-port sets.
     */
    public List<String> ipSetMembers(String setId) {
        IpSetDefinition def = ipSets.get(setId);
        if (def == null) {
            return List.of();
        }
        LabelIndex.Entry<Labelled> entry = labels.entry(def.selector().uniqueId());
        if (entry == null) {
            return List.of();
        }
        Set<String> out = new java.util.TreeSet<>();
        for (LabelIndex.Item<Labelled> item : entry.members()) {
            if (item.value() instanceof EndpointItem ei) {
                Endpoint e = ei.endpoint();
                if (def.type() == IpSetType.NET) {
                    for (IpAddress ip : e.ips()) {
                        out.add(Cidr.host(ip).toString());
                    }
                } else {
                    for (ContainerPort p : e.ports()) {
                        if (def.namedPort().equals(p.name()) && p.protocol().equals(def.namedPortProtocol())) {
                            for (IpAddress ip : e.ips()) {
                                out.add(ip + "," + p.protocol().kernelName() + ":" + p.port());
                            }
                        }
                    }
                }
            } else if (item.value() instanceof NetworkSetItem s && def.type() == IpSetType.NET) {
                for (Cidr c : s.set().nets()) {
                    out.add(c.toString());
                }
            }
        }
        return new ArrayList<>(out);
    }
}
