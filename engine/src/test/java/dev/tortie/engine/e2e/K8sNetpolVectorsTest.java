package dev.tortie.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.convert.Converted;
import dev.tortie.engine.convert.KubernetesPolicyConverter;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every step and probe of every upstream NetworkPolicy e2e case, for all 72 non-self pairs, through the evaluator:
 * once on a model built fresh for each step, once applying the steps incrementally to one live index (label changes,
 * policy updates and deletions), which checks the incremental index against the same truth.
 */
class K8sNetpolVectorsTest {
    private static int verdicts;
    private static int incrementalVerdicts;

    @TestFactory
    Stream<DynamicTest> everyStepFromScratch() throws Exception {
        return NetpolVector.all().stream()
                .map(path -> DynamicTest.dynamicTest(name(path), () -> {
                    NetpolVector v = NetpolVector.read(path);
                    for (NetpolVector.Step step : v.steps()) {
                        ClusterIndex index = ClusterIndex.of(state(v, step));
                        verdicts += check(v, step, index);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> stepsAppliedIncrementally() throws Exception {
        return NetpolVector.all().stream()
                .map(path -> DynamicTest.dynamicTest(name(path), () -> {
                    NetpolVector v = NetpolVector.read(path);
                    ClusterIndex index = new ClusterIndex();
                    Set<PolicyId> present = new HashSet<>();
                    for (NetpolVector.Step step : v.steps()) {
                        for (Namespace ns : namespaces(step)) {
                            index.upsertNamespace(ns);
                        }
                        for (Endpoint e : endpoints(v, step)) {
                            index.upsertEndpoint(e);
                        }
                        Set<PolicyId> now = new HashSet<>();
                        for (Policy p : policies(step)) {
                            index.upsertPolicy(p);
                            now.add(p.id());
                        }
                        for (PolicyId gone : present) {
                            if (!now.contains(gone)) {
                                index.removePolicy(gone);
                            }
                        }
                        present = now;
                        incrementalVerdicts += check(v, step, index);
                    }
                }));
    }

    @AfterAll
    static void report() {
        System.out.println("k8s-netpol-e2e: " + verdicts + " verdicts from scratch, " + incrementalVerdicts
                + " incrementally, all as expected");
        assertThat(verdicts).isGreaterThan(0);
    }

    private static String name(Path p) {
        return p.getFileName().toString().replace(".yaml", "");
    }

    /** Checks all 72 non-self pairs of every probe of a step; returns how many verdicts were checked. */
    private static int check(NetpolVector v, NetpolVector.Step step, ClusterIndex index) {
        Tracer tracer = new Tracer(index);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (NetpolVector.Probe probe : step.probes()) {
            Protocol protocol = Protocol.tryParse(probe.protocol());
            for (String from : v.podKeys()) {
                List<String> allowed = probe.allowed().getOrDefault(from, List.of());
                for (String to : v.podKeys()) {
                    if (from.equals(to)) {
                        continue;
                    }
                    Endpoint src = endpoint(index, from);
                    Endpoint dst = endpoint(index, to);
                    Verdict got = tracer.trace(FlowEnd.of(src), FlowEnd.of(dst), protocol, probe.port())
                            .verdict();
                    Verdict want = allowed.contains(to) ? Verdict.ALLOW : Verdict.DENY;
                    checked++;
                    if (got != want) {
                        mismatches.add("step " + step.number() + " " + probe.port() + "/" + probe.protocol() + " "
                                + from + " -> " + to + ": expected " + want + ", got " + got);
                    }
                }
            }
        }
        assertThat(mismatches).as(v.id()).isEmpty();
        assertThat(checked).isEqualTo(72 * step.probes().size());
        return checked;
    }

    private static Endpoint endpoint(ClusterIndex index, String key) {
        String[] parts = key.split("/");
        return index.endpoint(parts[0], parts[1]);
    }

    static ClusterState state(NetpolVector v, NetpolVector.Step step) {
        ClusterState.Builder b = ClusterState.builder();
        namespaces(step).forEach(b::namespace);
        endpoints(v, step).forEach(b::endpoint);
        policies(step).forEach(b::policy);
        return b.build();
    }

    static List<Namespace> namespaces(NetpolVector.Step step) {
        List<Namespace> out = new ArrayList<>();
        step.namespaceLabels().forEach((ns, labels) -> out.add(new Namespace(ns, labels, null)));
        return out;
    }

    static List<Endpoint> endpoints(NetpolVector v, NetpolVector.Step step) {
        List<ContainerPort> ports = new ArrayList<>();
        for (Map<String, Object> p : v.containerPorts()) {
            ports.add(new ContainerPort(
                    (String) p.get("name"),
                    Protocol.tryParse((String) p.get("protocol")),
                    ((Number) p.get("containerPort")).intValue()));
        }
        List<Endpoint> out = new ArrayList<>();
        for (String key : v.podKeys()) {
            String[] parts = key.split("/");
            out.add(new Endpoint(
                    parts[0],
                    parts[1],
                    "node-1",
                    List.of(IpAddress.parse(NetpolVector.ip(v.namespaces(), v.pods(), key))),
                    step.podLabels().get(key),
                    "default",
                    ports,
                    null,
                    null));
        }
        return out;
    }

    static List<Policy> policies(NetpolVector.Step step) {
        List<Policy> out = new ArrayList<>();
        for (Map<String, Object> tree : step.policies()) {
            Converted<Policy> c = KubernetesPolicyConverter.convert(tree, new ObjectSource("vector", 0, 0));
            assertThat(c.diagnostics())
                    .as("conversion of %s", tree.get("metadata"))
                    .noneMatch(d -> d.isError());
            out.add(c.value());
        }
        return out;
    }
}
