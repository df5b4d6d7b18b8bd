package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.render.ipset.IpsetRenderer;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.eval.ProgramEvaluator;
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
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.ir.RuleId;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random IR rules (including shapes the compiler never emits: ports without a protocol, several negated protocols,
 * CIDR lists on both sides, undefined sets, IPv6-only nets) against random packets: the rendered chains, run through
 * the netfilter model, must agree with {@link ProgramEvaluator} on the verdict and the deciding rule id.
 */
class MatchCompilerRandomTest {
    private static final IpAddress POD = IpAddress.parse("10.0.0.2");
    private static final Map<String, IpSetContent> SETS = new TreeMap<>();

    static {
        Selector s = Selector.parse("app == 'x'");
        put(new IpSetDefinition("s:A", IpSetType.NET, s, null, null), "10.0.0.1/32", "10.0.1.0/24", "fd00::1/128");
        put(new IpSetDefinition("s:B", IpSetType.NET, s, null, null), "10.0.0.2/32", "0.0.0.0/0");
        put(
                new IpSetDefinition("n:T", IpSetType.IP_PORT, s, Protocol.TCP, "http"),
                "10.0.0.2,tcp:80",
                "10.0.0.2,tcp:8080");
        put(new IpSetDefinition("n:U", IpSetType.IP_PORT, s, Protocol.UDP, "dns"), "10.0.0.2,udp:53");
        put(new IpSetDefinition("n:S", IpSetType.IP_PORT, s, Protocol.TCP, "src"), "10.0.0.1,tcp:80");
    }

    private static void put(IpSetDefinition d, String... members) {
        SETS.put(d.id(), new IpSetContent(d, List.of(members)));
    }

    private static final IpSetLookup LOOKUP = new IpSetLookup() {
        @Override
        public boolean containsAddress(String setId, IpAddress address) {
            IpSetContent c = SETS.get(setId);
            return c != null
                    && c.members().stream().anyMatch(m -> Cidr.parseCidrOrIp(m).contains(address));
        }

        @Override
        public boolean containsAddressPort(String setId, IpAddress address, Protocol protocol, int port) {
            IpSetContent c = SETS.get(setId);
            return c != null && c.members().contains(address + "," + protocol.kernelName() + ":" + port);
        }
    };

    private static final List<Protocol> PROTOCOLS =
            List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.ICMP, new Protocol(47));
    private static final List<String> CIDRS =
            List.of("10.0.0.0/24", "10.0.1.0/24", "10.0.0.2/32", "0.0.0.0/0", "192.168.0.0/16", "fd00::/8");
    private static final List<PortSpec> PORTS = List.of(
            PortSpec.single(53),
            PortSpec.single(80),
            PortSpec.range(1000, 1010),
            PortSpec.single(8080),
            PortSpec.range(20, 30),
            PortSpec.single(443),
            PortSpec.single(1),
            PortSpec.single(2),
            PortSpec.single(3),
            PortSpec.single(4),
            PortSpec.range(5, 6),
            PortSpec.single(7));

    @Test
    void renderedRulesAgreeWithTheEvaluator() {
        DataplaneConfig config = DataplaneConfig.defaults();
        String iface = Names.workloadInterface(config.namingPrefix(), "ns", "pod");
        long compared = 0;
        for (long seed = 1; seed <= 1000; seed++) {
            Random random = new Random(seed);
            EndpointProgram ingress = randomProgram(random);
            EndpointProgram egress = new EndpointProgram("ns/pod", Direction.EGRESS, List.of(), List.of(), Set.of());
            NodeProgram program = new NodeProgram(
                    "node", List.of(new LocalEndpoint("ns", "pod", List.of(POD), ingress, egress)), SETS);
            Ruleset ruleset = IptablesRenderer.render(program, config);
            IptablesInterpreter kernel =
                    new IptablesInterpreter(ruleset, IpsetRenderer.render(program, ruleset.auxiliarySets(), config));
            for (int i = 0; i < 40; i++) {
                Packet p = randomPacket(random);
                DirectionTrace expected = ProgramEvaluator.evaluate(ingress, p, LOOKUP);
                IptablesInterpreter.Result actual = kernel.forward("eth0", iface, p);
                long s = seed;
                java.util.function.Supplier<String> what =
                        () -> "seed " + s + " packet " + p + "\n" + ruleset.toListing();
                assertThat(actual.verdict())
                        .as(what)
                        .isEqualTo(
                                expected.verdict() == dev.tortie.engine.eval.Verdict.ALLOW
                                        ? IptablesInterpreter.Verdict.ACCEPT
                                        : IptablesInterpreter.Verdict.DROP);
                assertThat(actual.lastDecision(c -> c.startsWith("tortie-")))
                        .as(what)
                        .isEqualTo(expected.decision().ruleId());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(1000 * 40);
    }

    private static EndpointProgram randomProgram(Random random) {
        List<IrTier> tiers = new ArrayList<>();
        int tierCount = 1 + random.nextInt(2);
        for (int t = 0; t < tierCount; t++) {
            List<IrPolicy> policies = new ArrayList<>();
            int policyCount = 1 + random.nextInt(2);
            for (int p = 0; p < policyCount; p++) {
                PolicyId id = new PolicyId(PolicyKind.GLOBAL_NETWORK_POLICY, null, "t" + t + "p" + p);
                List<IrRule> rules = new ArrayList<>();
                int ruleCount = random.nextInt(4);
                for (int r = 0; r < ruleCount; r++) {
                    rules.add(new IrRule(
                            new RuleId(id, Direction.INGRESS, r),
                            randomAction(random),
                            randomMatches(random),
                            null,
                            null));
                }
                policies.add(new IrPolicy(id, Direction.INGRESS, (double) p, rules));
            }
            tiers.add(new IrTier(
                    "tier" + t, Direction.INGRESS, random.nextBoolean() ? Action.DENY : Action.PASS, policies));
        }
        PolicyId kns = new PolicyId(PolicyKind.PROFILE, null, "kns.ns");
        List<IrProfile> profiles = random.nextInt(4) == 0
                ? List.of()
                : List.of(new IrProfile(
                        "kns.ns",
                        List.of(new IrRule(
                                new RuleId(kns, Direction.INGRESS, 0), Action.ALLOW, List.of(), null, null))));
        List<IpSetDefinition> defs = new ArrayList<>();
        SETS.values().forEach(c -> defs.add(c.definition()));
        return new EndpointProgram("ns/pod", Direction.INGRESS, tiers, profiles, Set.copyOf(defs));
    }

    private static Action randomAction(Random random) {
        Action[] actions = {Action.ALLOW, Action.ALLOW, Action.DENY, Action.PASS, Action.LOG};
        return actions[random.nextInt(actions.length)];
    }

    private static List<Match> randomMatches(Random random) {
        List<Match> out = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(7)) {
                case 0 -> out.add(new Match.IpVersion(random.nextInt(5) == 0 ? 6 : 4));
                case 1 -> out.add(new Match.ProtocolIs(pick(random, PROTOCOLS), random.nextInt(3) == 0));
                case 2 -> {
                    List<Cidr> cidrs = new ArrayList<>();
                    int k = 1 + random.nextInt(3);
                    for (int j = 0; j < k; j++) {
                        Cidr c = Cidr.parse(pick(random, CIDRS));
                        if (!cidrs.contains(c)) {
                            cidrs.add(c);
                        }
                    }
                    out.add(new Match.Cidrs(side(random), cidrs, random.nextBoolean()));
                }
                case 3 -> out.add(new Match.InIpSet(
                        side(random), pick(random, List.of("s:A", "s:B", "s:missing")), random.nextInt(3) == 0));
                case 4, 5 -> {
                    List<PortSpec> ranges = new ArrayList<>();
                    int k = random.nextInt(random.nextBoolean() ? 3 : 25);
                    for (int j = 0; j < k; j++) {
                        ranges.add(pick(random, PORTS));
                    }
                    List<String> named = new ArrayList<>();
                    int m = random.nextInt(3);
                    for (int j = 0; j < m; j++) {
                        named.add(pick(random, List.of("n:T", "n:U", "n:S", "n:missing")));
                    }
                    if (ranges.isEmpty() && named.isEmpty()) {
                        ranges.add(PortSpec.single(80));
                    }
                    out.add(new Match.Ports(side(random), ranges, named, random.nextInt(3) == 0));
                }
                default -> out.add(new Match.Icmp(
                        pick(random, List.of(0, 5, 8)),
                        random.nextBoolean() ? null : random.nextInt(2),
                        random.nextBoolean()));
            }
        }
        return out;
    }

    private static Packet randomPacket(Random random) {
        IpAddress src = IpAddress.parse(
                pick(random, List.of("10.0.0.1", "10.0.0.2", "10.0.1.5", "192.168.1.1", "8.8.8.8", "10.0.0.9")));
        IpAddress dst = random.nextInt(4) == 0 ? IpAddress.parse("10.0.0.9") : POD;
        Protocol proto = pick(random, PROTOCOLS);
        if (proto.isIcmp()) {
            return Packet.icmp(src, dst, proto, pick(random, List.of(0, 5, 8)), random.nextInt(2));
        }
        int dport = pick(random, List.of(53, 80, 1005, 8080, 9999, 3, 25));
        int sport = pick(random, List.of(80, 40000, 53));
        return new Packet(src, dst, proto, sport, dport, -1, -1);
    }

    private static Side side(Random random) {
        return random.nextBoolean() ? Side.SOURCE : Side.DESTINATION;
    }

    private static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
