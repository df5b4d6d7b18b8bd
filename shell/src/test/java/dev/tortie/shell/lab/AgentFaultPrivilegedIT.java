package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.engine.model.Protocol;
import dev.tortie.shell.agent.ApiKind;
import dev.tortie.shell.agent.NodeAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent under faults, in the real kernel: restart (flows keep flowing, state adopted, no duplicate rules),
 * tampering (repaired within the refresh interval), a malformed policy (rejected without touching the kernel), and
 * the API server gone (the last state stays enforced and drift is still repaired).
 *
 * <p>The scenario is the article's with its fix applied: app-a may reach app-b on TCP 80, nothing else may reach app-b.
 */
class AgentFaultPrivilegedIT {
    private static final String A = "app-a-deployment-5d8f7c9b6-x2k9q";
    private static final String B = "app-b-deployment-7b9c6d4f8-m4p7z";
    private static final Duration REFRESH = Duration.ofMillis(1000);

    private LabHarness lab;
    private String rootFirewallBefore;
    private LabPod podA;
    private LabPod podB;
    private final Prober prober = new Prober(Duration.ofMillis(300), 16);

    @BeforeEach
    void setUp() {
        LabPrivileged.require();
        rootFirewallBefore = LabPrivileged.rootFirewall();
        lab = new LabHarness(Lab.Options.defaults().withAgentRefresh(REFRESH));
        Path article = Lab.findExample("article").orElseThrow();
        Path fixed = Lab.findExample("article-fixed").orElseThrow();
        assertThat(lab.run("lab", "load", article.toString(), fixed.toString()).exit())
                .isZero();
        podA = lab.lab().pod("app-a", A).orElseThrow();
        podB = lab.lab().pod("app-b", B).orElseThrow();
        assertAllowedAtoB(true);
        assertThat(probe(podB, podA))
                .as("app-b -> app-a (no policy isolates app-a)")
                .isTrue();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            String prefix = lab.lab().network().prefix().value();
            lab.close();
            assertThat(LabPrivileged.namespacesOf(prefix)).isEmpty();
            assertThat(LabPrivileged.rootFirewall())
                    .as("root namespace firewall")
                    .isEqualTo(rootFirewallBefore);
        }
    }

    private boolean probe(LabPod from, LabPod to) {
        ProbeResult r = prober.probe(from, to.ip(), Protocol.TCP, 80);
        return r.connected();
    }

    private void assertAllowedAtoB(boolean allowed) {
        assertThat(probe(podA, podB)).as("app-a -> app-b:80").isEqualTo(allowed);
    }

    private String iptables() {
        IptablesDataplane dp = (IptablesDataplane) lab.lab().agent().dataplane();
        return dp.backend().saveBinary().replace("-save", "");
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        assertThat(Lab.await(condition, timeout))
                .as(what + " within " + timeout.toMillis() + " ms")
                .isTrue();
    }

    @Test
    void restartKeepsFlowsFlowingAdoptsStateAndAddsNoDuplicates() throws Exception {
        String rulesBefore = lab.nodeRules();
        String setsBefore = lab.nodeSets();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger probes = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread traffic = new Thread(() -> {
            while (!stop.get()) {
                if (!probe(podA, podB)) {
                    failures.add("app-a -> app-b blocked at probe " + probes.get());
                }
                if (probe(podB, podA) == false) {
                    failures.add("app-b -> app-a blocked at probe " + probes.get());
                }
                probes.incrementAndGet();
            }
        });
        traffic.start();
        try {
            Lab.await(() -> probes.get() > 20, Duration.ofSeconds(10));
            NodeAgent fresh = lab.lab().restartAgent();
            await("the new agent converged", Duration.ofSeconds(30), fresh::converged);
            int before = probes.get();
            Lab.await(() -> probes.get() > before + 20, Duration.ofSeconds(10));
            assertThat(fresh.lastReport().changes())
                    .as("the restarted agent adopted the kernel state (nothing to change)")
                    .isEmpty();
        } finally {
            stop.set(true);
            traffic.join();
        }
        assertThat(failures).as("allowed flows interrupted during the restart").isEmpty();
        assertThat(probes.get()).isGreaterThan(40);
        assertThat(lab.nodeRules()).as("no duplicate or changed rules").isEqualTo(rulesBefore);
        assertThat(lab.nodeSets()).isEqualTo(setsBefore);
        assertThat(lab.nodeRules()
                        .lines()
                        .filter(l -> l.contains("-j tortie-FORWARD"))
                        .count())
                .as("one jump from FORWARD")
                .isEqualTo(1);
        assertAllowedAtoB(true);
    }

    @Test
    void tamperingIsRepairedWithinTheRefreshInterval() {
        String rulesBefore = lab.nodeRules();
        assertThat(probe(podB, podA) && !probeBToBPort81()).isTrue();
        String chain = "tortie-tw-" + podB.hostInterface();
        assertThat(rulesBefore).contains(":" + chain);
        long repairs = lab.lab().agent().repairCount();
        // Someone flushes app-b's ingress chain and deletes the entry jump.
        var node = lab.lab().network().nodeRunner();
        assertThat(node.run(iptables(), "-F", chain).ok()).isTrue();
        long t0 = System.nanoTime();
        await("drift repaired", REFRESH.multipliedBy(3), () -> lab.nodeRules().equals(rulesBefore));
        long repairedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(lab.lab().agent().repairCount()).isGreaterThan(repairs);
        assertThat(probeBToBPort81()).as("app-b is isolated again").isFalse();
        System.out.printf("flushed chain repaired after %d ms (refresh %d ms)%n", repairedMs, REFRESH.toMillis());

        String jump = lab.nodeRules()
                .lines()
                .filter(l -> l.startsWith("-A FORWARD") && l.contains("-j tortie-FORWARD"))
                .findFirst()
                .orElseThrow();
        assertThat(node.run(iptables(), "-D", "FORWARD", "1").ok())
                .as("delete " + jump)
                .isTrue();
        await("entry jump restored", REFRESH.multipliedBy(3), () -> lab.nodeRules()
                .equals(rulesBefore));
        assertAllowedAtoB(true);
    }

    /** app-a -> app-b on TCP 81: the fixed policy allows only 80, app-b serves only 80 (refused if let through). */
    private boolean probeBToBPort81() {
        ProbeResult r = prober.probe(podA, podB.ip(), Protocol.TCP, 81);
        return !r.outcome().name().equals("TIMED_OUT");
    }

    @Test
    void malformedPolicyIsRejectedWithoutTouchingTheKernel() {
        NodeAgent agent = lab.lab().agent();
        String rulesBefore = lab.nodeRules();
        long applies = agent.applyCount();
        // A new policy with an operator Kubernetes does not have, and the working policy replaced by a broken one.
        lab.apply(
                ApiKind.NETWORK_POLICIES,
                Map.of(
                        "apiVersion",
                        "networking.k8s.io/v1",
                        "kind",
                        "NetworkPolicy",
                        "metadata",
                        Map.of("name", "broken", "namespace", "app-a"),
                        "spec",
                        Map.of(
                                "podSelector",
                                        Map.of(
                                                "matchExpressions",
                                                List.of(Map.of(
                                                        "key",
                                                        "app",
                                                        "operator",
                                                        "Sometimes",
                                                        "values",
                                                        List.of("app-a")))),
                                "policyTypes", List.of("Ingress"))));
        lab.apply(
                ApiKind.NETWORK_POLICIES,
                Map.of(
                        "apiVersion",
                        "networking.k8s.io/v1",
                        "kind",
                        "NetworkPolicy",
                        "metadata",
                        Map.of("name", "allow-app-a-to-app-b", "namespace", "app-b"),
                        "spec",
                        Map.of(
                                "podSelector", Map.of(),
                                "policyTypes", List.of("Ingress"),
                                "ingress", List.of(Map.of("ports", List.of(Map.of("port", 80, "protocol", "HTTP")))))));
        await(
                "both rejections seen",
                Duration.ofSeconds(10),
                () -> agent.watcher().rejections().size() == 2);
        lab.settle();
        assertThat(agent.applyCount()).as("no apply for rejected objects").isEqualTo(applies);
        assertThat(lab.nodeRules()).as("kernel untouched").isEqualTo(rulesBefore);
        assertThat(agent.watcher().rejections().values().toString())
                .contains("Sometimes")
                .contains("HTTP");
        assertAllowedAtoB(true);
        assertThat(probeBToBPort81()).as("the last good policy stays enforced").isFalse();
    }

    @Test
    void apiServerGoneLeavesTheLastStateEnforced() {
        NodeAgent agent = lab.lab().agent();
        String rulesBefore = lab.nodeRules();
        lab.lab().api().close();
        // Give the agent's watches time to notice and retry.
        Lab.await(() -> false, Duration.ofSeconds(2));
        assertThat(lab.nodeRules()).as("kernel state kept").isEqualTo(rulesBefore);
        assertAllowedAtoB(true);
        assertThat(probeBToBPort81()).isFalse();
        assertThat(agent.lastError()).isNull();
        // Drift repair does not need the API server.
        String chain = "tortie-tw-" + podB.hostInterface();
        assertThat(lab.lab().network().nodeRunner().run(iptables(), "-F", chain).ok())
                .isTrue();
        await("drift repaired without the API server", REFRESH.multipliedBy(3), () -> lab.nodeRules()
                .equals(rulesBefore));
        assertThat(probeBToBPort81()).isFalse();
        List<String> problems = new ArrayList<>(lab.log);
        assertThat(problems).noneMatch(l -> l.contains("apply failed"));
    }
}
