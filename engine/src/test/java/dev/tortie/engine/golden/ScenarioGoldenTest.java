package dev.tortie.engine.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.Golden;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.format.IrFormatter;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import org.junit.jupiter.api.Test;

/**
 * The IR and the traces of named scenarios, pinned as golden files: the starting article's (as written, and fixed)
 * and a tiered Calico scenario with Pass, Deny, Log and end-of-tier defaults.
 */
class ScenarioGoldenTest {

    @Test
    void articleIr() throws Exception {
        ClusterIndex index = Scenarios.load("article");
        Golden.check("article.ir.txt", IrFormatter.format(index.nodeProgram(null), index));
    }

    @Test
    void articleTraces() throws Exception {
        ClusterIndex index = Scenarios.load("article");
        StringBuilder sb = new StringBuilder();
        FlowTrace aToB = trace(index, "app-a", "app-b", 80, sb);
        FlowTrace bToA = trace(index, "app-b", "app-a", 80, sb);
        FlowTrace aToInternet = traceToAddress(index, "app-a", "8.8.8.8", 443, sb);
        Golden.check("article.trace.txt", sb.toString());
        // The real Kubernetes answers, not the article's claims (../shared/seed/README.md).
        assertThat(aToB.verdict()).isEqualTo(Verdict.DENY);
        assertThat(aToB.ingress().decision().ruleId()).isEqualTo("tier/default/ingress/end");
        assertThat(bToA.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(aToInternet.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void tieredIr() throws Exception {
        ClusterIndex index = Scenarios.load("tiered");
        Golden.check("tiered.ir.txt", IrFormatter.format(index.nodeProgram(null), index));
    }

    @Test
    void tieredTraces() throws Exception {
        ClusterIndex index = Scenarios.load("tiered");
        StringBuilder sb = new StringBuilder();
        FlowTrace webToDb = trace(index, "shop/web", "db/postgres", 5432, sb);
        FlowTrace quarantined = trace(index, "shop/quarantined", "db/postgres", 5432, sb);
        FlowTrace monitoring = trace(index, "monitoring/prom", "db/postgres", 9187, sb);
        FlowTrace ssh = trace(index, "shop/web", "db/postgres", 22, sb);
        FlowTrace cache = trace(index, "shop/web", "db/postgres", 6379, sb);
        Golden.check("tiered.trace.txt", sb.toString());

        assertThat(webToDb.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(webToDb.ingress().decision().ruleId()).isEqualTo("knp/db/allow-web-to-db/ingress/0");
        assertThat(quarantined.verdict()).isEqualTo(Verdict.DENY);
        assertThat(quarantined.egress().decision().ruleId()).isEqualTo("gnp/block-quarantined/egress/0");
        assertThat(quarantined.ingress().decision().ruleId()).isEqualTo("gnp/block-quarantined/ingress/1");
        assertThat(quarantined.ingress().logged())
                .extracting(r -> r.rule().id().toString())
                .containsExactly("gnp/block-quarantined/ingress/0");
        assertThat(monitoring.ingress().decision().ruleId()).isEqualTo("gnp/allow-monitoring/ingress/0");
        assertThat(ssh.ingress().decision().ruleId()).isEqualTo("np/db/deny-ssh/ingress/0");
        assertThat(cache.ingress().decision().ruleId()).isEqualTo("tier/default/ingress/end");
    }

    private static FlowTrace trace(ClusterIndex index, String from, String to, int port, StringBuilder sb) {
        FlowEnd src = FlowEnd.of(endpoint(index, from));
        FlowEnd dst = FlowEnd.of(endpoint(index, to));
        FlowTrace t = new Tracer(index).trace(src, dst, Protocol.TCP, port);
        append(sb, t);
        return t;
    }

    private static FlowTrace traceToAddress(ClusterIndex index, String from, String ip, int port, StringBuilder sb) {
        FlowEnd src = FlowEnd.of(endpoint(index, from));
        FlowTrace t = new Tracer(index).trace(src, FlowEnd.external(IpAddress.parse(ip)), Protocol.TCP, port);
        append(sb, t);
        return t;
    }

    private static dev.tortie.engine.model.Endpoint endpoint(ClusterIndex index, String ref) {
        if (ref.contains("/")) {
            String[] parts = ref.split("/");
            return index.endpoint(parts[0], parts[1]);
        }
        return index.endpointsIn(ref).get(0);
    }

    /** A compact, stable rendering: verdict, then each side's steps and decision. */
    static void append(StringBuilder sb, FlowTrace t) {
        sb.append(t.source().name())
                .append(" -> ")
                .append(t.destination().name())
                .append(' ')
                .append(t.protocol())
                .append(' ')
                .append(t.port())
                .append(": ")
                .append(t.verdict())
                .append('\n');
        side(sb, "egress", t.egress());
        side(sb, "ingress", t.ingress());
        for (String note : t.notes()) {
            sb.append("  note: ").append(note).append('\n');
        }
        sb.append('\n');
    }

    private static void side(StringBuilder sb, String name, DirectionTrace d) {
        if (d == null) {
            sb.append("  ").append(name).append(": not evaluated\n");
            return;
        }
        sb.append("  ")
                .append(name)
                .append(": ")
                .append(d.verdict())
                .append(" by ")
                .append(d.decision().ruleId())
                .append('\n');
        d.tiers().forEach(tier -> {
            sb.append("    tier ")
                    .append(tier.tier())
                    .append(" -> ")
                    .append(tier.outcome())
                    .append('\n');
            tier.policies().forEach(p -> p.rules().forEach(r -> sb.append("      ")
                    .append(r.rule().id())
                    .append(' ')
                    .append(r.rule().action())
                    .append(r.matched() ? " MATCH" : " no: " + r.reason())
                    .append('\n')));
        });
        d.logged()
                .forEach(r -> sb.append("    logged by ").append(r.rule().id()).append('\n'));
        sb.append("    ").append(d.decision().explanation()).append('\n');
    }
}
