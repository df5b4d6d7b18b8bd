package dev.tortie.dataplane.bpf.polprog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.bpf.BpfScenarios;
import dev.tortie.dataplane.bpf.BpfTesting;
import dev.tortie.dataplane.bpf.Flows;
import dev.tortie.dataplane.bpf.PolicyRunner;
import dev.tortie.dataplane.bpf.TestPackets;
import dev.tortie.dataplane.bpf.sys.VerifierRejectedException;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.eval.ProgramEvaluator;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.format.IrFormatter;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IpSetDefinition;
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
import dev.tortie.engine.net.IpAddress;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy programs on the real kernel (BPF_PROG_TEST_RUN, no network): for the golden scenarios and for random clusters,
 * every verdict and every recorded deciding id must equal the engine evaluator's ({@link ProgramEvaluator}, the
 * oracle), and every decision must write one flow event naming that id, verdict, direction and the packet. Also conntrack (replies, unsolicited reverse traffic, RST/FIN, related ICMP errors), the non-IPv4 policy and
 * a policy too large for the verifier. Needs root; skips visibly otherwise (fails with {@code CI=true}).
 */
@AddLifecycleHook(BpfTesting.SkipWithoutBpf.class)
class PolicyProgramPrivilegedIT {
    private static final AtomicLong PROPERTY_SAMPLES = new AtomicLong();
    private static final AtomicLong PROPERTY_WORLDS = new AtomicLong();

    private static final IpAddress A = IpAddress.parse("10.65.0.10");
    private static final IpAddress B = IpAddress.parse("10.65.0.11");

    @BeforeEach
    void requireBpf() {
        BpfTesting.requireBpf();
    }

    // ---------------------------------------------------------------------------------------------- scenarios

    @Test
    void scenariosAgreeWithTheEvaluatorOnEveryVerdictAndDecidingId() {
        int total = 0;
        for (String scenario : BpfScenarios.GOLDEN) {
            ClusterIndex index = BpfScenarios.load(scenario);
            NodeProgram node = index.nodeProgram(null);
            List<IpAddress> addresses = new ArrayList<>();
            for (LocalEndpoint e : node.endpoints()) {
                addresses.addAll(e.ips());
            }
            addresses.addAll(RandomClusters.OUTSIDE);
            List<Packet> flows = new ArrayList<>();
            List<Integer> ports = List.of(22, 53, 80, 443, 5432, 6379, 9090, 9187);
            for (IpAddress src : addresses) {
                for (IpAddress dst : addresses) {
                    if (src.equals(dst)) {
                        continue;
                    }
                    for (int port : ports) {
                        flows.add(new Packet(src, dst, Protocol.TCP, 40000 + port, port, -1, -1));
                    }
                    flows.add(new Packet(src, dst, Protocol.UDP, 5353, 53, -1, -1));
                    flows.add(Packet.icmp(src, dst, Protocol.ICMP, 8, 0));
                    flows.add(new Packet(src, dst, new Protocol(47), 0, 0, -1, -1));
                }
            }
            int n = checkAgainstEvaluator(node, index, flows, scenario, opts());
            System.out.printf("scenario %s: %d verdicts and deciding ids agree%n", scenario, n);
            // the same with a trampoline block every 64 slots: far jumps relayed many times
            n += checkAgainstEvaluator(
                    node, index, flows, scenario + " (trampolines)", opts().withTrampolineInterval(64));
            total += n;
        }
        assertThat(total).isGreaterThan(1000);
    }

    /** Runs each flow through the source's egress and the destination's ingress program; returns the samples. */
    private static int checkAgainstEvaluator(
            NodeProgram node,
            ClusterIndex index,
            List<Packet> flows,
            String context,
            PolicyProgramBuilder.Options options) {
        Map<IpAddress, LocalEndpoint> byIp = new HashMap<>();
        for (LocalEndpoint e : node.endpoints()) {
            for (IpAddress ip : e.ips()) {
                byIp.put(ip, e);
            }
        }
        int samples = 0;
        try (PolicyRunner runner = new PolicyRunner()) {
            runner.loadNode(node);
            Map<String, PolicyRunner.Loaded> loaded = new HashMap<>();
            for (LocalEndpoint e : node.endpoints()) {
                for (Direction d : Direction.values()) {
                    loaded.put(e.key() + d, runner.load(PolicyProgramBuilder.build(e, d, options)));
                }
            }
            for (Packet p : flows) {
                LocalEndpoint src = byIp.get(p.src());
                LocalEndpoint dst = byIp.get(p.dst());
                if (src != null) {
                    compare(runner, loaded.get(src.key() + Direction.EGRESS), src.egress(), p, index, context);
                    samples++;
                }
                if (dst != null) {
                    compare(runner, loaded.get(dst.key() + Direction.INGRESS), dst.ingress(), p, index, context);
                    samples++;
                }
            }
        }
        return samples;
    }

    private static void compare(
            PolicyRunner runner,
            PolicyRunner.Loaded loaded,
            EndpointProgram program,
            Packet p,
            dev.tortie.engine.ir.IpSetLookup sets,
            String context) {
        runner.maps().clearConntrack(); // every sample is the first packet of its flow
        DirectionTrace expected = ProgramEvaluator.evaluate(program, p, sets);
        PolicyRunner.Run actual = runner.run(loaded, Flows.frame(p));
        String what =
                context + ": " + program.endpoint() + " " + program.direction().lowerName() + " " + Flows.describe(p)
                        + " (evaluator: " + expected.decision().explanation() + ")";
        if (actual.allowed() != (expected.verdict() == Verdict.ALLOW)
                || !expected.decision().ruleId().equals(actual.idText())) {
            System.out.println("MISMATCH " + what + "\nIR:\n" + IrFormatter.format(program, sets) + "\nprogram:\n"
                    + loaded.source().listing());
        }
        assertThat(actual.allowed()).as(what + " verdict").isEqualTo(expected.verdict() == Verdict.ALLOW);
        assertThat(actual.idText())
                .as(what + " deciding id")
                .isEqualTo(expected.decision().ruleId());
        // The flow log's view of the same decision: one event naming the same rule and the packet.
        List<FlowEvents.Event> events = runner.drainFlowEvents();
        assertThat(events).as(what + " flow events").hasSize(1);
        FlowEvents.Event e = events.get(0);
        assertThat(e.ruleId()).as(what + " flow event rule").isEqualTo(actual.id());
        assertThat(e.deny()).as(what + " flow event verdict").isEqualTo(!actual.allowed());
        assertThat(e.egress()).as(what + " flow event direction").isEqualTo(program.direction() == Direction.EGRESS);
        assertThat(List.of(e.srcIp(), e.dstIp(), e.protocol()))
                .as(what + " flow event addresses and protocol")
                .containsExactly(
                        p.src().v4Bits(), p.dst().v4Bits(), p.protocol().number());
        boolean ports = p.protocol().supportsPorts();
        assertThat(List.of(e.srcPort(), e.dstPort()))
                .as(what + " flow event ports")
                .containsExactly(ports ? p.srcPort() : 0, ports ? p.dstPort() : 0);
    }

    // ---------------------------------------------------------------------------------------------- property

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void randomPoliciesAndFlowsAgreeWithTheEvaluator(@ForAll("seeds") long seed) {
        BpfTesting.requireBpf();
        RandomClusters.World world = RandomClusters.generate(seed);
        ClusterIndex index = RandomClusters.index(world);
        NodeProgram node = index.nodeProgram(null);
        int n = checkAgainstEvaluator(node, index, world.flows(), "random cluster (seed " + seed + ")", opts());
        PROPERTY_SAMPLES.addAndGet(n);
        PROPERTY_WORLDS.incrementAndGet();
    }

    @AfterContainer
    static void reportProperty() {
        if (PROPERTY_WORLDS.get() > 0) {
            System.out.printf(
                    "property: %d random clusters, %d kernel verdicts and deciding ids agreed with the evaluator%n",
                    PROPERTY_WORLDS.get(), PROPERTY_SAMPLES.get());
        }
    }

    // ---------------------------------------------------------------------------------------------- conntrack

    /**
     * Two local endpoints: A's egress allows B:80 (any protocol), B's ingress allows from A to :80, B's egress allows
     * everything, A's ingress nothing.
     */
    private static final class TwoPods implements AutoCloseable {
        final PolicyRunner runner = new PolicyRunner();
        final PolicyRunner.Loaded aEgress;
        final PolicyRunner.Loaded aIngress;
        final PolicyRunner.Loaded bEgress;
        final PolicyRunner.Loaded bIngress;

        TwoPods() {
            IrRule toB = rule(
                    "a-out",
                    Direction.EGRESS,
                    Action.ALLOW,
                    List.of(
                            new Match.Cidrs(Side.DESTINATION, List.of(dev.tortie.engine.net.Cidr.host(B)), false),
                            new Match.Ports(Side.DESTINATION, List.of(PortSpec.single(80)), List.of(), false)));
            IrRule fromA = rule(
                    "b-in",
                    Direction.INGRESS,
                    Action.ALLOW,
                    List.of(
                            new Match.Cidrs(Side.SOURCE, List.of(dev.tortie.engine.net.Cidr.host(A)), false),
                            new Match.Ports(Side.DESTINATION, List.of(PortSpec.single(80)), List.of(), false)));
            aEgress = runner.load(PolicyProgramBuilder.build(isolated("x/a", Direction.EGRESS, toB), opts()));
            aIngress = runner.load(PolicyProgramBuilder.build(isolated("x/a", Direction.INGRESS), opts()));
            IrRule any = rule("b-out", Direction.EGRESS, Action.ALLOW, List.of());
            bEgress = runner.load(PolicyProgramBuilder.build(isolated("x/b", Direction.EGRESS, any), opts()));
            runner.addLocalEndpoints(A, B);
            bIngress = runner.load(PolicyProgramBuilder.build(isolated("x/b", Direction.INGRESS, fromA), opts()));
        }

        /** A packet from A to B crossing the node: A's egress, then B's ingress. */
        boolean aToB(byte[] frame) {
            return runner.run(aEgress, frame).allowed()
                    && runner.run(bIngress, frame).allowed();
        }

        /** A packet from B to A: B's egress, then A's ingress. */
        boolean bToA(byte[] frame) {
            return runner.run(bEgress, frame).allowed()
                    && runner.run(aIngress, frame).allowed();
        }

        /** The connection's entry, looked up with the key as {@link Conntrack#key} builds it. */
        Conntrack.Entry entry(IpAddress src, int srcPort, IpAddress dst, int dstPort) {
            byte[] key = Conntrack.key(6, src, srcPort, dst, dstPort);
            byte[] value = runner.maps().conntrack().lookup(key);
            assertThat(value)
                    .as("entry for %s:%d -> %s:%d", src, srcPort, dst, dstPort)
                    .isNotNull();
            return Conntrack.decode(key, value);
        }

        String lastId(PolicyRunner.Loaded l, byte[] frame) {
            return runner.run(l, frame).idText();
        }

        @Override
        public void close() {
            runner.close();
        }
    }

    private static PolicyProgramBuilder.Options opts() {
        return PolicyProgramBuilder.Options.defaults();
    }

    @Test
    void tcpRepliesPassAndUnsolicitedReverseTrafficIsPoliced() {
        try (TwoPods t = new TwoPods()) {
            byte[] syn = TestPackets.tcp(A, B, 40001, 80, TestPackets.SYN);
            byte[] synAck = TestPackets.tcp(B, A, 80, 40001, TestPackets.SYN | TestPackets.ACK);
            byte[] ack = TestPackets.tcp(A, B, 40001, 80, TestPackets.ACK);

            assertThat(t.bToA(synAck)).as("reply before any request").isFalse();
            assertThat(t.aToB(syn)).as("SYN allowed by both policies").isTrue();
            assertThat(t.bToA(synAck)).as("SYN-ACK is a reply").isTrue();
            assertThat(t.lastId(t.aIngress, synAck)).isEqualTo("endpoint/x/a/ingress/established");
            assertThat(t.lastId(t.bEgress, synAck)).isEqualTo("endpoint/x/b/egress/established");
            assertThat(t.aToB(ack)).isTrue();
            assertThat(t.lastId(t.aEgress, ack))
                    .as("forward packets of an established connection skip policy")
                    .isEqualTo("endpoint/x/a/egress/established");

            assertThat(t.bToA(TestPackets.tcp(B, A, 80, 40002, TestPackets.SYN | TestPackets.ACK)))
                    .as("same ports, other client port: no connection")
                    .isFalse();
            assertThat(t.bToA(TestPackets.tcp(B, A, 40001, 80, TestPackets.SYN)))
                    .as("a new connection from B to A:80 is policed (A's ingress denies)")
                    .isFalse();
            assertThat(t.lastId(t.aIngress, TestPackets.tcp(B, A, 40001, 80, TestPackets.SYN)))
                    .isEqualTo("endpoint/x/a/ingress/no-profile");

            Conntrack.Entry entry = t.entry(A, 40001, B, 80);
            assertThat(entry.has(Conntrack.BOTH_APPROVED | Conntrack.BOTH_LOCAL))
                    .as(entry.toString())
                    .isTrue();

            // FIN from both sides: the connection is closing; replies still pass until it expires
            assertThat(t.aToB(TestPackets.tcp(A, B, 40001, 80, TestPackets.FIN | TestPackets.ACK)))
                    .isTrue();
            assertThat(t.bToA(TestPackets.tcp(B, A, 80, 40001, TestPackets.FIN | TestPackets.ACK)))
                    .isTrue();
            assertThat(t.entry(A, 40001, B, 80).has(Conntrack.FIN_BOTH)).isTrue();
            assertThat(t.aToB(ack)).as("last ACK").isTrue();

            // RST ends the connection: it passes itself, the entry is marked and expires quickly
            t.runner.maps().clearConntrack();
            assertThat(t.aToB(syn)).isTrue();
            assertThat(t.bToA(TestPackets.tcp(B, A, 80, 40001, TestPackets.RST | TestPackets.ACK)))
                    .as("RST of the server is a reply")
                    .isTrue();
            assertThat(t.entry(A, 40001, B, 80).has(Conntrack.RST_SEEN)).isTrue();
            assertThat(t.aToB(syn))
                    .as("a new SYN after the RST reopens through policy")
                    .isTrue();
            assertThat(t.lastId(t.aEgress, TestPackets.tcp(A, B, 40001, 80, TestPackets.ACK)))
                    .isEqualTo("endpoint/x/a/egress/established");
            assertThat(t.entry(A, 40001, B, 80).has(Conntrack.RST_SEEN))
                    .as("the new connection's entry is fresh")
                    .isFalse();
        }
    }

    @Test
    void udpRepliesPassAndOnlyTheApprovedDirection() {
        try (TwoPods t = new TwoPods()) {
            byte[] query = TestPackets.udp(A, B, 5353, 80);
            byte[] answer = TestPackets.udp(B, A, 80, 5353);
            assertThat(t.bToA(answer)).as("answer before a query").isFalse();
            assertThat(t.aToB(query)).isTrue();
            assertThat(t.bToA(answer)).as("the answer is a reply").isTrue();
            assertThat(t.bToA(TestPackets.udp(B, A, 80, 5354)))
                    .as("another client port")
                    .isFalse();
            assertThat(t.bToA(TestPackets.udp(B, A, 5353, 80)))
                    .as("B to A:80 is a new flow")
                    .isFalse();

            // A query A's egress lets out but B's ingress never approved (here: never saw): B's egress lets the
            // "answer" out by its own policy, and A's ingress must police it, since only one side approved
            t.runner.maps().clearConntrack();
            assertThat(t.runner.run(t.aEgress, TestPackets.udp(A, B, 5353, 81)).allowed())
                    .isFalse(); // only :80 leaves A
            assertThat(t.runner.run(t.aEgress, query).allowed()).isTrue();
            assertThat(t.runner.run(t.bEgress, answer).idText()).isEqualTo("gnp/b-out/egress/0");
            assertThat(t.runner.run(t.aIngress, answer).idText())
                    .as("an answer approved by one local side only is policed")
                    .isEqualTo("endpoint/x/a/ingress/no-profile");
        }
    }

    @Test
    void icmpEchoRepliesAndRelatedErrorsPass() {
        try (PolicyRunner runner = new PolicyRunner()) {
            IrRule ping =
                    rule("ping", Direction.EGRESS, Action.ALLOW, List.of(new Match.ProtocolIs(Protocol.ICMP, false)));
            IrRule udp =
                    rule("udp", Direction.EGRESS, Action.ALLOW, List.of(new Match.ProtocolIs(Protocol.UDP, false)));
            PolicyRunner.Loaded egress =
                    runner.load(PolicyProgramBuilder.build(isolated("x/a", Direction.EGRESS, ping, udp), opts()));
            PolicyRunner.Loaded ingress =
                    runner.load(PolicyProgramBuilder.build(isolated("x/a", Direction.INGRESS), opts()));
            byte[] reply = TestPackets.icmp(B, A, 0, 0, 77);
            assertThat(runner.run(ingress, reply).allowed()).isFalse();
            assertThat(runner.run(egress, TestPackets.icmp(A, B, 8, 0, 77)).allowed())
                    .isTrue();
            assertThat(runner.run(ingress, reply).allowed()).isTrue();
            assertThat(runner.run(ingress, TestPackets.icmp(B, A, 0, 0, 78)).allowed())
                    .as("another identifier")
                    .isFalse();

            byte[] query = TestPackets.udp(A, B, 5353, 53);
            byte[] unreachable = TestPackets.icmpError(B, A, 3, 3, query);
            assertThat(runner.run(ingress, unreachable).allowed())
                    .as("error for an unknown flow")
                    .isFalse();
            assertThat(runner.run(egress, query).allowed()).isTrue();
            PolicyRunner.Run related = runner.run(ingress, unreachable);
            assertThat(related.allowed())
                    .as("port unreachable for the query is related")
                    .isTrue();
            assertThat(related.idText()).isEqualTo("endpoint/x/a/ingress/established");
            assertThat(runner.run(ingress, TestPackets.icmpError(B, A, 3, 3, TestPackets.udp(A, B, 5353, 54)))
                            .allowed())
                    .isFalse();
        }
    }

    // ---------------------------------------------------------------------------------------------- non-IPv4

    @Test
    void nonIpv4TrafficFollowsTheDocumentedPolicy() {
        try (PolicyRunner runner = new PolicyRunner()) {
            IrRule all = rule("all", Direction.INGRESS, Action.ALLOW, List.of());
            PolicyRunner.Loaded p =
                    runner.load(PolicyProgramBuilder.build(isolated("x/a", Direction.INGRESS, all), opts()));
            assertThat(runner.run(p, TestPackets.arp()))
                    .isEqualTo(new PolicyRunner.Run(0, id("endpoint/x/a/ingress/arp"), "endpoint/x/a/ingress/arp"));
            assertThat(runner.run(p, TestPackets.ipv6Udp()).idText()).isEqualTo("endpoint/x/a/ingress/ipv6");
            assertThat(runner.run(p, TestPackets.ipv6Udp()).allowed()).isFalse();
            assertThat(runner.run(p, TestPackets.ethertype(0x88cc)).idText())
                    .isEqualTo("endpoint/x/a/ingress/other-ethertype");
            byte[] syn = TestPackets.tcp(B, A, 1, 80, TestPackets.SYN);
            assertThat(runner.run(p, TestPackets.truncated(syn, 40)).idText())
                    .isEqualTo("endpoint/x/a/ingress/malformed");
            byte[] badIhl = syn.clone();
            badIhl[14] = 0x44;
            assertThat(runner.run(p, badIhl).idText()).isEqualTo("endpoint/x/a/ingress/malformed");
            assertThat(runner.run(p, TestPackets.fragment(B, A, 6, 100)).idText())
                    .isEqualTo("endpoint/x/a/ingress/fragment");
            assertThat(runner.run(p, syn).idText()).isEqualTo("gnp/all/ingress/0");
        }
    }

    // ---------------------------------------------------------------------------------------------- limits

    @Test
    void aPolicyTooLargeForTheVerifierIsRejectedWithItsLog() {
        IrRule[] rules = new IrRule[12_000];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = rule(
                    "r" + i,
                    Direction.INGRESS,
                    Action.ALLOW,
                    List.of(
                            new Match.ProtocolIs(Protocol.TCP, false),
                            new Match.Ports(
                                    Side.DESTINATION, List.of(PortSpec.single(1 + i % 60000)), List.of(), false),
                            new Match.Cidrs(
                                    Side.SOURCE, List.of(dev.tortie.engine.net.Cidr.parse("10.0.0.0/8")), false)));
        }
        PolicyProgram big = PolicyProgramBuilder.build(isolated("x/a", Direction.INGRESS, rules), opts());
        try (PolicyRunner runner = new PolicyRunner()) {
            assertThatThrownBy(() -> runner.load(big)).isInstanceOfSatisfying(VerifierRejectedException.class, e -> {
                System.out.printf(
                        "%d rules, %d slots: %s%n", rules.length, big.program().slotCount(), e.getMessage());
                assertThat(e.getMessage()).contains("verifier rejected the program");
            });
        }
    }

    @Test
    void programSizeAndLoadTimeVersusRules() {
        System.out.println("rules | slots | verified insns | load ms (median of 3)");
        for (int n : new int[] {10, 100, 1000, 2000, 4000}) {
            IrRule[] rules = new IrRule[n];
            for (int i = 0; i < n; i++) {
                rules[i] = rule(
                        "r" + i,
                        Direction.INGRESS,
                        i % 10 == 9 ? Action.DENY : Action.ALLOW,
                        List.of(
                                new Match.ProtocolIs(Protocol.TCP, false),
                                new Match.InIpSet(Side.SOURCE, "s:set" + (i % 7), false),
                                new Match.Ports(Side.DESTINATION, List.of(PortSpec.single(1 + i)), List.of(), false)));
            }
            PolicyProgram p = PolicyProgramBuilder.build(isolated("x/a", Direction.INGRESS, rules), opts());
            try (PolicyRunner runner = new PolicyRunner()) {
                long[] nanos = new long[3];
                int verified = 0;
                for (int i = 0; i < nanos.length; i++) {
                    PolicyRunner.Loaded l = runner.load(p);
                    nanos[i] = l.loadNanos();
                    verified = l.program().info().verifiedInsns();
                }
                java.util.Arrays.sort(nanos);
                System.out.printf("%5d | %6d | %8d | %.1f%n", n, p.program().slotCount(), verified, nanos[1] / 1e6);
            } catch (VerifierRejectedException e) {
                String[] lines = e.verifierLog().strip().split("\n");
                System.out.printf(
                        "%5d | %6d | rejected: %s%n", n, p.program().slotCount(), lines[Math.max(0, lines.length - 2)]);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- IR helpers

    private static long id(String text) {
        return dev.tortie.engine.ir.Hashes.fnv64a(text);
    }

    static IrRule rule(String policy, Direction d, Action action, List<Match> matches) {
        return new IrRule(
                new RuleId(new PolicyId(PolicyKind.GLOBAL_NETWORK_POLICY, null, policy), d, 0),
                action,
                matches,
                action.displayName().toLowerCase(java.util.Locale.ROOT) + " (" + policy + ")",
                null);
    }

    /** An endpoint program with one tier (default Deny) holding one policy per rule, or no tier when no rules. */
    static EndpointProgram isolated(String endpoint, Direction d, IrRule... rules) {
        List<IrTier> tiers = new ArrayList<>();
        if (rules.length > 0) {
            List<IrPolicy> policies = new ArrayList<>();
            for (IrRule r : rules) {
                policies.add(new IrPolicy(r.id().policy(), d, 1.0, List.of(r)));
            }
            tiers.add(new IrTier("default", d, Action.DENY, policies));
        }
        List<IrProfile> profiles = List.of();
        Set<IpSetDefinition> sets = new LinkedHashSet<>();
        for (IrRule r : rules) {
            for (Match m : r.matches()) {
                if (m instanceof Match.InIpSet s) {
                    sets.add(new IpSetDefinition(
                            s.setId(), dev.tortie.engine.ir.IpSetType.NET, Selector.all(), null, null));
                }
            }
        }
        return new EndpointProgram(endpoint, d, tiers, profiles, sets);
    }

    static Map<String, IpSetContent> noSets() {
        return Map.of();
    }
}
