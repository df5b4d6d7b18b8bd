package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every upstream Kubernetes NetworkPolicy e2e case, in the real kernel: for each vector file one lab (namespaces x, y,
 * z and pods a, b, c created through the lab's API server, with the file's container ports), then per step the label
 * changes and the complete policy list applied through the API, a wait until the agent has programmed the node, and
 * {@code probe --matrix -o json} through the shell's command wiring. For every non-self pair the kernel's verdict, the
 * expected verdict and the engine's prediction must agree. SCTP probes must be reported unsupported, with the reason
 * (this kernel has no SCTP sockets); their prediction is still checked.
 */
class LabE2ePrivilegedIT {
    private static final Map<String, AtomicInteger> checkedBy = new java.util.concurrent.ConcurrentHashMap<>();
    private static final AtomicInteger checked = new AtomicInteger();
    private static final AtomicInteger unsupported = new AtomicInteger();
    private static final AtomicInteger matrices = new AtomicInteger();
    private static final AtomicLong probeMillis = new AtomicLong();
    private static long suiteStart;
    private static String rootFirewallBefore;

    @BeforeAll
    static void before() {
        suiteStart = System.nanoTime();
    }

    @AfterAll
    static void after() {
        System.out.printf(
                "lab e2e: %d verdicts checked in the kernel %s (%d SCTP reported unsupported), %d probe matrices"
                        + " (%d ms probing), %d s in all%n",
                checked.get(),
                checkedBy,
                unsupported.get(),
                matrices.get(),
                probeMillis.get(),
                (System.nanoTime() - suiteStart) / 1_000_000_000L);
        if (rootFirewallBefore != null) {
            assertThat(LabPrivileged.rootFirewall())
                    .as("root namespace firewall")
                    .isEqualTo(rootFirewallBefore);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyVectorInTheKernel() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String dataplane : LabHarness.dataplanes()) {
            for (Path path : E2eVector.all()) {
                tests.add(DynamicTest.dynamicTest(dataplane + " " + name(path), () -> runVector(path, dataplane)));
            }
        }
        return tests.stream();
    }

    private static String name(Path path) {
        String n = path.getFileName().toString();
        return n.substring(0, n.length() - ".yaml".length());
    }

    private static void runVector(Path path, String dataplane) throws Exception {
        LabPrivileged.require();
        if (rootFirewallBefore == null) {
            rootFirewallBefore = LabPrivileged.rootFirewall();
        }
        long start = System.nanoTime();
        E2eVector model = E2eVector.model(path);
        String prefix;
        List<String> failures = new ArrayList<>();
        try (LabHarness lab = LabHarness.start(dataplane)) {
            prefix = lab.lab().network().prefix().value();
            for (String ns : model.namespaces()) {
                lab.namespace(ns, Map.of());
            }
            for (String ns : model.namespaces()) {
                for (String p : model.pods()) {
                    lab.pod(ns, p, Map.of("pod", p), model.containerPorts());
                }
            }
            lab.settle();
            E2eVector vector = E2eVector.read(path, key -> {
                String[] parts = key.split("/");
                return lab.podIp(parts[0], parts[1]);
            });
            for (E2eVector.Step step : vector.steps()) {
                for (Map.Entry<String, Map<String, String>> e :
                        step.namespaceLabels().entrySet()) {
                    lab.setNamespaceLabels(e.getKey(), e.getValue());
                }
                for (Map.Entry<String, Map<String, String>> e : step.podLabels().entrySet()) {
                    String[] parts = e.getKey().split("/");
                    lab.setPodLabels(parts[0], parts[1], e.getValue());
                }
                lab.setPolicies(vector.namespaces(), step.policies());
                lab.settle();
                for (E2eVector.Probe probe : step.probes()) {
                    failures.addAll(checkProbe(lab, vector, step, probe));
                }
            }
        }
        assertThat(LabPrivileged.namespacesOf(prefix))
                .as("namespaces left by the lab")
                .isEmpty();
        System.out.printf("%s %s: %d ms%n", dataplane, model.id(), (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).as("kernel / expected / trace disagreements").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<String> checkProbe(
            LabHarness lab, E2eVector vector, E2eVector.Step step, E2eVector.Probe probe) {
        List<String> failures = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("probe", "--matrix", "-o", "json"));
        for (String ns : vector.namespaces()) {
            args.add("-n");
            args.add(ns);
        }
        args.add("--port");
        args.add(probe.port() + "/" + probe.protocol());
        long t0 = System.nanoTime();
        LabHarness.Run run = lab.run(args.toArray(new String[0]));
        probeMillis.addAndGet((System.nanoTime() - t0) / 1_000_000);
        matrices.incrementAndGet();
        if (run.exit() >= 3) {
            return List.of("step " + step.number() + " " + probe.port() + "/" + probe.protocol() + ": probe failed: "
                    + run.err());
        }
        Map<String, Object> tree = run.json();
        List<Map<String, Object>> cells = (List<Map<String, Object>>) tree.get("cells");
        Set<String> seen = new HashSet<>();
        boolean sctp = probe.protocol().equals("SCTP");
        for (Map<String, Object> cell : cells) {
            String from = (String) cell.get("from");
            String to = (String) cell.get("to");
            seen.add(from + " " + to);
            boolean expectAllow = probe.allowed().getOrDefault(from, List.of()).contains(to);
            String expected = expectAllow ? "allow" : "deny";
            String where = "step " + step.number() + " " + probe.port() + "/" + probe.protocol() + " " + from + " -> "
                    + to + ": ";
            if (!expected.equals(cell.get("predicted"))) {
                failures.add(where + "trace predicts " + cell.get("predicted") + ", expected " + expected);
            }
            if (sctp) {
                if (!"unsupported".equals(cell.get("outcome"))
                        || !"unknown".equals(cell.get("verdict"))
                        || !String.valueOf(cell.get("reason")).contains("SCTP")) {
                    failures.add(where + "SCTP must be reported unsupported with the reason, got " + cell);
                }
                unsupported.incrementAndGet();
            } else {
                if (!expected.equals(cell.get("verdict"))) {
                    failures.add(where + "kernel says " + cell.get("verdict") + " (" + cell.get("outcome") + ", "
                            + cell.get("latencyMs") + " ms), expected " + expected);
                }
                checked.incrementAndGet();
                checkedBy
                        .computeIfAbsent(lab.lab().options().dataplane(), k -> new AtomicInteger())
                        .incrementAndGet();
            }
        }
        int pods = vector.podKeys().size();
        if (seen.size() != pods * (pods - 1)) {
            failures.add("step " + step.number() + ": " + seen.size() + " pairs probed, expected " + pods * (pods - 1));
        }
        return failures;
    }
}
