package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.render.ipset.IpsetRenderer;
import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every golden scenario, runs many packets (every pod pair, pods to and from outside addresses, TCP/UDP on every
 * declared port and a few others, ICMP) through a model of netfilter over the rendered chains and checks the verdict
 * AND the rule id that decided each direction against the engine's tracer. The kernel differential test does the same
 * with real packets for a few scenarios; this one covers all of them without root.
 */
class RenderedSemanticsTest {
    private static final String UPLINK = "eth0";
    private static final List<IpAddress> OUTSIDE =
            List.of(IpAddress.parse("8.8.8.8"), IpAddress.parse("10.65.7.5"), IpAddress.parse("10.65.6.99"));

    static List<Arguments> scenarios() {
        // The default layout, and a dispatch tree (fan-out 1) with a second workload prefix (EKS: eni) whose
        // interfaces must fail closed.
        DataplaneConfig tree = DataplaneConfig.builder()
                .interfacePrefixes("cali", "eni")
                .dispatchFanout(1)
                .build();
        List<Arguments> out = new ArrayList<>();
        for (String name : Scenarios.GOLDEN) {
            out.add(Arguments.of(name, DataplaneConfig.defaults()));
            out.add(Arguments.of(name, tree));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void renderedChainsDecideLikeTheEvaluator(String name, DataplaneConfig config) {
        ClusterIndex index = Scenarios.load(name);
        Ruleset ruleset = IptablesRenderer.render(index.nodeProgram(null), config);
        IpsetRendering sets = IpsetRenderer.render(index.nodeProgram(null), ruleset.auxiliarySets(), config);
        IptablesInterpreter kernel = new IptablesInterpreter(ruleset, sets);
        Tracer tracer = new Tracer(index);

        List<Endpoint> endpoints = new ArrayList<>(index.endpoints());
        TreeSet<Integer> ports =
                new TreeSet<>(List.of(1, 22, 31, 40, 53, 80, 5432, 6379, 8001, 8100, 9187, 9205, 12345));
        for (Endpoint e : endpoints) {
            for (ContainerPort p : e.ports()) {
                ports.add(p.port());
            }
        }
        int checked = 0;
        for (Endpoint src : endpoints) {
            for (Endpoint dst : endpoints) {
                if (src == dst) {
                    continue;
                }
                for (Packet p : packets(src.primaryIp(), dst.primaryIp(), ports)) {
                    FlowTrace trace = tracer.trace(FlowEnd.of(src), FlowEnd.of(dst), p);
                    IptablesInterpreter.Result r = kernel.forward(iface(src, config), iface(dst, config), p);
                    check(ruleset, name, src.key() + " -> " + dst.key(), p, trace, r);
                    checked++;
                }
            }
            for (IpAddress outside : OUTSIDE) {
                for (Packet p : packets(outside, src.primaryIp(), ports)) {
                    FlowTrace in = tracer.trace(FlowEnd.external(outside), FlowEnd.of(src), p);
                    check(
                            ruleset,
                            name,
                            outside + " -> " + src.key(),
                            p,
                            in,
                            kernel.forward(UPLINK, iface(src, config), p));
                }
                for (Packet p : packets(src.primaryIp(), outside, ports)) {
                    FlowTrace out = tracer.trace(FlowEnd.of(src), FlowEnd.external(outside), p);
                    check(
                            ruleset,
                            name,
                            src.key() + " -> " + outside,
                            p,
                            out,
                            kernel.forward(iface(src, config), UPLINK, p));
                }
            }
        }
        assertThat(checked).isPositive();
        // Traffic that touches no workload interface is not tortie's business.
        assertThat(kernel.forward("eth0", "eth1", Packet.of(OUTSIDE.get(0), OUTSIDE.get(1), Protocol.TCP, 80))
                        .verdict())
                .isEqualTo(IptablesInterpreter.Verdict.CONTINUE);
        // An unknown workload interface fails closed, and the flow log says so.
        IptablesInterpreter.Result unknown =
                kernel.forward("cali00000000000", UPLINK, Packet.of(OUTSIDE.get(1), OUTSIDE.get(0), Protocol.TCP, 80));
        assertThat(unknown.verdict()).isEqualTo(IptablesInterpreter.Verdict.DROP);
        assertThat(unknown.nflog()).hasSize(1);
        assertThat(ruleset.ruleIdForNflog(unknown.nflog().get(0))).isEqualTo(IptablesRenderer.UNKNOWN_INTERFACE_FROM);
        assertThat(unknown.nflog().get(0).allow()).isFalse();
        for (String prefix : config.interfacePrefixes()) {
            assertThat(kernel.forward(
                                    UPLINK,
                                    prefix + "ffffffffff",
                                    Packet.of(OUTSIDE.get(0), OUTSIDE.get(1), Protocol.TCP, 80))
                            .verdict())
                    .as("unknown %s interface", prefix)
                    .isEqualTo(IptablesInterpreter.Verdict.DROP);
        }
    }

    private static void check(
            Ruleset ruleset, String scenario, String flow, Packet p, FlowTrace trace, IptablesInterpreter.Result r) {
        String what = scenario + ": " + flow + " " + p.protocol() + " "
                + (p.protocol().isIcmp() ? "type " + p.icmpType() : p.dstPort());
        IptablesInterpreter.Verdict expected = trace.verdict() == Verdict.ALLOW
                ? IptablesInterpreter.Verdict.ACCEPT
                : IptablesInterpreter.Verdict.DROP;
        assertThat(r.verdict()).as(what + " hits " + r.hits()).isEqualTo(expected);
        // The deciding rule of each evaluated direction fired in that direction's chains (what counters count).
        checkDecision(what, trace.egress(), r, "tortie-fw-", "tortie-po-", "tortie-pro-");
        if (trace.egress() == null || trace.egress().verdict() == Verdict.ALLOW) {
            checkDecision(what, trace.ingress(), r, "tortie-tw-", "tortie-pi-", "tortie-pri-");
        }
        checkFlowLog(ruleset, what, trace, r);
    }

    /**
     * The flow log names exactly the tracer's decisions: one NFLOG message per evaluated direction (egress first),
     * whose prefix carries the deciding rule's number, its verdict and direction, and maps back to its id.
     */
    private static void checkFlowLog(Ruleset ruleset, String what, FlowTrace trace, IptablesInterpreter.Result r) {
        List<String> expected = new ArrayList<>();
        if (trace.egress() != null) {
            expected.add(logged(trace.egress()));
        }
        if (trace.ingress() != null && (trace.egress() == null || trace.egress().verdict() == Verdict.ALLOW)) {
            expected.add(logged(trace.ingress()));
        }
        List<String> actual = new ArrayList<>();
        for (NflogPrefix prefix : r.nflog()) {
            assertThat(prefix).as(what + ": a tortie NFLOG prefix").isNotNull();
            actual.add((prefix.allow() ? "allow " : "deny ")
                    + prefix.direction().lowerName() + " " + ruleset.ruleIdForNflog(prefix));
        }
        assertThat(actual).as(what + ": flow log (hits " + r.hits() + ")").isEqualTo(expected);
    }

    private static String logged(DirectionTrace d) {
        return d.verdict().lowerName() + " " + d.direction().lowerName() + " "
                + d.decision().ruleId();
    }

    private static void checkDecision(
            String what, DirectionTrace direction, IptablesInterpreter.Result r, String... chainPrefixes) {
        if (direction == null) {
            return;
        }
        String fired = r.lastDecision(chain -> {
            for (String prefix : chainPrefixes) {
                if (chain.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        });
        assertThat(fired)
                .as(what + " " + direction.direction() + " decided by (hits " + r.hits() + ")")
                .isEqualTo(direction.decision().ruleId());
    }

    static List<Packet> packets(IpAddress src, IpAddress dst, Iterable<Integer> ports) {
        List<Packet> out = new ArrayList<>();
        for (int port : ports) {
            out.add(new Packet(src, dst, Protocol.TCP, 40000, port, -1, -1));
            out.add(new Packet(src, dst, Protocol.UDP, 40000, port, -1, -1));
        }
        out.add(new Packet(src, dst, Protocol.SCTP, 40000, 80, -1, -1));
        out.add(Packet.icmp(src, dst, Protocol.ICMP, 8, 0));
        out.add(Packet.icmp(src, dst, Protocol.ICMP, 5, 1));
        out.add(Packet.icmp(src, dst, Protocol.ICMP, 5, 0));
        return out;
    }

    static String iface(Endpoint e, DataplaneConfig config) {
        return Names.workloadInterface(config.namingPrefix(), e.namespace(), e.name());
    }
}
