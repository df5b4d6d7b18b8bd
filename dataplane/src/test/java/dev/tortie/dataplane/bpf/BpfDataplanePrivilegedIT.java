package dev.tortie.dataplane.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.polprog.Hook;
import dev.tortie.dataplane.bpf.sys.BpfException;
import dev.tortie.dataplane.bpf.sys.BpfFs;
import dev.tortie.dataplane.bpf.sys.BpfLink;
import dev.tortie.dataplane.bpf.sys.BpfMap;
import dev.tortie.dataplane.bpf.sys.LinkInfo;
import dev.tortie.dataplane.bpf.sys.VerifierRejectedException;
import dev.tortie.dataplane.lab.LabNetwork;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.PodSpec;
import dev.tortie.dataplane.lab.ProbeOutcome;
import dev.tortie.dataplane.lab.ProbeRequest;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.dataplane.lab.RunPrefix;
import dev.tortie.dataplane.os.Privileged;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.ir.RuleId;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.load.SourceText;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eBPF dataplane in the lab: the tiered scenario's pods as network namespaces, programs attached to their
 * host-side veths in the lab's node namespace, real TCP and UDP probes. Kernel verdict == engine verdict for every pair
 * and port; replies pass and reverse new connections are policed; counters name the deciding rules; policy changes
 * replace programs atomically on the same links; a verifier rejection keeps the old programs; a restarted dataplane
 * adopts the pinned state; reconcile repairs; remove() leaves nothing. Pins live on a bpffs mounted for the test at a
 * tortie-owned temporary directory. Needs root; skips visibly otherwise (fails with {@code CI=true}).
 */
class BpfDataplanePrivilegedIT {
    private static final ContainerPort UDP_ECHO = new ContainerPort("echo", Protocol.UDP, 5353);

    private Path bpffs;
    private LabNetwork lab;
    private BpfDataplane dataplane;
    private ClusterIndex index;
    private final Map<String, LabPod> pods = new TreeMap<>();

    @BeforeEach
    void setUp() throws IOException {
        Privileged.requireNetns();
        BpfTesting.requireTcx();
        bpffs = Files.createTempDirectory("tortie-bpffs-");
        BpfFs.mount(bpffs);
        lab = LabNetwork.create(ProcessRunner.INSTANCE, RunPrefix.create());
        index = BpfScenarios.load("tiered");
        List<PodSpec> specs = new ArrayList<>();
        for (Endpoint e : index.endpoints()) {
            List<ContainerPort> ports = new ArrayList<>(e.ports());
            ports.add(UDP_ECHO); // not declared in the scenario: reached only where policy allows any port
            specs.add(new PodSpec(e.namespace(), e.name(), e.primaryIp(), ports));
        }
        for (LabPod p : lab.addPods(specs)) {
            pods.put(p.key(), p);
        }
        dataplane = newDataplane();
    }

    private BpfDataplane newDataplane() {
        DataplaneConfig config = DataplaneConfig.builder()
                .interfacePrefixes(lab.interfacePrefix())
                .build();
        return new BpfDataplane(config, BpfDataplane.Options.of(bpffs.resolve("tortie"), lab.nodeNamespace()));
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (dataplane != null) {
                dataplane.remove();
            }
        } finally {
            try {
                if (lab != null) {
                    lab.close();
                }
            } finally {
                if (bpffs != null) {
                    if (BpfFs.isMountPoint(bpffs)) {
                        BpfFs.unmount(bpffs);
                    }
                    Files.deleteIfExists(bpffs);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- matrix

    private record Probe(ProbeRequest request, FlowTrace expected) {}

    private List<Probe> matrix(ClusterIndex idx) {
        Tracer tracer = new Tracer(idx);
        List<Probe> probes = new ArrayList<>();
        for (LabPod src : pods.values()) {
            for (LabPod dst : pods.values()) {
                if (src == dst) {
                    continue;
                }
                for (ContainerPort port : dst.servedPorts()) {
                    FlowTrace t = tracer.trace(
                            FlowEnd.of(idx.endpoint(src.namespace(), src.name())),
                            FlowEnd.of(idx.endpoint(dst.namespace(), dst.name())),
                            port.protocol(),
                            port.port());
                    probes.add(new Probe(ProbeRequest.to(src, dst, port.protocol(), port.port()), t));
                }
            }
        }
        return probes;
    }

    /** Probes everything; asserts kernel == engine; returns the results in probe order. */
    private List<ProbeResult> assertMatrix(ClusterIndex idx, String when) {
        List<Probe> probes = matrix(idx);
        List<ProbeRequest> requests = probes.stream().map(Probe::request).toList();
        List<ProbeResult> results = new Prober(Duration.ofMillis(400), 64).probeAll(requests);
        int allowed = 0;
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            ProbeResult r = results.get(i);
            boolean engineAllows = p.expected().verdict() == Verdict.ALLOW;
            assertThat(r.outcome())
                    .as("%s: %s (engine: %s)", when, r, p.expected().verdict())
                    .isEqualTo(engineAllows ? ProbeOutcome.CONNECTED : ProbeOutcome.TIMED_OUT);
            allowed += engineAllows ? 1 : 0;
        }
        System.out.printf(
                "%s: %d probes, %d allowed, %d denied: kernel == engine%n",
                when, probes.size(), allowed, probes.size() - allowed);
        return results;
    }

    @Test
    void tieredScenarioIsEnforcedExactlyAsTheEngineTracesIt() {
        ApplyReport report = dataplane.apply(index.nodeProgram(null));
        System.out.println("apply: " + report.changes().size() + " changes in "
                + report.elapsed().toMillis() + " ms\n  " + String.join("\n  ", report.changes()));
        assertThat(report.changes()).filteredOn(c -> c.startsWith("attached")).hasSize(2 * pods.size());
        assertThat(dataplane.attachedPrograms()).hasSize(2 * pods.size());

        Map<String, RuleCounters> before = dataplane.readCounters();
        List<Probe> probes = matrix(index);
        assertMatrix(index, "tiered");

        // reverse new connections are policed: pairs allowed one way and denied the other
        int asymmetric = 0;
        for (Probe p : probes) {
            for (Probe q : probes) {
                if (p.request().source() == pods.get(q.expected().destination().name())
                        && q.request().source()
                                == pods.get(p.expected().destination().name())
                        && p.request().port() == q.request().port()
                        && p.expected().verdict() == Verdict.ALLOW
                        && q.expected().verdict() == Verdict.DENY) {
                    asymmetric++;
                }
            }
        }
        assertThat(asymmetric).as("pairs allowed one way, denied the other").isPositive();

        // counters: every deciding rule of the matrix counted packets (ingress only sees what egress let out)
        Map<String, RuleCounters> after = dataplane.readCounters();
        for (Probe p : probes) {
            boolean egressDenied = p.expected().egress().verdict() == Verdict.DENY;
            for (var side : new dev.tortie.engine.eval.DirectionTrace[] {
                p.expected().egress(), egressDenied ? null : p.expected().ingress()
            }) {
                if (side == null) {
                    continue;
                }
                String id = side.decision().ruleId();
                long delta = after.getOrDefault(id, RuleCounters.ZERO).packets()
                        - before.getOrDefault(id, RuleCounters.ZERO).packets();
                assertThat(delta).as("packets counted for deciding rule %s", id).isPositive();
            }
        }
        RuleCounters established = after.get("endpoint/monitoring/prom/ingress/established");
        assertThat(established)
                .as("replies to prom's connections came back through conntrack")
                .isNotNull();
        assertThat(established.packets()).isPositive();
        System.out.println("counters:");
        after.forEach((id, c) -> {
            if (c.packets() > 0) {
                System.out.printf("  %-55s %6d pkts %8d bytes%n", id, c.packets(), c.bytes());
            }
        });
        List<dev.tortie.dataplane.bpf.polprog.Conntrack.Entry> connections =
                dataplane.maps().readConntrack();
        assertThat(connections).isNotEmpty();
        assertThat(connections.stream().map(e -> e.protocol()).distinct()).contains(6, 17);
    }

    // ---------------------------------------------------------------------------------------------- change

    private static final String DENY_WEB_TO_DB =
            """
            apiVersion: projectcalico.org/v3
            kind: GlobalNetworkPolicy
            metadata:
              name: freeze-db
            spec:
              tier: security
              order: 5
              selector: app == "db"
              types: [Ingress]
              ingress:
              - action: Deny
                source:
                  namespaceSelector: team == "web"
            """;

    private ClusterIndex changed() {
        List<SourceText> texts = new ArrayList<>(BpfScenarios.texts("tiered"));
        texts.add(new SourceText("freeze-db.yaml", DENY_WEB_TO_DB));
        return BpfScenarios.loadTexts("tiered+freeze-db", texts);
    }

    private Map<String, LinkInfo> pinnedLinks() throws IOException {
        Map<String, LinkInfo> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dataplane.linkDir())) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                try (BpfLink link = BpfLink.openPinned(p)) {
                    out.put(p.getFileName().toString(), link.info());
                }
            }
        }
        return out;
    }

    @Test
    void aPolicyChangeReplacesProgramsAtomicallyOnTheSameLinks() throws Exception {
        dataplane.apply(index.nodeProgram(null));
        Map<String, LinkInfo> linksBefore = pinnedLinks();
        Map<BpfDataplane.AttachPoint, String> programsBefore = dataplane.attachedPrograms();
        ClusterIndex frozen = changed();

        // an allowed flow probed continuously while the policy flips back and forth
        LabPod prom = pods.get("monitoring/prom");
        LabPod web = pods.get("shop/web");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger probed = new AtomicInteger();
        List<ProbeResult> failures = new ArrayList<>();
        Thread hammer = new Thread(() -> {
            Prober prober = new Prober(Duration.ofMillis(500), 1);
            while (!stop.get()) {
                ProbeResult r = prober.probe(prom, web.ip(), Protocol.TCP, 80);
                probed.incrementAndGet();
                if (!r.connected()) {
                    synchronized (failures) {
                        failures.add(r);
                    }
                }
            }
        });
        hammer.start();
        long[] applyNanos = new long[10];
        try {
            for (int i = 0; i < applyNanos.length; i++) {
                long t0 = System.nanoTime();
                ApplyReport r = dataplane.apply((i % 2 == 0 ? frozen : index).nodeProgram(null));
                applyNanos[i] = System.nanoTime() - t0;
                assertThat(r.changes()).allMatch(c -> !c.startsWith("attached") && !c.startsWith("detached"));
            }
        } finally {
            stop.set(true);
            hammer.join();
        }
        assertThat(failures)
                .as("an allowed flow during %d replacements", applyNanos.length)
                .isEmpty();
        assertThat(probed.get()).isPositive();
        System.out.printf(
                "%d connections prom -> web:80 during 10 policy flips, none failed; apply %s ms%n",
                probed.get(),
                java.util.Arrays.stream(applyNanos)
                        .mapToObj(n -> String.format("%.1f", n / 1e6))
                        .toList());

        ApplyReport report = dataplane.apply(frozen.nodeProgram(null)); // the last flip applied the original
        assertThat(report.changes()).filteredOn(c -> c.startsWith("replaced")).hasSize(1);
        Map<String, LinkInfo> linksAfter = pinnedLinks();
        assertThat(linksAfter.keySet()).isEqualTo(linksBefore.keySet());
        int replaced = 0;
        for (String pin : linksBefore.keySet()) {
            assertThat(linksAfter.get(pin).id())
                    .as("link %s kept", pin)
                    .isEqualTo(linksBefore.get(pin).id());
            if (linksAfter.get(pin).programId() != linksBefore.get(pin).programId()) {
                replaced++;
            }
        }
        Map<BpfDataplane.AttachPoint, String> programsAfter = dataplane.attachedPrograms();
        String postgresIface = lab.hostInterface("db", "postgres");
        assertThat(programsAfter.get(new BpfDataplane.AttachPoint(postgresIface, Hook.TC_EGRESS)))
                .isNotEqualTo(programsBefore.get(new BpfDataplane.AttachPoint(postgresIface, Hook.TC_EGRESS)));
        assertThat(replaced)
                .as("only the db endpoint's ingress program changed")
                .isEqualTo(1);
        assertMatrix(frozen, "tiered + freeze-db");
    }

    // ---------------------------------------------------------------------------------------------- rejection

    @Test
    void aProgramTheVerifierRejectsLeavesTheOldOneInForce() throws IOException {
        NodeProgram good = index.nodeProgram(null);
        dataplane.apply(good);
        Map<BpfDataplane.AttachPoint, String> programs = dataplane.attachedPrograms();
        Map<String, LinkInfo> links = pinnedLinks();

        NodeProgram huge = withHugeIngressPolicy(good, "db/postgres", 12_000);
        assertThatThrownBy(() -> dataplane.apply(huge)).isInstanceOfSatisfying(DataplaneException.class, e -> {
            System.out.println("rejection as reported: " + e.getMessage());
            assertThat(e.getMessage())
                    .contains("ingress program of db/postgres")
                    .contains("too complex")
                    .contains("too many rules")
                    .endsWith("(previous state kept)");
            assertThat(e.getCause()).isInstanceOf(VerifierRejectedException.class);
            assertThat(((VerifierRejectedException) e.getCause()).verifierLog()).contains("processed");
        });
        assertThat(dataplane.attachedPrograms()).isEqualTo(programs);
        Map<String, LinkInfo> linksNow = pinnedLinks();
        for (String pin : links.keySet()) {
            assertThat(linksNow.get(pin).programId()).isEqualTo(links.get(pin).programId());
        }
        assertMatrix(index, "after a rejected apply");
        assertThat(dataplane.apply(good).changes()).isEmpty();
    }

    private static NodeProgram withHugeIngressPolicy(NodeProgram node, String endpoint, int rules) {
        List<LocalEndpoint> endpoints = new ArrayList<>();
        for (LocalEndpoint e : node.endpoints()) {
            if (!e.key().equals(endpoint)) {
                endpoints.add(e);
                continue;
            }
            PolicyId id = new PolicyId(PolicyKind.GLOBAL_NETWORK_POLICY, null, "huge");
            List<IrRule> list = new ArrayList<>();
            for (int i = 0; i < rules; i++) {
                list.add(new IrRule(
                        new RuleId(id, Direction.INGRESS, i),
                        Action.ALLOW,
                        List.of(
                                new Match.ProtocolIs(Protocol.TCP, false),
                                new Match.Cidrs(Side.SOURCE, List.of(Cidr.parse("10.66.0.0/16")), false),
                                new Match.Ports(Side.DESTINATION, List.of(PortSpec.single(1 + i)), List.of(), false)),
                        "allow tcp " + (1 + i),
                        null));
            }
            EndpointProgram in = e.ingress();
            List<IrTier> tiers = new ArrayList<>();
            tiers.add(new IrTier(
                    "huge", Direction.INGRESS, Action.PASS, List.of(new IrPolicy(id, Direction.INGRESS, 1.0, list))));
            tiers.addAll(in.tiers());
            endpoints.add(new LocalEndpoint(
                    e.namespace(),
                    e.name(),
                    e.ips(),
                    new EndpointProgram(in.endpoint(), in.direction(), tiers, in.profiles(), in.ipSets()),
                    e.egress()));
        }
        return new NodeProgram(node.node(), endpoints, node.ipSets());
    }

    // ---------------------------------------------------------------------------------------------- restart

    @Test
    void aRestartedDataplaneAdoptsThePinnedStateAndChangesNothing() {
        NodeProgram program = index.nodeProgram(null);
        dataplane.apply(program);
        assertMatrix(index, "first agent");
        long counted = dataplane.readCounters().values().stream()
                .mapToLong(RuleCounters::packets)
                .sum();

        BpfDataplane restarted = newDataplane(); // the old instance's fds stay open, as a crashed agent's pins would
        ApplyReport report = restarted.apply(program);
        assertThat(report.changes()).as("nothing to change after a restart").isEmpty();
        assertThat(restarted.attachedPrograms()).isEqualTo(dataplane.attachedPrograms());
        assertThat(restarted.readCounters().values().stream()
                        .mapToLong(RuleCounters::packets)
                        .sum())
                .as("counters survive")
                .isGreaterThanOrEqualTo(counted);
        dataplane = restarted;
        assertMatrix(index, "restarted agent");
    }

    // ---------------------------------------------------------------------------------------------- reconcile

    @Test
    void reconcileRepairsADetachedLinkAndTamperedSets() throws Exception {
        NodeProgram program = index.nodeProgram(null);
        dataplane.apply(program);
        assertThat(dataplane.reconcile().changes()).isEmpty();

        String iface = lab.hostInterface("db", "postgres");
        try (BpfLink link = BpfLink.openPinned(dataplane.linkDir().resolve(iface + "_egress"))) {
            link.detach(); // someone removed the ingress policy of db/postgres
        }
        Ipv4SetKey some = dataplane.maps().readIpSets().iterator().next();
        dataplane.maps().removeIpSetEntries(List.of(some));

        ApplyReport report = dataplane.reconcile();
        System.out.println("reconcile: " + String.join("; ", report.changes()));
        assertThat(report.changes())
                .anyMatch(c -> c.contains(iface) && c.contains("re-attaching"))
                .anyMatch(c -> c.startsWith("attached ingress program of db/postgres"))
                .anyMatch(c -> c.startsWith("ip-set trie drifted"));
        assertThat(dataplane.maps().readIpSets()).contains(some);
        assertThat(dataplane.reconcile().changes()).isEmpty();
        assertMatrix(index, "after reconcile");
    }

    @Test
    void podsWhoseInterfaceComesAndGoesAreAttachedByReconcile() {
        LabPod web = pods.get("shop/web");
        lab.removePod("shop", "web");
        ApplyReport first = dataplane.apply(index.nodeProgram(null));
        assertThat(first.warnings())
                .filteredOn(w -> w.contains(web.hostInterface()) && w.contains("not there yet"))
                .hasSize(2);
        assertThat(dataplane.attachedPrograms()).hasSize(2 * pods.size() - 2);

        LabPod again = lab.addPod("shop", "web", web.ip(), web.ports());
        pods.put(again.key(), again);
        ApplyReport second = dataplane.reconcile();
        assertThat(second.changes())
                .anyMatch(c -> c.startsWith("attached ingress program of shop/web"))
                .anyMatch(c -> c.startsWith("attached egress program of shop/web"));
        assertMatrix(index, "after the pod came");

        lab.removePod("db", "postgres");
        ApplyReport third = dataplane.reconcile();
        assertThat(third.changes())
                .anyMatch(c -> c.contains(lab.hostInterface("db", "postgres")) && c.contains("was gone"));
        assertThat(third.warnings()).anyMatch(w -> w.contains("not there yet"));
        pods.remove("db/postgres");
    }

    // ---------------------------------------------------------------------------------------------- remove

    @Test
    void removeLeavesNothingBehind() throws Exception {
        dataplane.apply(index.nodeProgram(null));
        List<Integer> mapIds = new ArrayList<>();
        for (BpfMap m : dataplane.maps().byName().values()) {
            mapIds.add(m.info().id());
        }
        List<Integer> programIds = new ArrayList<>();
        for (LinkInfo info : pinnedLinks().values()) {
            assertThat(info.ifindex()).isPositive();
            programIds.add(info.programId());
        }
        assertThat(programIds).hasSize(2 * pods.size());

        ApplyReport removed = dataplane.remove();
        assertThat(removed.warnings()).isEmpty();
        assertThat(removed.changes()).filteredOn(c -> c.startsWith("detached")).hasSize(2 * pods.size());
        assertThat(bpffs.resolve("tortie")).doesNotExist();
        for (int id : programIds) {
            assertThat(programGone(id))
                    .as("program id %d (and its link) freed", id)
                    .isTrue();
        }
        for (int id : mapIds) {
            assertThat(mapGone(id)).as("map id %d freed", id).isTrue();
        }
        assertThat(dataplane.remove().changes()).isEmpty();
        // with no policy, everything connects
        LabPod quarantined = pods.get("shop/quarantined");
        LabPod postgres = pods.get("db/postgres");
        assertThat(new Prober()
                        .probe(quarantined, postgres.ip(), Protocol.TCP, 22)
                        .connected())
                .isTrue();
        dataplane = null;
    }

    private static boolean programGone(int id) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                dev.tortie.dataplane.bpf.sys.BpfProgram.fromId(id).close();
                Thread.sleep(20);
            } catch (BpfException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean mapGone(int id) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                BpfMap.fromId(id).close();
                Thread.sleep(20);
            } catch (BpfException e) {
                return true;
            }
        }
        return false;
    }
}
