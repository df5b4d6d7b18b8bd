package dev.tortie.shell.lab;

import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.ProbeOutcome;
import dev.tortie.dataplane.lab.ProbeProgress;
import dev.tortie.dataplane.lab.ProbeRequest;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import dev.tortie.shell.agent.ApiKind;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lab benchmark ({@code scripts/bench-lab}): lab start with 30 and 200 pods; time from an API write to the kernel
 * enforcing it (median, p99) at 200 pods and 1k policies, measured with real connections; iptables rules and IP sets
 * on the node versus policy count; connection rate through the lab with no policy and with 1k policies, side by side.
 * Needs root. Prints a Markdown report.
 */
public final class LabBench {
    private static final int NAMESPACES = 10;
    private static final Duration SETTLE = Duration.ofMinutes(10);

    private LabBench() {}

    public static void main(String[] args) throws Exception {
        String missing = LabCapabilities.missing(ProcessRunner.INSTANCE);
        if (missing != null) {
            System.err.println("bench-lab needs root and network namespaces: " + missing);
            System.exit(2);
        }
        int latencySamples = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        StringBuilder report = new StringBuilder("# tortie lab benchmark\n\n");
        report.append(String.format(
                Locale.ROOT,
                "Machine: %d CPUs, Java %s. One-node lab, iptables dataplane, agent debounce 50 ms.%n%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));

        // Warm the JVM once so the first measured start is not a cold class-loading figure.
        try (LabSource warm = LabSource.start(Lab.Options.defaults(), line -> {})) {
            createPods(warm, 2);
        }

        report.append(
                        "## Lab start\n\n| pods | lab up (API server, node, agent) | pods running and programmed | total |\n")
                .append("|---:|---:|---:|---:|\n");
        for (int pods : new int[] {30, 200}) {
            long t0 = System.nanoTime();
            LabSource lab = LabSource.start(Lab.Options.defaults(), line -> {});
            long up = millisSince(t0);
            long t1 = System.nanoTime();
            createPods(lab, pods);
            long running = millisSince(t1);
            report.append(
                    String.format(Locale.ROOT, "| %d | %d ms | %d ms | %d ms |%n", pods, up, running, millisSince(t0)));
            System.err.printf("lab with %d pods: up %d ms, pods %d ms%n", pods, up, running);
            if (pods == 200) {
                try (lab) {
                    atScale(lab, report, latencySamples);
                }
            } else {
                lab.close();
            }
        }
        System.out.print(report);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** {@code pods} pods spread over bench-0..9, labels app=a(i%5), role=r(i%4), serving TCP 80, then settles. */
    private static void createPods(LabSource lab, int pods) {
        KubernetesClient c = lab.lab().client();
        for (int n = 0; n < NAMESPACES; n++) {
            c.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("bench-" + n)
                            .endMetadata()
                            .build())
                    .create();
        }
        for (int i = 0; i < pods; i++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName("p" + i)
                    .withNamespace("bench-" + (i % NAMESPACES))
                    .withLabels(Map.of("app", "a" + (i / NAMESPACES % 5), "role", "r" + (i / NAMESPACES % 4)))
                    .endMetadata()
                    .withNewSpec()
                    .withContainers(new ContainerBuilder()
                            .withName("web")
                            .withImage("nginx")
                            .addNewPort()
                            .withName("http")
                            .withContainerPort(80)
                            .endPort()
                            .build())
                    .endSpec()
                    .build();
            c.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
        }
        lab.awaitSettled(SETTLE, line -> System.err.println("  " + line));
    }

    /** Policy k: in bench-(k%10), selects app=a(k/10%5); allows TCP 80 from role=r(k/50%4) in bench-(k/10%10). */
    private static Map<String, Object> policy(int k) {
        Map<String, Object> peer = Map.of(
                "namespaceSelector",
                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "bench-" + (k / 10 % NAMESPACES))),
                "podSelector",
                Map.of("matchLabels", Map.of("role", "r" + (k / 50 % 4))));
        return Map.of(
                "apiVersion",
                "networking.k8s.io/v1",
                "kind",
                "NetworkPolicy",
                "metadata",
                Map.of("name", "bench-" + k, "namespace", "bench-" + (k % NAMESPACES)),
                "spec",
                Map.of(
                        "podSelector", Map.of("matchLabels", Map.of("app", "a" + (k / 10 % 5))),
                        "policyTypes", List.of("Ingress"),
                        "ingress",
                                List.of(Map.of(
                                        "from",
                                        List.of(peer),
                                        "ports",
                                        List.of(Map.of("protocol", "TCP", "port", 80))))));
    }

    private static void atScale(LabSource lab, StringBuilder report, int latencySamples) throws Exception {
        Lab l = lab.lab();
        LabHarnessLite api = new LabHarnessLite(l.client());

        // Connection rate with no policy, on the same pairs as later with 1k policies.
        List<LabPod[]> pairs = allowedPairs(lab, 64);
        double rateEmpty = connectionRate(pairs, 10_000);

        report.append("\n## Rules and IP sets on the node versus policies (200 pods)\n\n")
                .append(
                        "| policies | iptables rules | chains | IP sets | IP set members | batch created and enforced in |\n")
                .append("|---:|---:|---:|---:|---:|---:|\n");
        report.append(counts(l, 0, 0));
        int created = 0;
        for (int target : new int[] {100, 250, 500, 1000}) {
            long t0 = System.nanoTime();
            for (int k = created; k < target; k++) {
                api.apply(policy(k));
            }
            created = target;
            lab.awaitSettled(SETTLE, line -> System.err.println("  " + line));
            report.append(counts(l, target, millisSince(t0)));
            System.err.printf("%d policies settled%n", target);
        }

        // Connection rate with 1k policies, same pairs (all still allowed by construction).
        List<LabPod[]> pairsNow = allowedPairs(lab, 64);
        double rateFull = connectionRate(pairs, 10_000);
        report.append("\n## Connection rate through the lab (64 allowed pod pairs, 64 connections in flight,"
                        + " median of 3 rounds of 10k after a warm-up round)\n\n")
                .append("| policies | connections/s | still allowed pairs |\n|---:|---:|---:|\n")
                .append(String.format(Locale.ROOT, "| 0 | %.0f | %d |%n", rateEmpty, pairs.size()))
                .append(String.format(Locale.ROOT, "| 1000 | %.0f | %d |%n", rateFull, pairsNow.size()));

        // Apply -> enforced: flip one flow with a policy write, measure until a real connection shows the change.
        report.append(latency(lab, api, latencySamples));
    }

    /** A one-shot view of the node: rules, chains, sets, members. */
    private static String counts(Lab l, int policies, long applyMs) {
        IptablesDataplane dp = (IptablesDataplane) l.agent().dataplane();
        String save = l.network().nodeRunner().run(dp.backend().saveBinary()).stdout();
        long rules = save.lines().filter(s -> s.startsWith("-A ")).count();
        long chains = save.lines().filter(s -> s.startsWith(":tortie")).count();
        String sets = l.network().nodeRunner().run("ipset", "list").stdout();
        long setCount = sets.lines().filter(s -> s.startsWith("Name: ")).count();
        long members = 0;
        boolean inMembers = false;
        for (String line : sets.lines().toList()) {
            if (line.startsWith("Members:")) {
                inMembers = true;
            } else if (line.startsWith("Name: ")) {
                inMembers = false;
            } else if (inMembers && !line.isBlank()) {
                members++;
            }
        }
        return String.format(
                Locale.ROOT,
                "| %d | %d | %d | %d | %d | %s |%n",
                policies,
                rules,
                chains,
                setCount,
                members,
                policies == 0 ? "-" : applyMs + " ms");
    }

    /** Up to {@code max} cross-namespace pod pairs the engine allows on TCP 80 (under any of the bench policies). */
    private static List<LabPod[]> allowedPairs(LabSource lab, int max) {
        List<String[]> keys = lab.read(index -> {
            Tracer tracer = new Tracer(index);
            List<String[]> out = new ArrayList<>();
            List<Endpoint> all = new ArrayList<>(index.endpoints());
            for (Endpoint from : all) {
                for (Endpoint to : all) {
                    if (out.size() >= max) {
                        return out;
                    }
                    if (from.namespace().equals(to.namespace()) || to.primaryIp() == null) {
                        continue;
                    }
                    // Pairs that 1k policies still allow: a source whose role the destination's policies name.
                    if (tracer.trace(FlowEnd.of(from), FlowEnd.of(to), Protocol.TCP, 80)
                                            .verdict()
                                    == Verdict.ALLOW
                            && isAllowedUnderAll(from, to)) {
                        out.add(new String[] {from.key(), to.key()});
                    }
                }
            }
            return out;
        });
        List<LabPod[]> pairs = new ArrayList<>();
        for (String[] k : keys) {
            LabPod a = pod(lab.lab(), k[0]);
            LabPod b = pod(lab.lab(), k[1]);
            pairs.add(new LabPod[] {a, b});
        }
        return pairs;
    }

    /** True when some bench policy (of the 1000) selecting {@code to} admits {@code from}. */
    private static boolean isAllowedUnderAll(Endpoint from, Endpoint to) {
        int toNs = Integer.parseInt(to.namespace().substring("bench-".length()));
        int fromNs = Integer.parseInt(from.namespace().substring("bench-".length()));
        for (int k = 0; k < 1000; k++) {
            if (k % NAMESPACES == toNs
                    && ("a" + (k / 10 % 5)).equals(to.labels().get("app"))
                    && k / 10 % NAMESPACES == fromNs
                    && ("r" + (k / 50 % 4)).equals(from.labels().get("role"))) {
                return true;
            }
        }
        return false;
    }

    private static LabPod pod(Lab lab, String key) {
        String[] p = key.split("/");
        return lab.pod(p[0], p[1]).orElseThrow();
    }

    /** Connections per second over {@code pairs}, {@code total} connections, 64 in flight. */
    private static double connectionRate(List<LabPod[]> pairs, int total) {
        if (pairs.isEmpty()) {
            return 0;
        }
        List<ProbeRequest> requests = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            LabPod[] p = pairs.get(i % pairs.size());
            requests.add(ProbeRequest.to(p[0], p[1], Protocol.TCP, 80));
        }
        Prober prober = new Prober(Duration.ofSeconds(2), 64);
        prober.probeAll(requests); // warm-up (JIT), not measured
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            List<ProbeResult> results = prober.probeAll(requests, 64, Duration.ofSeconds(2), ProbeProgress.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long ok = results.stream().filter(ProbeResult::connected).count();
            if (ok != total) {
                System.err.printf("connection rate: %d of %d connected%n", ok, total);
            }
            rates.add(ok / seconds);
        }
        Collections.sort(rates);
        return rates.get(1); // median of three rounds
    }

    /**
     * Time from an API write to the kernel enforcing it, seen by real connections: a flow the 1k policies deny
     * (bench-1/p1 to bench-0/p190) is allowed by creating one more policy (measured until a connection succeeds) and
     * denied again by deleting it (measured until a connection times out), {@code samples} times each; the flow is
     * probed every 2 ms with a 20 ms timeout.
     */
    private static String latency(LabSource lab, LabHarnessLite api, int samples) throws Exception {
        Lab l = lab.lab();
        LabPod from = pod(l, "bench-1/p1");
        LabPod to = pod(l, "bench-0/p190");
        l.client().pods().inNamespace(from.namespace()).withName(from.name()).edit(p -> {
            p.getMetadata().getLabels().put("bench-source", "yes");
            return p;
        });
        l.client().pods().inNamespace(to.namespace()).withName(to.name()).edit(p -> {
            p.getMetadata().getLabels().put("bench-target", "yes");
            return p;
        });
        Map<String, Object> allow = Map.of(
                "apiVersion",
                "networking.k8s.io/v1",
                "kind",
                "NetworkPolicy",
                "metadata",
                Map.of("name", "bench-flip", "namespace", to.namespace()),
                "spec",
                Map.of(
                        "podSelector", Map.of("matchLabels", Map.of("bench-target", "yes")),
                        "policyTypes", List.of("Ingress"),
                        "ingress",
                                List.of(Map.of(
                                        "from",
                                        List.of(Map.of(
                                                "namespaceSelector",
                                                Map.of(
                                                        "matchLabels",
                                                        Map.of("kubernetes.io/metadata.name", from.namespace())),
                                                "podSelector",
                                                Map.of("matchLabels", Map.of("bench-source", "yes"))))))));
        lab.awaitSettled(SETTLE, line -> {});
        Prober prober = new Prober(Duration.ofMillis(20), 1);
        if (connects(prober, from, to)) {
            return "\n(latency: the chosen flow is already allowed before the change; skipped)\n";
        }
        List<Long> toAllow = new ArrayList<>();
        List<Long> toDeny = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            api.apply(allow);
            while (!connects(prober, from, to)) {
                Thread.sleep(2);
            }
            toAllow.add((System.nanoTime() - t0) / 1_000_000);
            lab.awaitSettled(SETTLE, line -> {});
            long t1 = System.nanoTime();
            api.delete(to.namespace(), "bench-flip");
            while (connects(prober, from, to)) {
                Thread.sleep(2);
            }
            toDeny.add((System.nanoTime() - t1) / 1_000_000);
            lab.awaitSettled(SETTLE, line -> {});
        }
        NodeAgentFigures agent = new NodeAgentFigures(l);
        return "\n## API write to enforced in the kernel (200 pods, 1000 policies, " + samples
                + " samples each, seen by real connections)\n\n"
                + "| change | median | p99 | max |\n|---|---:|---:|---:|\n"
                + row("policy created (flow becomes allowed)", toAllow)
                + row("policy deleted (flow denied again)", toDeny)
                + "\nLast agent apply: " + agent.lastApplyMs + " ms (compile + iptables-restore), "
                + agent.applies + " applies in all.\n";
    }

    /** The agent's own timing, for context. */
    private static final class NodeAgentFigures {
        final long lastApplyMs;
        final long applies;

        NodeAgentFigures(Lab l) {
            this.lastApplyMs = l.agent().lastApplyDuration().toMillis();
            this.applies = l.agent().applyCount();
        }
    }

    private static boolean connects(Prober prober, LabPod from, LabPod to) {
        ProbeResult r = prober.probe(from, to.ip(), Protocol.TCP, 80);
        return r.outcome() == ProbeOutcome.CONNECTED;
    }

    private static String row(String what, List<Long> samples) {
        List<Long> s = new ArrayList<>(samples);
        Collections.sort(s);
        long median = s.get(s.size() / 2);
        long p99 = s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1));
        return String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms |%n", what, median, p99, s.get(s.size() - 1));
    }

    /** Create-or-replace and delete of policies through the generic API. */
    private static final class LabHarnessLite {
        private final KubernetesClient client;

        LabHarnessLite(KubernetesClient client) {
            this.client = client;
        }

        void apply(Map<String, Object> tree) {
            var op = client.genericKubernetesResources(ApiKind.NETWORK_POLICIES.context());
            var obj = client.getKubernetesSerialization()
                    .convertValue(
                            new LinkedHashMap<>(tree), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
            var scoped = op.inNamespace(obj.getMetadata().getNamespace());
            var existing = scoped.withName(obj.getMetadata().getName()).get();
            if (existing == null) {
                scoped.resource(obj).create();
            } else {
                obj.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                scoped.resource(obj).update();
            }
        }

        void delete(String namespace, String name) {
            client.genericKubernetesResources(ApiKind.NETWORK_POLICIES.context())
                    .inNamespace(namespace)
                    .withName(name)
                    .delete();
        }
    }
}
