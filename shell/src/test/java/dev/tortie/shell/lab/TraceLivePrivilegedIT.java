package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code trace --live} in the lab: a real probe, the per-rule kernel counters it moved, and the engine's trace must
 * name the same deciding rule in each direction, on the starting article's scenario and the tiered Calico scenario.
 */
class TraceLivePrivilegedIT {
    private LabHarness lab;
    private String rootFirewallBefore;

    @BeforeEach
    void setUp() {
        LabPrivileged.require();
        rootFirewallBefore = LabPrivileged.rootFirewall();
    }

    static List<String> dataplanes() {
        return LabHarness.dataplanes();
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

    private void load(String example) {
        Path dir = Lab.findExample(example).orElseThrow();
        LabHarness.Run run = lab.run("lab", "load", dir.toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    /** Runs {@code trace --live} and checks kernel rule == engine rule in both directions; returns the live part. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> live(String flow, String verdict, String egressRule, String ingressRule) {
        LabHarness.Run run = lab.run(("trace --live " + flow + " -o json").split(" "));
        assertThat(run.exit()).as(run.out() + run.err()).isLessThan(3);
        List<Map<String, Object>> flows = (List<Map<String, Object>>) run.json().get("flows");
        assertThat(flows).hasSize(1);
        Map<String, Object> live = (Map<String, Object>) flows.get(0).get("live");
        assertThat(live.get("agree")).as(flow + ": " + live).isEqualTo(true);
        assertThat(live.get("verdict")).as(flow + " kernel verdict").isEqualTo(verdict);
        assertThat(live.get("predicted")).as(flow + " prediction").isEqualTo(verdict);
        Map<String, Object> kernel = (Map<String, Object>) live.get("kernelRule");
        Map<String, Object> engine = (Map<String, Object>) live.get("engineRule");
        assertThat(engine.get("egress")).as(flow + " engine egress").isEqualTo(egressRule);
        assertThat(engine.get("ingress")).as(flow + " engine ingress").isEqualTo(ingressRule);
        assertThat(kernel.get("egress")).as(flow + " kernel egress").isEqualTo(egressRule);
        Map<String, Object> egress =
                (Map<String, Object>) ((Map<String, Object>) flows.get(0).get("trace")).get("egress");
        if ("deny".equals(egress.get("verdict"))) {
            assertThat(kernel.get("ingress"))
                    .as(flow + ": dropped at egress, ingress not reached")
                    .isNull();
        } else {
            assertThat(kernel.get("ingress")).as(flow + " kernel ingress").isEqualTo(ingressRule);
        }
        return live;
    }

    @ParameterizedTest
    @MethodSource("dataplanes")
    void articleScenarioNamesTheSameRulesAsTheEngine(String dataplane) {
        lab = LabHarness.start(dataplane);
        load("article");
        String a = "app-a/app-a-deployment-5d8f7c9b6-x2k9q";
        String b = "app-b/app-b-deployment-7b9c6d4f8-m4p7z";
        // The article's claim is wrong: app-a cannot reach app-b (no namespace carries name=app-a).
        live(a + " -> " + b + ":80", "deny", "knp/app-a/allow-app-a-egress/egress/0", "tier/default/ingress/end");
        live(b + " -> " + a + ":80", "allow", "pro/kns.app-b/egress/0", "pro/kns.app-a/ingress/0");

        LabHarness.Run text = lab.run("trace", "--live", a, "->", b + ":80");
        assertThat(text.out())
                .contains("live: probe timed out")
                .contains("tier/default/ingress/end")
                .contains("agree: the kernel matched the rules the engine names");
        assertThat(text.exit()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("dataplanes")
    void tieredScenarioNamesTheSameRulesAsTheEngine(String dataplane) {
        lab = LabHarness.start(dataplane);
        load("tiered");
        // The README's table: verdict and deciding rule per flow.
        Map<String, Object> web = live(
                "shop/web -> db/postgres:pg", "allow", "pro/kns.shop/egress/0", "knp/db/allow-web-to-db/ingress/0");
        assertThat(web.toString()).as("the security tier passed it").contains("Pass");
        live(
                "shop/quarantined -> db/postgres:5432",
                "deny",
                "gnp/block-quarantined/egress/0",
                "gnp/block-quarantined/ingress/1");
        live(
                "monitoring/prom -> db/postgres:9187",
                "allow",
                "pro/kns.monitoring/egress/0",
                "gnp/allow-monitoring/ingress/0");
        live("shop/web -> db/postgres:22", "deny", "pro/kns.shop/egress/0", "np/db/deny-ssh/ingress/0");
        live("shop/web -> db/postgres:6379", "deny", "pro/kns.shop/egress/0", "tier/default/ingress/end");
    }
}
