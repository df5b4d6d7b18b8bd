package dev.tortie.dataplane.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.lab.LabNetwork;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.PodSpec;
import dev.tortie.dataplane.lab.ProbeOutcome;
import dev.tortie.dataplane.lab.ProbeProgress;
import dev.tortie.dataplane.lab.ProbeRequest;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.dataplane.lab.RunPrefix;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.dataplane.render.iptables.Scenarios;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's evaluator as the oracle for the real kernel. The scenario's pods become a {@link LabNetwork} (a node
 * namespace with Calico-style routed veths, one namespace per pod, servers on every declared port); the node is
 * programmed by the iptables dataplane; then every pod pair is probed with real TCP connections (every declared TCP
 * port plus one without a server), UDP datagrams (every declared UDP port plus one without a server) and a ping, and
 * each outcome must be what the tracer predicts: connected or refused (the pod answered) when it says allow, silence
 * when it says deny. Finally the rule the tracer names as deciding each direction must have counted packets.
 */
class IptablesDifferentialPrivilegedIT {
    /** Ports nothing listens on: an allowed packet is answered with a reset or port-unreachable, a dropped one is not. */
    private static final int CLOSED_TCP_PORT = 9;

    private static final int CLOSED_UDP_PORT = 7;
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    private record Probe(Endpoint src, Endpoint dst, Protocol protocol, int port, FlowTrace expected) {}

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({
        "article, NFT",
        "allow-from-namespace, NFT",
        "tiered, NFT",
        "named-ports, NFT",
        "article, LEGACY",
        "tiered, LEGACY"
    })
    void realTrafficMatchesTheTracer(String scenario, DataplaneConfig.IptablesMode mode) throws Exception {
        PrivilegedNetns.assumeCapable("iptables-nft-restore", "iptables-legacy-restore", "ipset", "busybox", "sysctl");
        ClusterIndex index = Scenarios.load(scenario);
        List<Endpoint> endpoints = new ArrayList<>(index.endpoints());
        DataplaneConfig config = DataplaneConfig.builder().iptablesMode(mode).build();
        Tracer tracer = new Tracer(index);

        try (LabNetwork lab = LabNetwork.create(ProcessRunner.INSTANCE, RunPrefix.create())) {
            List<PodSpec> specs = new ArrayList<>();
            for (Endpoint e : endpoints) {
                specs.add(new PodSpec(e.namespace(), e.name(), e.primaryIp(), e.ports()));
            }
            Map<String, LabPod> pods = new LinkedHashMap<>();
            for (LabPod pod : lab.addPods(specs)) {
                pods.put(pod.key(), pod);
            }
            IptablesDataplane dp = new IptablesDataplane(lab.nodeRunner(), config);
            dp.apply(index.nodeProgram(null));

            List<Probe> probes = new ArrayList<>();
            for (Endpoint src : endpoints) {
                for (Endpoint dst : endpoints) {
                    if (src == dst) {
                        continue;
                    }
                    for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP)) {
                        TreeSet<Integer> ports = new TreeSet<>();
                        ports.add(protocol.equals(Protocol.TCP) ? CLOSED_TCP_PORT : CLOSED_UDP_PORT);
                        for (ContainerPort p : pods.get(dst.key()).servedPorts()) {
                            if (p.protocol().equals(protocol)) {
                                ports.add(p.port());
                            }
                        }
                        for (int port : ports) {
                            probes.add(new Probe(
                                    src,
                                    dst,
                                    protocol,
                                    port,
                                    tracer.trace(FlowEnd.of(src), FlowEnd.of(dst), protocol, port)));
                        }
                    }
                    probes.add(new Probe(
                            src,
                            dst,
                            Protocol.ICMP,
                            0,
                            tracer.traceIcmp(FlowEnd.of(src), FlowEnd.of(dst), Protocol.ICMP, 8, 0)));
                }
            }

            List<ProbeRequest> requests = new ArrayList<>();
            List<Probe> portProbes = new ArrayList<>();
            for (Probe p : probes) {
                if (!p.protocol().equals(Protocol.ICMP)) {
                    requests.add(ProbeRequest.to(
                            pods.get(p.src().key()), pods.get(p.dst().key()), p.protocol(), p.port()));
                    portProbes.add(p);
                }
            }
            List<ProbeResult> results = new Prober().probeAll(requests, 64, TIMEOUT, ProbeProgress.NONE);
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                ProbeResult r = results.get(i);
                Probe p = portProbes.get(i);
                assertThat(r.outcome())
                        .as(r.toString())
                        .isIn(ProbeOutcome.CONNECTED, ProbeOutcome.REFUSED, ProbeOutcome.TIMED_OUT);
                boolean allowed = r.outcome() != ProbeOutcome.TIMED_OUT;
                if (allowed != (p.expected().verdict() == Verdict.ALLOW)) {
                    mismatches.add(r + ": tracer says " + p.expected().verdict());
                }
            }
            List<Probe> pings = probes.stream()
                    .filter(p -> p.protocol().equals(Protocol.ICMP))
                    .toList();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (Probe p : pings) {
                    answers.add(pool.submit(() -> ping(lab, pods.get(p.src().key()), p)));
                }
                for (Future<String> answer : answers) {
                    String mismatch = answer.get();
                    if (mismatch != null) {
                        mismatches.add(mismatch);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(mismatches).as(scenario + ": real kernel vs tracer").isEmpty();
            assertThat(probes)
                    .as("some flows are allowed")
                    .anyMatch(p -> p.expected().verdict() == Verdict.ALLOW);
            assertThat(probes)
                    .as("some flows are denied")
                    .anyMatch(p -> p.expected().verdict() == Verdict.DENY);

            // The rules the tracer names as deciding counted packets in the kernel.
            Map<String, RuleCounters> counters = dp.readCounters();
            for (Probe probe : probes) {
                List<DirectionTrace> sides =
                        new ArrayList<>(List.of(probe.expected().egress()));
                if (probe.expected().egress().verdict() == Verdict.ALLOW) {
                    sides.add(probe.expected().ingress()); // a flow dropped on egress never reaches the ingress chain
                }
                for (DirectionTrace d : sides) {
                    assertThat(counters.getOrDefault(d.decision().ruleId(), RuleCounters.ZERO)
                                    .packets())
                            .as(scenario + ": counter of " + d.decision().ruleId())
                            .isPositive();
                }
            }
        }
    }

    /** One ICMP echo (1 s timeout); a description of the mismatch with the tracer, or null. */
    private static String ping(LabNetwork lab, LabPod from, Probe p) {
        boolean answered = lab.runner()
                .inNetns(from.netns())
                .run(
                        List.of(
                                "busybox",
                                "ping",
                                "-c",
                                "1",
                                "-W",
                                "1",
                                p.dst().primaryIp().toString()),
                        null,
                        Duration.ofSeconds(10))
                .ok();
        boolean expected = p.expected().verdict() == Verdict.ALLOW;
        return answered == expected
                ? null
                : p.src().key() + " -> " + p.dst().key() + " ping " + (answered ? "answered" : "dropped")
                        + ": tracer says " + p.expected().verdict();
    }
}
