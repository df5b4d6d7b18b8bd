package dev.tortie.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.Netns;
import dev.tortie.dataplane.os.Privileged;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab on the real kernel: needs root and {@code ip netns}; skips visibly without them (fails when {@code CI=true}).
 * Everything lives in namespaces named after a fresh {@link RunPrefix}; each test removes them, also on failure, and
 * checks that the root namespace's firewall is unchanged.
 */
class LabNetworkPrivilegedIT {
    /** Probes expected to connect wait longer: a loaded machine or a fresh veth's first ARP can be slow. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private static final CommandRunner RUN = ProcessRunner.INSTANCE;
    private static final ContainerPort HTTP = new ContainerPort("http", Protocol.TCP, 80);
    private static final ContainerPort DNS = new ContainerPort("dns", Protocol.UDP, 81);
    private static final ContainerPort SCTP = new ContainerPort("sctp", Protocol.SCTP, 82);
    private static final List<ContainerPort> PORTS = List.of(HTTP, DNS, SCTP);

    private RunPrefix prefix;
    private LabNetwork lab;
    private String rootFirewallBefore;
    private final List<String> extraNamespaces = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Privileged.requireNetns();
        prefix = RunPrefix.create();
        rootFirewallBefore = rootFirewall();
    }

    @AfterEach
    void tearDown() {
        if (prefix == null) {
            return; // skipped
        }
        try {
            if (lab != null) {
                lab.close();
            }
        } finally {
            prefix.deleteNamespaces(RUN);
            Netns.deleteAll(RUN, extraNamespaces);
        }
        assertThat(Netns.list(RUN))
                .as("namespaces left behind")
                .noneMatch(n -> n.startsWith(prefix.value()) || extraNamespaces.contains(n));
        assertThat(rootFirewall()).as("root namespace firewall").isEqualTo(rootFirewallBefore);
    }

    @Test
    void threePodsAcrossTwoNamespacesConnectUntilTheNodeDropsAFlow() {
        long t0 = System.nanoTime();
        lab = LabNetwork.create(RUN, prefix);
        IpAddress chosen = lab.allocateIp();
        LabPod pod1 = lab.addPod("app-a", "pod-1", chosen, PORTS);
        List<LabPod> more =
                lab.addPods(List.of(PodSpec.of("app-a", "pod-2", PORTS), PodSpec.of("app-b", "pod-3", PORTS)));
        LabPod pod2 = more.get(0);
        LabPod pod3 = more.get(1);
        report("lab with 3 pods created in %d ms", millisSince(t0));

        // Structure: the node namespace holds lo and the pods' host-side veths, nothing else.
        assertThat(pod1.ip()).isEqualTo(IpAddress.parse("10.65.0.1"));
        assertThat(pod2.ip()).isEqualTo(IpAddress.parse("10.65.0.2"));
        assertThat(lab.pods()).containsExactly(pod1, pod2, pod3);
        assertThat(lab.pod("app-b", "pod-3")).contains(pod3);
        assertThat(lab.hostInterface("app-a", "pod-1"))
                .isEqualTo(pod1.hostInterface())
                .isEqualTo(Names.workloadInterface("cali", "app-a", "pod-1"));
        assertThat(nodeLinks())
                .containsExactlyInAnyOrder("lo", pod1.hostInterface(), pod2.hostInterface(), pod3.hostInterface());
        assertThat(lab.nodeRunner().run("sysctl", "-n", "net.ipv4.ip_forward").stdout())
                .isEqualToIgnoringWhitespace("1");
        String nodeRoutes = ip(lab.nodeNamespace(), "route", "show");
        for (LabPod pod : lab.pods()) {
            assertThat(pod.netns()).startsWith(prefix.value() + "-p");
            assertThat(lab.nodeRunner()
                            .run("sysctl", "-n", "net.ipv4.conf." + pod.hostInterface() + ".proxy_arp")
                            .stdout())
                    .as("proxy_arp on " + pod.hostInterface())
                    .isEqualToIgnoringWhitespace("1");
            assertThat(ip(lab.nodeNamespace(), "ntable", "show", "dev", pod.hostInterface()))
                    .contains("proxy_delay 0");
            assertThat(ip(lab.nodeNamespace(), "-o", "addr", "show", "dev", pod.hostInterface()))
                    .doesNotContain("inet ");
            assertThat(nodeRoutes).contains(pod.ip() + " dev " + pod.hostInterface());
            assertThat(ip(pod.netns(), "-o", "addr", "show", "dev", "eth0")).contains("inet " + pod.ip() + "/32");
            assertThat(ip(pod.netns(), "route", "show")).contains("default via 169.254.1.1 dev eth0 onlink");
            assertThat(pod.servedPorts()).containsExactly(HTTP, DNS);
            assertThat(pod.unsupportedPorts())
                    .singleElement()
                    .satisfies(u -> assertThat(u.port()).isEqualTo(SCTP))
                    .satisfies(u -> assertThat(u.reason()).contains("CONFIG_IP_SCTP"));
        }

        // Every pair, both protocols: connected, answered by the destination pod.
        Prober prober = new Prober();
        List<ProbeRequest> matrix = matrix(lab.pods(), List.of(HTTP, DNS));
        AtomicInteger progress = new AtomicInteger();
        List<ProbeResult> open = prober.probeAll(matrix, 64, CONNECT_TIMEOUT, (r, done, total) -> {
            assertThat(total).isEqualTo(matrix.size());
            progress.set(done);
        });
        assertThat(progress.get()).isEqualTo(matrix.size());
        for (ProbeResult r : open) {
            assertThat(r.outcome()).as(r.toString()).isEqualTo(ProbeOutcome.CONNECTED);
            assertThat(r.responder())
                    .as(r.toString())
                    .isEqualTo(podAt(r.request().destination()).key());
        }

        // The node drops TCP 80 towards pod 2 (in the node namespace only).
        lab.nodeRunner()
                .run(
                        "iptables",
                        "-w",
                        "-I",
                        "FORWARD",
                        "-d",
                        pod2.ip().toString(),
                        "-p",
                        "tcp",
                        "--dport",
                        "80",
                        "-j",
                        "DROP")
                .orThrow();
        long t1 = System.nanoTime();
        List<ProbeResult> filtered = prober.probeAll(matrix, 64, Prober.DEFAULT_TIMEOUT, ProbeProgress.NONE);
        long matrixMillis = millisSince(t1);
        report("3x3x2 matrix with 2 dropped probes took %d ms", matrixMillis);
        for (ProbeResult r : filtered) {
            ProbeRequest q = r.request();
            boolean dropped = q.destination().equals(pod2.ip())
                    && q.protocol().equals(Protocol.TCP)
                    && !q.source().equals(pod2); // a pod talking to itself never crosses the node
            if (dropped) {
                assertThat(r.outcome()).as(r.toString()).isEqualTo(ProbeOutcome.TIMED_OUT);
                assertThat(r.latency()).isLessThan(Duration.ofSeconds(1));
            } else {
                assertThat(r.outcome()).as(r.toString()).isEqualTo(ProbeOutcome.CONNECTED);
                assertThat(r.responder()).isEqualTo(podAt(q.destination()).key());
            }
        }
        assertThat(matrixMillis).as("denied probes run in parallel").isLessThan(2_000);
        ProbeResult single = prober.probe(pod1, pod2.ip(), Protocol.TCP, 80, Duration.ofMillis(150));
        assertThat(single.outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
        assertThat(single.latency()).isBetween(Duration.ofMillis(140), Duration.ofSeconds(3));
        assertThat(single.detail()).contains("150 ms");

        // Closed ports are refused (RST for TCP, ICMP port unreachable for UDP); SCTP is not attempted.
        ProbeResult closedTcp = prober.probe(pod1, pod3.ip(), Protocol.TCP, 9);
        assertThat(closedTcp.outcome()).as(closedTcp.toString()).isEqualTo(ProbeOutcome.REFUSED);
        assertThat(closedTcp.detail()).contains("refused");
        assertThat(closedTcp.latency()).isLessThan(Duration.ofSeconds(1));
        ProbeResult closedUdp = prober.probe(pod1, pod3.ip(), Protocol.UDP, 9);
        assertThat(closedUdp.outcome()).as(closedUdp.toString()).isEqualTo(ProbeOutcome.REFUSED);
        assertThat(closedUdp.detail()).contains("port unreachable");
        ProbeResult sctp = prober.probe(pod1, pod3.ip(), Protocol.SCTP, 82);
        assertThat(sctp.outcome()).isEqualTo(ProbeOutcome.UNSUPPORTED);
        assertThat(sctp.detail()).isEqualTo("this kernel has no SCTP sockets (CONFIG_IP_SCTP unset)");
        assertThat(sctp.latency()).isEqualTo(Duration.ZERO);

        // A dropped UDP flow times out too; the echo still works from the pod to itself.
        lab.nodeRunner()
                .run(
                        "iptables",
                        "-w",
                        "-I",
                        "FORWARD",
                        "-d",
                        pod3.ip().toString(),
                        "-p",
                        "udp",
                        "--dport",
                        "81",
                        "-j",
                        "DROP")
                .orThrow();
        assertThat(prober.probe(pod1, pod3.ip(), Protocol.UDP, 81).outcome()).isEqualTo(ProbeOutcome.TIMED_OUT);
        assertThat(prober.probe(pod3, pod3.ip(), Protocol.UDP, 81, CONNECT_TIMEOUT)
                        .responder())
                .isEqualTo("app-b/pod-3");
        lab.nodeRunner().run("iptables", "-w", "-F", "FORWARD").orThrow();

        // Removing a pod removes its namespace and veth; adding it again reuses the names at once.
        assertThat(lab.removePod("app-b", "pod-3")).isTrue();
        assertThat(lab.removePod("app-b", "pod-3")).isFalse();
        assertThat(Netns.exists(RUN, pod3.netns())).isFalse();
        assertThat(nodeLinks()).containsExactlyInAnyOrder("lo", pod1.hostInterface(), pod2.hostInterface());
        assertThat(prober.probe(pod1, pod3.ip(), Protocol.TCP, 80).outcome()).isNotEqualTo(ProbeOutcome.CONNECTED);
        LabPod again = lab.addPod("app-b", "pod-3", pod3.ip(), PORTS);
        assertThat(prober.probe(pod1, again.ip(), Protocol.TCP, 80, CONNECT_TIMEOUT)
                        .responder())
                .isEqualTo("app-b/pod-3");
        assertThat(prober.probe(pod2, again.ip(), Protocol.UDP, 81, CONNECT_TIMEOUT)
                        .responder())
                .isEqualTo("app-b/pod-3");

        lab.close();
        assertThat(lab.isClosed()).isTrue();
        assertThat(Netns.list(RUN)).noneMatch(n -> n.startsWith(prefix.value()));
        lab.close(); // idempotent
    }

    @Test
    void thirtyPodsTakeSecondsAndANineByNineMatrixCostsAboutOneTimeoutPerWave() {
        long t0 = System.nanoTime();
        lab = LabNetwork.create(RUN, prefix);
        List<PodSpec> specs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            specs.add(PodSpec.of("ns-" + (i % 3), "pod-" + i, List.of(HTTP, DNS)));
        }
        List<LabPod> pods = lab.addPods(specs);
        long createMillis = millisSince(t0);
        report("lab with 30 pods created in %d ms", createMillis);
        assertThat(pods).hasSize(30);
        assertThat(nodeLinks()).hasSize(31);
        assertThat(createMillis).isLessThan(20_000);

        List<LabPod> nine = pods.subList(0, 9);
        // Deny TCP 80 to three of the nine: 3 x 8 sources = 24 dropped probes of 162. (Without --dport, and with no
        // conntrack rule, the SYN-ACKs of the denied pods' own outgoing connections would be dropped too.)
        for (LabPod denied : nine.subList(0, 3)) {
            lab.nodeRunner()
                    .run(
                            "iptables",
                            "-w",
                            "-A",
                            "FORWARD",
                            "-d",
                            denied.ip().toString(),
                            "-p",
                            "tcp",
                            "--dport",
                            "80",
                            "-j",
                            "DROP")
                    .orThrow();
        }
        List<ProbeRequest> matrix = matrix(nine, List.of(HTTP, DNS));
        long t1 = System.nanoTime();
        List<ProbeResult> results = new Prober().probeAll(matrix);
        long probeMillis = millisSince(t1);
        Map<ProbeOutcome, Integer> counts = new TreeMap<>();
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        report("9x9x2 matrix (%d probes, %s) took %d ms", matrix.size(), counts, probeMillis);
        assertThat(counts).containsEntry(ProbeOutcome.TIMED_OUT, 24).containsEntry(ProbeOutcome.CONNECTED, 138);
        assertThat(probeMillis).isLessThan(3_000);

        long t2 = System.nanoTime();
        lab.close();
        report("lab with 30 pods closed in %d ms", millisSince(t2));
    }

    @Test
    void aFailedAddRemovesWhatItCreatedAndReleasesTheAddresses() {
        String[] failFor = new String[1];
        CommandRunner flaky = (argv, stdin, timeout) -> {
            if (failFor[0] != null && argv.contains(failFor[0]) && argv.contains("-batch")) {
                return new CommandResult(argv, 2, "", "injected failure");
            }
            return RUN.run(argv, stdin, timeout);
        };
        lab = LabNetwork.create(flaky, prefix);
        LabPod keep = lab.addPod("default", "keep", List.of(HTTP));
        failFor[0] = lab.podNamespace("default", "bad");
        assertThatThrownBy(() -> lab.addPods(List.of(
                        PodSpec.of("default", "good", List.of(HTTP)), PodSpec.of("default", "bad", List.of(HTTP)))))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("injected failure");
        assertThat(lab.pods()).containsExactly(keep);
        assertThat(prefix.namespaces(RUN)).containsExactlyInAnyOrder(lab.nodeNamespace(), keep.netns());
        assertThat(nodeLinks()).containsExactlyInAnyOrder("lo", keep.hostInterface());

        assertThatThrownBy(() -> lab.addPod("default", "keep", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> lab.addPod("default", "x", IpAddress.parse("192.168.0.1"), List.of()))
                .hasMessageContaining("outside the lab's pod CIDR");
        assertThatThrownBy(() -> lab.addPod("default", "x", keep.ip(), List.of()))
                .hasMessageContaining("already used by pod default/keep");

        failFor[0] = null;
        LabPod next = lab.addPod("default", "good", List.of(HTTP));
        assertThat(next.ip()).isEqualTo(IpAddress.parse("10.65.0.4")); // .2 and .3 went to the failed pair
        assertThat(new Prober()
                        .probe(keep, next.ip(), Protocol.TCP, 80, CONNECT_TIMEOUT)
                        .responder())
                .isEqualTo("default/good");
    }

    @Test
    void startingALabSweepsNamespacesOfDeadRunsOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        String stale = RunPrefix.forPid(deadPid, 0xdead).name("node");
        String live = RunPrefix.forPid(ProcessHandle.current().pid(), 0xbeef).name("node");
        extraNamespaces.add(stale);
        extraNamespaces.add(live);
        Netns.createAll(RUN, List.of(stale, live));

        lab = LabNetwork.create(RUN, prefix);
        assertThat(lab.sweptOnStart()).contains(stale).doesNotContain(live);
        assertThat(Netns.list(RUN)).doesNotContain(stale).contains(live, lab.nodeNamespace());
    }

    // ---------------------------------------------------------------- helpers

    private LabPod podAt(IpAddress ip) {
        return lab.pods().stream().filter(p -> p.ip().equals(ip)).findFirst().orElseThrow();
    }

    private static List<ProbeRequest> matrix(List<LabPod> pods, List<ContainerPort> ports) {
        List<ProbeRequest> requests = new ArrayList<>();
        for (LabPod src : pods) {
            for (LabPod dst : pods) {
                for (ContainerPort port : ports) {
                    requests.add(ProbeRequest.to(src, dst, port.protocol(), port.port()));
                }
            }
        }
        return requests;
    }

    private List<String> nodeLinks() {
        List<String> names = new ArrayList<>();
        for (String line : ip(lab.nodeNamespace(), "-o", "link", "show").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String name = line.split(": ", 3)[1];
            int at = name.indexOf('@');
            names.add(at < 0 ? name : name.substring(0, at));
        }
        return names;
    }

    private static String ip(String netns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", netns));
        argv.addAll(List.of(args));
        return RUN.run(argv).orThrow().stdout();
    }

    /** The root namespace's iptables rules, without counters and timestamps. */
    private static String rootFirewall() {
        CommandResult save = RUN.run("iptables-save");
        return save.stdout()
                .lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "[0:0]"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void report(String format, Object... args) {
        System.out.println("[lab-timing] " + String.format(Locale.ROOT, format, args));
    }
}
