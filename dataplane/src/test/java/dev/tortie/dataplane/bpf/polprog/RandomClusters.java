package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.IcmpMatch;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random small clusters for the kernel-versus-evaluator property: a few namespaces and pods with random labels and
 * (named) ports, a global network set, tiers with Pass or Deny defaults, and Calico policies whose rules draw from
 * every match the compiler emits (protocols and their negation, CIDRs and negated CIDRs, selectors, negated selectors
 * and namespace selectors over the same labels, numeric and named ports, negated ports, ICMP type/code) with Allow,
 * Deny, Pass and Log actions. Plus random flows from and to pods and outside addresses.
 */
final class RandomClusters {
    /** A generated cluster and the flows to check, per endpoint and direction. */
    record World(ClusterState state, List<Packet> flows, long seed) {}

    static final List<String> APPS = List.of("a", "b", "c");
    static final List<IpAddress> OUTSIDE = List.of(
            IpAddress.parse("192.0.2.7"),
            IpAddress.parse("192.0.2.200"),
            IpAddress.parse("10.65.9.9"),
            IpAddress.parse("8.8.8.8"));
    static final List<Cidr> CIDRS = List.of(
            Cidr.parse("10.65.0.0/16"),
            Cidr.parse("10.65.0.10/32"),
            Cidr.parse("10.65.0.8/29"),
            Cidr.parse("192.0.2.0/24"),
            Cidr.parse("192.0.2.128/25"),
            Cidr.parse("0.0.0.0/0"),
            Cidr.parse("8.8.8.8/32"),
            Cidr.parse("fd00::/64"));
    static final List<Protocol> PROTOCOLS =
            List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.ICMP, new Protocol(47));
    static final List<Integer> PORTS = List.of(80, 8080, 53, 5432, 22, 1234, 443);
    static final int[][] ICMP = {{8, 0}, {0, 0}, {3, 1}, {3, 3}, {11, 0}};

    private RandomClusters() {}

    static World generate(long seed) {
        Random r = new Random(seed);
        ClusterState.Builder b = ClusterState.builder();
        List<String> namespaces = new ArrayList<>();
        int nsCount = 1 + r.nextInt(3);
        for (int i = 0; i < nsCount; i++) {
            String name = "ns" + i;
            namespaces.add(name);
            Map<String, String> labels = new LinkedHashMap<>();
            if (r.nextBoolean()) {
                labels.put("team", r.nextBoolean() ? "web" : "data");
            }
            b.namespace(new Namespace(name, labels, null));
        }
        List<IpAddress> podIps = new ArrayList<>();
        int pods = 2 + r.nextInt(4);
        for (int i = 0; i < pods; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (r.nextInt(4) > 0) {
                labels.put("app", pick(r, APPS));
            }
            if (r.nextBoolean()) {
                labels.put("role", r.nextBoolean() ? "x" : "y");
            }
            List<ContainerPort> ports = new ArrayList<>();
            if (r.nextBoolean()) {
                ports.add(new ContainerPort("http", Protocol.TCP, r.nextBoolean() ? 80 : 8080));
            }
            if (r.nextBoolean()) {
                ports.add(new ContainerPort("dns", Protocol.UDP, 53));
            }
            if (r.nextInt(3) == 0) {
                ports.add(new ContainerPort("pg", Protocol.TCP, 5432));
            }
            if (r.nextInt(4) == 0) {
                ports.add(new ContainerPort("http", Protocol.SCTP, 80));
            }
            IpAddress ip = IpAddress.parse("10.65.0." + (10 + i));
            podIps.add(ip);
            b.endpoint(new Endpoint(
                    pick(r, namespaces), "pod" + i, "node-1", List.of(ip), labels, null, ports, null, null));
        }
        if (r.nextBoolean()) {
            Map<String, String> labels = Map.of("app", pick(r, APPS));
            b.networkSet(new NetworkSet(null, "outside", labels, List.of(Cidr.parse("192.0.2.0/25")), null));
        }
        List<String> tiers = new ArrayList<>(List.of(Policy.DEFAULT_TIER));
        int extraTiers = r.nextInt(3);
        for (int i = 0; i < extraTiers; i++) {
            String name = "tier" + i;
            tiers.add(name);
            b.tier(new Tier(name, 10 + i * 10, r.nextBoolean() ? Action.PASS : Action.DENY, null));
        }
        int policies = 1 + r.nextInt(4);
        for (int i = 0; i < policies; i++) {
            boolean global = r.nextBoolean();
            PolicyId id = global
                    ? new PolicyId(PolicyKind.GLOBAL_NETWORK_POLICY, null, "p" + i)
                    : new PolicyId(PolicyKind.CALICO_NETWORK_POLICY, pick(r, namespaces), "p" + i);
            boolean ingress = r.nextInt(3) > 0;
            boolean egress = !ingress || r.nextBoolean();
            b.policy(new Policy(
                    id,
                    pick(r, tiers),
                    r.nextInt(5) == 0 ? null : (double) (1 + r.nextInt(5)),
                    Selector.parse(policySelector(r)),
                    null,
                    null,
                    ingress,
                    egress,
                    ingress ? rules(r) : List.of(),
                    egress ? rules(r) : List.of(),
                    Map.of(),
                    null,
                    null));
        }
        ClusterState state = b.build();

        List<IpAddress> addresses = new ArrayList<>(podIps);
        addresses.addAll(OUTSIDE);
        List<Packet> flows = new ArrayList<>();
        int count = 30 + r.nextInt(30);
        for (int i = 0; i < count; i++) {
            IpAddress src = pick(r, addresses);
            IpAddress dst = pick(r, addresses);
            Protocol p = pick(r, PROTOCOLS);
            if (p.isIcmp()) {
                int[] tc = ICMP[r.nextInt(ICMP.length)];
                flows.add(Packet.icmp(src, dst, p, tc[0], tc[1]));
            } else if (p.supportsPorts()) {
                int sport = r.nextInt(4) == 0 ? pick(r, PORTS) : 1024 + r.nextInt(60000);
                flows.add(new Packet(src, dst, p, sport, pick(r, PORTS), -1, -1));
            } else {
                flows.add(new Packet(src, dst, p, 0, 0, -1, -1));
            }
        }
        return new World(state, flows, seed);
    }

    static ClusterIndex index(World w) {
        return ClusterIndex.of(w.state());
    }

    private static String policySelector(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return "all()";
            case 1:
                return "app == '" + pick(r, APPS) + "'";
            case 2:
                return "has(role)";
            case 3:
                return "app in {'a', 'b'}";
            case 4:
                return "!has(app)";
            default:
                return "role != 'x'";
        }
    }

    private static String entitySelector(Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return "app == '" + pick(r, APPS) + "'";
            case 1:
                return "has(role)";
            case 2:
                return "role == 'y'";
            case 3:
                return "all()";
            default:
                return "app != 'b'";
        }
    }

    private static List<Rule> rules(Random r) {
        List<Rule> rules = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            rules.add(rule(r));
        }
        return rules;
    }

    private static Rule rule(Random r) {
        Action action = pick(r, List.of(Action.ALLOW, Action.ALLOW, Action.DENY, Action.PASS, Action.LOG));
        Protocol protocol = r.nextInt(3) == 0 ? null : pick(r, PROTOCOLS);
        Protocol notProtocol = protocol == null && r.nextInt(5) == 0 ? pick(r, PROTOCOLS) : null;
        boolean ports = protocol != null && protocol.supportsPorts();
        IcmpMatch icmp = null;
        IcmpMatch notIcmp = null;
        if (protocol != null && protocol.isIcmp()) {
            int[] tc = ICMP[r.nextInt(ICMP.length)];
            if (r.nextBoolean()) {
                icmp = new IcmpMatch(tc[0], r.nextBoolean() ? tc[1] : null);
            } else if (r.nextBoolean()) {
                notIcmp = new IcmpMatch(tc[0], r.nextBoolean() ? tc[1] : null);
            }
        }
        Integer ipVersion = r.nextInt(8) == 0 ? (r.nextBoolean() ? 4 : 6) : null;
        return new Rule(
                action,
                ipVersion,
                protocol,
                notProtocol,
                icmp,
                notIcmp,
                entity(r, ports, true),
                entity(r, ports, false),
                Map.of(),
                null);
    }

    private static EntityRule entity(Random r, boolean ports, boolean source) {
        if (r.nextInt(3) == 0) {
            return EntityRule.ANY;
        }
        List<Cidr> nets = r.nextInt(4) == 0 ? cidrs(r) : List.of();
        List<Cidr> notNets = r.nextInt(6) == 0 ? cidrs(r) : List.of();
        Selector selector = r.nextInt(3) == 0 ? Selector.parse(entitySelector(r)) : null;
        Selector notSelector = r.nextInt(6) == 0 ? Selector.parse(entitySelector(r)) : null;
        Selector namespaceSelector = r.nextInt(5) == 0
                ? Selector.parse(r.nextBoolean() ? "team == 'web'" : (r.nextBoolean() ? "all()" : "has(team)"))
                : null;
        List<PortSpec> portList = List.of();
        List<PortSpec> notPorts = List.of();
        if (ports && (r.nextBoolean() || !source)) {
            portList = portSpecs(r, source);
        }
        if (ports && r.nextInt(5) == 0) {
            notPorts = portSpecs(r, source);
        }
        return new EntityRule(nets, notNets, selector, notSelector, namespaceSelector, null, portList, notPorts);
    }

    private static List<Cidr> cidrs(Random r) {
        List<Cidr> out = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            Cidr c = pick(r, CIDRS);
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<PortSpec> portSpecs(Random r, boolean source) {
        List<PortSpec> out = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(source ? 3 : 5)) {
                case 0:
                    out.add(PortSpec.single(pick(r, PORTS)));
                    break;
                case 1:
                    int lo = pick(r, PORTS);
                    out.add(PortSpec.range(Math.min(lo, 1000), Math.max(lo, 1000)));
                    break;
                case 2:
                    out.add(PortSpec.range(0, 65535));
                    break;
                default:
                    out.add(PortSpec.named(pick(r, List.of("http", "dns", "pg", "none"))));
                    break;
            }
        }
        return out;
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
