package dev.tortie.engine.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Verdicts do not depend on the order objects arrive in: every object of a scenario is upserted into a live index in
 * a random order (policies before the pods they select, pods before their namespaces, ...) and every pair's verdict
 * and deciding rule must equal those of the index built in the canonical order.
 */
class LoadOrderProperties {
    private static final List<String> SCENARIOS = List.of("article", "tiered");
    private static final int[] PORTS = {22, 80, 5432, 6379, 9187};

    @Property(tries = 60)
    void verdictsIndependentOfLoadOrder(@ForAll @IntRange(min = 0, max = 1) int scenario, @ForAll long seed)
            throws Exception {
        ClusterState state = Scenarios.state(SCENARIOS.get(scenario));
        String expected = matrix(ClusterIndex.of(state));

        List<Consumer<ClusterIndex>> upserts = new ArrayList<>();
        state.namespaces().forEach(n -> upserts.add(i -> i.upsertNamespace(n)));
        state.tiers().forEach(t -> upserts.add(i -> i.upsertTier(t)));
        state.endpoints().forEach(e -> upserts.add(i -> i.upsertEndpoint(e)));
        state.networkSets().forEach(s -> upserts.add(i -> i.upsertNetworkSet(s)));
        state.serviceAccounts().forEach(s -> upserts.add(i -> i.upsertServiceAccount(s)));
        state.policies().forEach(p -> upserts.add(i -> i.upsertPolicy(p)));
        Collections.shuffle(upserts, new Random(seed));
        ClusterIndex shuffled = new ClusterIndex();
        upserts.forEach(u -> u.accept(shuffled));

        assertThat(matrix(shuffled)).isEqualTo(expected);
    }

    /** Every ordered pair and port: verdict plus the rule that decided each side. */
    static String matrix(ClusterIndex index) {
        Tracer tracer = new Tracer(index);
        StringBuilder sb = new StringBuilder();
        List<Endpoint> pods = new ArrayList<>(index.endpoints());
        for (Endpoint from : pods) {
            for (Endpoint to : pods) {
                for (int port : PORTS) {
                    FlowTrace t = tracer.trace(FlowEnd.of(from), FlowEnd.of(to), Protocol.TCP, port);
                    sb.append(from.key())
                            .append(" -> ")
                            .append(to.key())
                            .append(':')
                            .append(port)
                            .append(' ')
                            .append(t.verdict())
                            .append(' ')
                            .append(t.egress().decision().ruleId())
                            .append(' ')
                            .append(t.ingress().decision().ruleId())
                            .append('\n');
                }
            }
        }
        return sb.toString();
    }
}
