package dev.tortie.dataplane.flowlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.bpf.SharedMaps;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.ProbeOutcome;
import dev.tortie.dataplane.lab.ProbeProgress;
import dev.tortie.dataplane.lab.ProbeRequest;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.dataplane.os.Netns;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flow logs from the real kernel, for both dataplanes, against the engine's tracer: the tiered example in a lab node,
 * every pod pair probed (TCP and UDP on every served port, a closed port of each, TCP 22 and 6379 for the database's
 * explicit and end-of-tier denials), then every probe must be in the flow log with exactly the rules the tracer names:
 * a denied probe under the denying side's decision (and, when the egress side allowed it first, that allow), an allowed
 * probe under both sides' allowing rules.
 *
 * <p>The load test sends UDP datagrams that the source's egress policy denies, at rising rates, each a new flow
 * decision, and checks that every one is either in the flow log or counted as dropped (by reason and policy), that
 * allowed traffic keeps flowing meanwhile, and reports the highest rate without loss and the memory the records take.
 */
class FlowLogPrivilegedIT {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final int CLOSED_TCP_PORT = 9;
    private static final int CLOSED_UDP_PORT = 7;

    private record Probe(LabPod src, LabPod dst, Protocol protocol, int port, FlowTrace expected) {
        String label() {
            return src.key() + " -> " + dst.key() + " " + protocol.displayName() + "/" + port;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables", "bpf"})
    void everyProbeIsLoggedWithTheRuleTheTracerNames(String backend) throws Exception {
        FlowLab.requireCapabilities(backend);
        ClusterIndex index = FlowLab.scenario("tiered");
        Tracer tracer = new Tracer(index);
        try (FlowLab node = FlowLab.start(backend, index, DataplaneConfig.builder(), SharedMaps.Sizes.defaults())) {
            List<Probe> probes = new ArrayList<>();
            for (Endpoint src : index.endpoints()) {
                for (Endpoint dst : index.endpoints()) {
                    if (src == dst) {
                        continue;
                    }
                    LabPod from = node.pod(src.key());
                    LabPod to = node.pod(dst.key());
                    for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP)) {
                        Set<Integer> ports = new TreeSet<>();
                        if (protocol.equals(Protocol.TCP)) {
                            ports.addAll(List.of(CLOSED_TCP_PORT, 22, 6379));
                        } else {
                            ports.add(CLOSED_UDP_PORT);
                        }
                        for (ContainerPort p : to.servedPorts()) {
                            if (p.protocol().equals(protocol)) {
                                ports.add(p.port());
                            }
                        }
                        for (int port : ports) {
                            probes.add(new Probe(
                                    from,
                                    to,
                                    protocol,
                                    port,
                                    tracer.trace(FlowEnd.of(src), FlowEnd.of(dst), protocol, port)));
                        }
                    }
                }
            }
            List<ProbeRequest> requests = probes.stream()
                    .map(p -> ProbeRequest.to(p.src(), p.dst(), p.protocol(), p.port()))
                    .toList();
            long start = System.nanoTime();
            List<ProbeResult> results = new Prober().probeAll(requests, 64, TIMEOUT, ProbeProgress.NONE);
            for (int i = 0; i < results.size(); i++) {
                boolean allowed = results.get(i).outcome() == ProbeOutcome.CONNECTED
                        || results.get(i).outcome() == ProbeOutcome.REFUSED;
                assertThat(allowed)
                        .as(
                                "%s: %s vs tracer %s",
                                backend,
                                results.get(i),
                                probes.get(i).expected().verdict())
                        .isEqualTo(probes.get(i).expected().verdict() == Verdict.ALLOW);
            }

            // Every probe's expected records: (verdict, direction, rule) per tuple.
            Map<String, Set<String>> expected = new HashMap<>();
            int denied = 0;
            for (Probe p : probes) {
                Set<String> want = new TreeSet<>();
                FlowTrace t = p.expected();
                want.add(entry(t.egress()));
                if (t.egress().verdict() == Verdict.ALLOW) {
                    want.add(entry(t.ingress())); // a packet the egress side dropped never meets the ingress side
                }
                if (t.verdict() == Verdict.DENY) {
                    denied++;
                    assertThat(want).contains(entry(t.denyingSide()));
                }
                expected.put(
                        key(
                                p.src().ip().v4Bits(),
                                p.dst().ip().v4Bits(),
                                p.port(),
                                p.protocol().number()),
                        want);
            }
            Map<String, Set<String>> actual = Map.of();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                actual = logged(node.log.query(FlowQuery.all()));
                if (actual.entrySet().containsAll(expected.entrySet())) {
                    break;
                }
                Thread.sleep(50);
            }
            List<String> mismatches = new ArrayList<>();
            for (Probe p : probes) {
                String k = key(
                        p.src().ip().v4Bits(),
                        p.dst().ip().v4Bits(),
                        p.port(),
                        p.protocol().number());
                Set<String> got = actual.getOrDefault(k, Set.of());
                if (!got.equals(expected.get(k))) {
                    mismatches.add(p.label() + ": flow log " + got + ", tracer " + expected.get(k));
                }
            }
            FlowLogStats stats = node.log.stats();
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d probes (%d denied) in %d ms, %d flow records, %d events, dropped %s, problems %s%n",
                    backend,
                    probes.size(),
                    denied,
                    (System.nanoTime() - start) / 1_000_000,
                    stats.records(),
                    stats.eventsSeen(),
                    stats.droppedByReason(),
                    stats.problems());
            assertThat(mismatches).as(backend + ": flow log vs tracer").isEmpty();
            assertThat(denied).isPositive();
            assertThat(stats.dropped()).isZero();
            assertThat(stats.problems()).isEmpty();

            // The query filters select what the shell's flows command asks for.
            LabPod quarantined = node.pod("shop/quarantined");
            List<FlowRecord> fromQuarantined = node.log.query(FlowQuery.builder()
                    .denied()
                    .from(Cidr.host(quarantined.ip()))
                    .policy("gnp/block-quarantined")
                    .build());
            assertThat(fromQuarantined).isNotEmpty().allSatisfy(r -> {
                assertThat(r.src()).isEqualTo(quarantined.ip());
                assertThat(r.verdict()).isEqualTo(FlowVerdict.DENY);
                assertThat(r.ruleId()).isEqualTo("gnp/block-quarantined/egress/0");
            });
            assertThat(node.log.query(
                            FlowQuery.builder().allowed().ruleIdPrefix("tier/").build()))
                    .as("end-of-tier rules only deny")
                    .isEmpty();
        }
    }

    private static String entry(DirectionTrace d) {
        return d.verdict().lowerName() + " " + d.direction().lowerName() + " "
                + d.decision().ruleId();
    }

    private static String key(int src, int dst, int port, int protocol) {
        return Integer.toHexString(src) + ">" + Integer.toHexString(dst) + ":" + protocol + "/" + port;
    }

    private static Map<String, Set<String>> logged(List<FlowRecord> records) {
        Map<String, Set<String>> out = new HashMap<>();
        for (FlowRecord r : records) {
            out.computeIfAbsent(
                            key(r.src().v4Bits(), r.dst().v4Bits(), r.dstPort(), r.protocol()), k -> new TreeSet<>())
                    .add(r.verdict().lowerName() + " " + r.direction().lowerName() + " " + r.ruleId());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ load

    /**
     * One load step: datagrams sent, packets the flow log has for them, drops counted meanwhile for their policy
     * (and by the NFLOG reader, which cannot know the policy of a message it never got), and every drop by reason.
     */
    private record Step(
            String label,
            int target,
            long sent,
            double seconds,
            long logged,
            long droppedForRule,
            Map<String, Long> dropped) {
        double rate() {
            return sent / seconds;
        }

        boolean lossless() {
            return logged == sent;
        }
    }

    /** Datagrams per second of the rate steps; 0 = as fast as one sender thread can. */
    private static final int[] RATES = {2_000, 20_000, 100_000, 200_000, 0};

    private static final Duration STEP = Duration.ofMillis(500);

    /** The overload step: this many unthrottled senders (on 2 CPUs they starve the reader), for a second. */
    private static final int OVERLOAD_SENDERS = 2;

    /** Events of the allowed probe sent during the unthrottled step (egress and ingress, SYN and a retransmit). */
    private static final int PROBE_EVENTS = 4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables", "bpf"})
    void sustainedLoadLosesNothingOrCountsIt(String backend) throws Exception {
        FlowLab.requireCapabilities(backend);
        ClusterIndex index = FlowLab.scenario("tiered");
        Tracer tracer = new Tracer(index);
        int maxRecords = 2_000;
        DataplaneConfig.Builder config = DataplaneConfig.builder()
                .flowLogs(FlowLogConfig.defaults()
                        .withAggregation(Duration.ofSeconds(5), Duration.ofMinutes(15), maxRecords));
        try (FlowLab node = FlowLab.start(backend, index, config, SharedMaps.Sizes.defaults())) {
            LabPod src = node.pod("shop/quarantined");
            LabPod dst = node.pod("db/postgres");
            String rule = tracer.trace(
                            FlowEnd.of(node.endpoint(src.key())),
                            FlowEnd.of(node.endpoint(dst.key())),
                            Protocol.UDP,
                            40_000)
                    .denyingSide()
                    .decision()
                    .ruleId();
            Load load = new Load(node, src, dst, rule);
            try {
                List<Step> steps = new ArrayList<>();
                for (int i = 0; i < RATES.length; i++) {
                    steps.add(load.step(40_000 + i, RATES[i], 1, STEP));
                }
                CompletableFuture<ProbeResult> allowedMeanwhile = CompletableFuture.supplyAsync(() -> {
                    sleep(500);
                    return new Prober()
                            .probe(node.pod("shop/web"), dst.ip(), Protocol.TCP, 5432, Duration.ofSeconds(2));
                });
                steps.add(load.step(40_000 + RATES.length, 0, OVERLOAD_SENDERS, Duration.ofSeconds(1)));
                ProbeResult allowed = allowedMeanwhile.get();
                System.out.printf(Locale.ROOT, "%s: allowed probe during the overload: %s%n", backend, allowed);
                assertThat(allowed.outcome())
                        .as("allowed traffic flows while flow logging is overloaded")
                        .isEqualTo(ProbeOutcome.CONNECTED);
                // Many distinct flows: the aggregator's record limit gives way, by counting.
                Step distinct = load.distinctFlows(50_000, 5_000);
                steps.add(distinct);

                FlowLogStats stats = node.log.stats();
                System.out.printf(Locale.ROOT, "%s load (rule %s):%n", backend, rule);
                int lossless = 0;
                boolean lost = false;
                for (Step s : steps) {
                    System.out.println("  " + describe(s));
                    if (s.target() >= 0 && !lost) {
                        if (s.lossless()) {
                            lossless = Math.max(lossless, (int) s.rate());
                        } else {
                            lost = true;
                        }
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "  %s: lossless up to %d new flows/s%s; %d records (limit %d, high water %d), about %d KiB"
                                + " (%d B/record estimated); %d events, dropped by policy %s%n",
                        backend,
                        lossless,
                        lost ? "" : " (the fastest this sender went)",
                        stats.records(),
                        stats.maxRecords(),
                        stats.highWater(),
                        stats.estimatedBytes() / 1024,
                        FlowAggregator.BYTES_PER_RECORD,
                        stats.eventsSeen(),
                        stats.droppedByPolicy());
                for (Step s : steps.subList(0, RATES.length + 1)) {
                    // the step's marker datagram, if the kernel dropped it too; the probe's events in the overload
                    long slack = 1 + (s.label().startsWith("overload") ? PROBE_EVENTS : 0);
                    assertThat(s.logged() + s.droppedForRule())
                            .as("%s %s: every datagram is logged or counted as dropped", backend, s.label())
                            .isBetween(s.sent(), s.sent() + slack);
                }
                // Over the whole run (the distinct flows evict the steps' records): logged + dropped == sent.
                long everything = load.logged(0, 65_536)
                        + stats.droppedByPolicy().getOrDefault(FlowRecord.policyOf(rule), 0L)
                        + stats.dropped(NflogReader.LOST);
                assertThat(everything)
                        .as(backend + ": all datagrams logged or counted")
                        .isBetween(load.sent, load.sent + PROBE_EVENTS);
                assertThat(steps.get(0).lossless())
                        .as("the lowest rate loses nothing")
                        .isTrue();
                assertThat(distinct.dropped()).containsKey(FlowAggregator.FULL);
                assertThat(stats.records()).isLessThanOrEqualTo(maxRecords);
                assertThat(stats.problems()).isEmpty();
            } finally {
                load.close();
            }
        }
    }

    /**
     * With the smallest kernel buffers (a 64 KiB NFLOG socket buffer holding unbatched messages, a one-page ring), an
     * unthrottled sender outruns
     * the reader: the kernel drops flow events, and every one of them is counted (NFLOG sequence gaps; the programs'
     * per-rule lost counters), while the datapath goes on at full speed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables", "bpf"})
    void kernelBuffersOverflowIntoCountedDrops(String backend) throws Exception {
        FlowLab.requireCapabilities(backend);
        ClusterIndex index = FlowLab.scenario("tiered");
        DataplaneConfig.Builder config = DataplaneConfig.builder()
                .flowLogs(FlowLogConfig.defaults()
                        .withReceiveBufferBytes(65_536)
                        .withKernelBatching(1, Duration.ofMillis(10)));
        SharedMaps.Sizes sizes = SharedMaps.Sizes.defaults().withFlowRingBytes(4096);
        try (FlowLab node = FlowLab.start(backend, index, config, sizes)) {
            LabPod src = node.pod("shop/quarantined");
            LabPod dst = node.pod("db/postgres");
            Load load = new Load(node, src, dst, "gnp/block-quarantined/egress/0");
            try {
                Step slow = load.step(41_000, 2_000, 1, STEP);
                Step fast = load.step(41_001, 0, 1, STEP);
                String reason = backend.equals("bpf") ? RingBufferReader.LOST : NflogReader.LOST;
                System.out.printf(
                        Locale.ROOT,
                        "%s with the smallest buffers: %s%n  %s%n",
                        backend,
                        describe(slow),
                        describe(fast));
                for (Step s : List.of(slow, fast)) {
                    assertThat(s.logged() + s.droppedForRule())
                            .as("%s %s: every datagram is logged or counted as dropped", backend, s.label())
                            .isBetween(s.sent(), s.sent() + 1); // + the step's marker, if dropped too
                }
                assertThat(fast.dropped())
                        .as("the kernel dropped events, and they were counted")
                        .containsKey(reason);
                assertThat(fast.rate()).as("the datapath did not slow down").isGreaterThan(20_000);
            } finally {
                load.close();
            }
        }
    }

    private static String describe(Step s) {
        return String.format(
                Locale.ROOT,
                "%-26s sent %7d in %.2f s = %7.0f/s, logged %7d, dropped %s",
                s.label(),
                s.sent(),
                s.seconds(),
                s.rate(),
                s.logged(),
                s.dropped());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Denied UDP from one pod to another, from a socket opened in the source pod's namespace. */
    private static final class Load implements AutoCloseable {
        final FlowLab node;
        final LabPod src;
        final LabPod dst;
        final String rule;
        final InetAddress to;
        final DatagramChannel channel;
        final ByteBuffer payload = ByteBuffer.wrap(new byte[] {'x'});
        long sent;

        Load(FlowLab node, LabPod src, LabPod dst, String rule) throws Exception {
            this.node = node;
            this.src = src;
            this.dst = dst;
            this.rule = rule;
            this.to = InetAddress.getByAddress(dst.ip().toBytes());
            this.channel = Netns.call(src.netns(), () -> DatagramChannel.open(StandardProtocolFamily.INET));
        }

        void send(int port) throws java.io.IOException {
            payload.rewind();
            channel.send(payload, new InetSocketAddress(to, port));
            sent++;
        }

        /**
         * Sends to {@code port} at {@code rate} per second (0: as fast as possible) from {@code senders} threads for
         * {@code length}.
         */
        Step step(int port, int rate, int senders, Duration length) throws Exception {
            FlowLogStats before = node.log.stats();
            long start = System.nanoTime();
            long end = start + length.toNanos();
            List<CompletableFuture<Long>> threads = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                threads.add(CompletableFuture.supplyAsync(() -> {
                    ByteBuffer data = ByteBuffer.wrap(new byte[] {'x'});
                    InetSocketAddress target = new InetSocketAddress(to, port);
                    long count = 0;
                    long now;
                    try {
                        while ((now = System.nanoTime()) < end) {
                            if (rate > 0 && count >= (now - start) * rate / 1_000_000_000L) {
                                Thread.onSpinWait();
                                continue;
                            }
                            data.rewind();
                            channel.send(data, target);
                            count++;
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return count;
                }));
            }
            long count = 0;
            for (CompletableFuture<Long> t : threads) {
                count += t.get();
            }
            sent += count;
            double seconds = (System.nanoTime() - start) / 1e9;
            settle();
            String label = senders > 1 ? "overload, " + senders + " senders" : rate == 0 ? "unthrottled" : rate + "/s";
            return result(label + " (port " + port + ")", rate, count, seconds, logged(port, port + 1), before);
        }

        /** Sends {@code count} datagrams to distinct ports from {@code firstPort}, as fast as possible. */
        Step distinctFlows(int firstPort, int count) throws Exception {
            FlowLogStats before = node.log.stats();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                send(firstPort + i);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            settle();
            return result(count + " distinct flows", -1, count, seconds, logged(firstPort, firstPort + count), before);
        }

        private Step result(String label, int rate, long count, double seconds, long logged, FlowLogStats before) {
            FlowLogStats after = node.log.stats();
            String policy = FlowRecord.policyOf(rule);
            long droppedForRule = after.droppedByPolicy().getOrDefault(policy, 0L)
                    - before.droppedByPolicy().getOrDefault(policy, 0L)
                    + after.dropped(NflogReader.LOST)
                    - before.dropped(NflogReader.LOST);
            return new Step(
                    label,
                    rate,
                    count,
                    seconds,
                    logged,
                    droppedForRule,
                    delta(before.droppedByReason(), after.droppedByReason()));
        }

        /**
         * Lets the kernel flush and the reader catch up: one marker datagram (so a sequence gap at the end of the step
         * shows), then waits until the counts stay still for 600 ms (the ring reader reads its lost counters every
         * 250 ms).
         */
        void settle() throws Exception {
            Thread.sleep(150);
            send(39_999);
            long seen = -1;
            int still = 0;
            for (int i = 0; i < 50 && still < 6; i++) {
                Thread.sleep(100);
                FlowLogStats s = node.log.stats();
                long now = s.eventsSeen() + s.dropped();
                still = now == seen ? still + 1 : 0;
                seen = now;
            }
        }

        /** Packets logged from src to dst over UDP for destination ports in [from, to), all with the expected rule. */
        long logged(int from, int to) {
            long packets = 0;
            for (FlowRecord r : node.log.query(FlowQuery.builder()
                    .from(Cidr.host(src.ip()))
                    .to(Cidr.host(dst.ip()))
                    .protocol(17)
                    .build())) {
                if (r.dstPort() >= from && r.dstPort() < to) {
                    assertThat(r.verdict()).isEqualTo(FlowVerdict.DENY);
                    assertThat(r.direction()).isEqualTo(Direction.EGRESS);
                    assertThat(r.ruleId()).isEqualTo(rule);
                    packets += r.packets();
                }
            }
            return packets;
        }

        @Override
        public void close() throws java.io.IOException {
            channel.close();
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
