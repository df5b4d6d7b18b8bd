package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.dataplane.bpf.sys.BpfLink;
import dev.tortie.dataplane.driver.IptablesDataplane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Flow logs in the kernel, for both dataplanes, on a representative subset of the upstream e2e vectors (default deny
 * on both directions, ports, egress pod selectors, ipBlock, UDP): the lab is brought to the vector's last step, and
 * after each probe matrix {@code flows -o json --since <matrix start>} must list every denied probe with the rule id
 * that {@code trace} names for its denying side, and every allowed probe with the allowing rule of each side. Then
 * {@code node check} finds no drift, and finds it after the test tampers with the kernel.
 */
class LabFlowsPrivilegedIT {
    static final List<String> VECTORS = List.of(
            "should-support-a-default-deny-all-policy",
            "should-enforce-policy-based-on-ports",
            "should-deny-egress-from-pods-based-on-podselector",
            "should-allow-egress-access-to-server-in-cidr-block",
            "udp-should-support-a-default-deny-ingress-policy");

    @TestFactory
    Stream<DynamicTest> flowsNameTheRuleTraceNames() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String dataplane : LabHarness.dataplanes()) {
            for (int i = 0; i < VECTORS.size(); i++) {
                String name = VECTORS.get(i);
                boolean drift = i == 0;
                tests.add(DynamicTest.dynamicTest(dataplane + " " + name, () -> run(dataplane, name, drift)));
            }
        }
        return tests.stream();
    }

    private static void run(String dataplane, String name, boolean checkDrift) throws Exception {
        LabPrivileged.require();
        Path path = E2eVector.sharedRoot().resolve("vectors/k8s-netpol-e2e/" + name + ".yaml");
        E2eVector model = E2eVector.model(path);
        List<String> failures = new ArrayList<>();
        int checkedDenied = 0;
        int checkedAllowed = 0;
        try (LabHarness lab = LabHarness.start(dataplane)) {
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
            E2eVector.Step step = vector.steps().get(vector.steps().size() - 1);
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
                if (probe.protocol().equals("SCTP")) {
                    continue; // no SCTP sockets on this kernel: nothing reaches the policy
                }
                Instant start = Instant.now().minusMillis(1);
                List<String> args = new ArrayList<>(List.of("probe", "--matrix", "-o", "json"));
                for (String ns : vector.namespaces()) {
                    args.add("-n");
                    args.add(ns);
                }
                args.add("--port");
                args.add(probe.port() + "/" + probe.protocol());
                LabHarness.Run matrix = lab.run(args.toArray(new String[0]));
                assertThat(matrix.exit()).as(matrix.err()).isLessThan(3);
                List<Expected> expected = expectations(lab, matrix, probe);
                List<String> missing = List.of();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < deadline) {
                    // the readers deliver asynchronously: a kernel event may land a moment after the probe returned
                    List<Map<String, Object>> flows = flows(lab, start);
                    missing = new ArrayList<>();
                    for (Expected e : expected) {
                        if (flows.stream().noneMatch(e::matches)) {
                            missing.add(e.toString());
                        }
                    }
                    if (missing.isEmpty()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                for (Expected e : expected) {
                    if (e.verdict().equals("deny")) {
                        checkedDenied++;
                    } else {
                        checkedAllowed++;
                    }
                }
                for (String m : missing) {
                    failures.add(probe.port() + "/" + probe.protocol() + ": no flow " + m);
                }
            }
            assertThat(checkedDenied + checkedAllowed).isPositive();
            if (checkDrift) {
                checkDrift(lab, failures);
            }
        }
        System.out.printf(
                "flows %s %s: %d denied and %d allowed decisions found with trace's rule%n",
                dataplane, name, checkedDenied, checkedAllowed);
        assertThat(failures).as("flows vs trace").isEmpty();
    }

    /** A flow record that must be there: this pair and port, this verdict, decided by this rule on this side. */
    record Expected(String from, String to, int port, String protocol, String verdict, String direction, String rule) {
        boolean matches(Map<String, Object> f) {
            return from.equals(f.get("from"))
                    && to.equals(f.get("to"))
                    && port == ((Number) f.get("port")).intValue()
                    && protocol.equals(f.get("protocol"))
                    && verdict.equals(f.get("verdict"))
                    && direction.equals(f.get("direction"))
                    && rule.equals(f.get("rule"));
        }

        @Override
        public String toString() {
            return verdict + " " + from + " -> " + to + " " + port + "/" + protocol + " at " + direction + " by "
                    + rule;
        }
    }

    /** Per probed cell, trace's deciding rules: the denying side for a denied flow, both sides for an allowed one. */
    @SuppressWarnings("unchecked")
    private static List<Expected> expectations(LabHarness lab, LabHarness.Run matrix, E2eVector.Probe probe) {
        List<Expected> out = new ArrayList<>();
        for (Map<String, Object> cell :
                (List<Map<String, Object>>) matrix.json().get("cells")) {
            String verdict = (String) cell.get("verdict");
            if (!verdict.equals("allow") && !verdict.equals("deny")) {
                continue;
            }
            String from = (String) cell.get("from");
            String to = (String) cell.get("to");
            LabHarness.Run trace =
                    lab.run("trace", from, "->", to + ":" + probe.port() + "/" + probe.protocol(), "-o", "json");
            Map<String, Object> t = ((List<Map<String, Object>>) trace.json().get("flows")).get(0);
            assertThat(t.get("verdict"))
                    .as("trace agrees with the kernel for %s -> %s", from, to)
                    .isEqualTo(verdict);
            for (String side : List.of("egress", "ingress")) {
                Map<String, Object> s = (Map<String, Object>) t.get(side);
                if (!Boolean.TRUE.equals(s.get("evaluated"))) {
                    continue;
                }
                String sideVerdict = (String) s.get("verdict");
                String rule = (String) ((Map<String, Object>) s.get("decidedBy")).get("id");
                out.add(new Expected(from, to, probe.port(), probe.protocol(), sideVerdict, side, rule));
                if (sideVerdict.equals("deny")) {
                    break; // a packet denied at egress never reaches the destination's ingress policy
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> flows(LabHarness lab, Instant since) {
        LabHarness.Run run = lab.run("flows", "-o", "json", "--since", since.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        return (List<Map<String, Object>>) run.json().get("flows");
    }

    private static void checkDrift(LabHarness lab, List<String> failures) throws IOException {
        LabHarness.Run clean = lab.run("node", "check");
        if (clean.exit() != 0) {
            failures.add("node check after settling: exit " + clean.exit() + "\n" + clean.out() + clean.err());
        }
        var dataplane = lab.lab().agent().dataplane();
        String what;
        if (dataplane instanceof IptablesDataplane iptables) {
            String binary = iptables.backend().saveBinary().replace("-save", "");
            String chain = lab.nodeRules()
                    .lines()
                    .filter(l -> l.startsWith(":tortie-") && !l.startsWith(":tortie-FORWARD"))
                    .map(l -> l.substring(1, l.indexOf(' ')))
                    .findFirst()
                    .orElseThrow();
            lab.lab().network().nodeRunner().run(binary, "-w", "-F", chain);
            what = chain;
        } else {
            BpfDataplane bpf = (BpfDataplane) dataplane;
            Path pin;
            try (var pins = Files.list(bpf.linkDir())) {
                pin = pins.sorted().findFirst().orElseThrow();
            }
            try (BpfLink link = BpfLink.openPinned(pin)) {
                link.detach();
            }
            String file = pin.getFileName().toString();
            what = file.substring(0, file.lastIndexOf('_'));
        }
        LabHarness.Run drift = lab.run("node", "check", "-o", "json");
        if (drift.exit() != 1 || !drift.out().contains(what)) {
            failures.add("node check after tampering with " + what + ": exit " + drift.exit() + "\n" + drift.out()
                    + drift.err());
        }
    }
}
