package dev.tortie.dataplane.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.bpf.sys.BpfFs;
import dev.tortie.dataplane.lab.LabNetwork;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.PodSpec;
import dev.tortie.dataplane.lab.ProbeOutcome;
import dev.tortie.dataplane.lab.ProbeProgress;
import dev.tortie.dataplane.lab.ProbeRequest;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.dataplane.lab.RunPrefix;
import dev.tortie.dataplane.os.Privileged;
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
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The evaluator as the oracle for the eBPF dataplane on real traffic, for every scenario the iptables dataplane is
 * checked with: every pod pair probed over TCP and UDP on every served port plus one closed port, and pinged. An allowed
 * flow must connect or be refused (the closed port's RST or ICMP port-unreachable must come back through conntrack:
 * reply and related traffic), a denied one must stay silent; the deciding rules must have counted packets.
 */
class BpfDifferentialPrivilegedIT {
    private static final int CLOSED_TCP_PORT = 9;
    private static final int CLOSED_UDP_PORT = 7;
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    private record Probe(Endpoint src, Endpoint dst, Protocol protocol, int port, FlowTrace expected) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "deny-all-ingress",
                "allow-from-namespace",
                "named-ports",
                "tiered",
                "ipblock-except",
                "many-ports",
                "article"
            })
    void realTrafficMatchesTheTracer(String scenario) throws Exception {
        Privileged.requireNetns();
        BpfTesting.requireTcx();
        BpfTesting.require(
                Files.isExecutable(Path.of("/usr/bin/busybox")) || Files.isExecutable(Path.of("/bin/busybox"))
                        ? null
                        : "busybox (ping) not installed",
                "busybox");
        ClusterIndex index = Scenarios.load(scenario);
        List<Endpoint> endpoints = new ArrayList<>(index.endpoints());
        Tracer tracer = new Tracer(index);
        Path bpffs = Files.createTempDirectory("tortie-bpffs-");
        BpfFs.mount(bpffs);
        BpfDataplane dp = null;
        try (LabNetwork lab = LabNetwork.create(ProcessRunner.INSTANCE, RunPrefix.create())) {
            List<PodSpec> specs = new ArrayList<>();
            for (Endpoint e : endpoints) {
                specs.add(new PodSpec(e.namespace(), e.name(), e.primaryIp(), e.ports()));
            }
            Map<String, LabPod> pods = new LinkedHashMap<>();
            for (LabPod pod : lab.addPods(specs)) {
                pods.put(pod.key(), pod);
            }
            DataplaneConfig config = DataplaneConfig.builder()
                    .interfacePrefixes(lab.interfacePrefix())
                    .build();
            dp = new BpfDataplane(config, BpfDataplane.Options.of(bpffs.resolve("tortie"), lab.nodeNamespace()));
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
            int refused = 0;
            for (int i = 0; i < results.size(); i++) {
                ProbeResult r = results.get(i);
                Probe p = portProbes.get(i);
                boolean allowed = r.outcome() == ProbeOutcome.CONNECTED || r.outcome() == ProbeOutcome.REFUSED;
                refused += r.outcome() == ProbeOutcome.REFUSED ? 1 : 0;
                if (r.outcome() == ProbeOutcome.ERROR
                        || allowed != (p.expected().verdict() == Verdict.ALLOW)) {
                    mismatches.add(r + ": tracer says " + p.expected().verdict());
                }
                if (p.expected().verdict() == Verdict.ALLOW
                        && (p.port() == CLOSED_TCP_PORT && p.protocol().equals(Protocol.TCP)
                                || p.port() == CLOSED_UDP_PORT && p.protocol().equals(Protocol.UDP))
                        && r.outcome() != ProbeOutcome.REFUSED) {
                    mismatches.add(r + ": an allowed probe of a closed port must be refused (RST / port unreachable)");
                }
            }
            List<Probe> pings = probes.stream()
                    .filter(p -> p.protocol().equals(Protocol.ICMP))
                    .toList();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (Probe p : pings) {
                    LabPod from = pods.get(p.src().key());
                    answers.add(pool.submit(() -> ping(lab, from, p)));
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
            System.out.printf(
                    "%s: %d port probes (%d refused) and %d pings, kernel == tracer: %s%n",
                    scenario, results.size(), refused, pings.size(), mismatches.isEmpty());
            assertThat(mismatches).as(scenario + ": real kernel vs tracer").isEmpty();

            Map<String, RuleCounters> counters = dp.readCounters();
            for (Probe probe : probes) {
                List<DirectionTrace> sides =
                        new ArrayList<>(List.of(probe.expected().egress()));
                if (probe.expected().egress().verdict() == Verdict.ALLOW) {
                    sides.add(probe.expected().ingress()); // dropped on egress never reaches the ingress program
                }
                for (DirectionTrace d : sides) {
                    assertThat(counters.getOrDefault(d.decision().ruleId(), RuleCounters.ZERO)
                                    .packets())
                            .as(scenario + ": counter of " + d.decision().ruleId())
                            .isPositive();
                }
            }
        } finally {
            try {
                if (dp != null) {
                    dp.remove();
                }
            } finally {
                if (BpfFs.isMountPoint(bpffs)) {
                    BpfFs.unmount(bpffs);
                }
                Files.deleteIfExists(bpffs);
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
