package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.flowlog.FlowLogConfig;
import dev.tortie.engine.ir.Hashes;
import dev.tortie.engine.model.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The NFLOG prefix scheme and the ruleset's map from prefix back to rule. */
class NflogPrefixTest {
    @Test
    void prefixCarriesVerdictDirectionAndTheRuleNumber() {
        NflogPrefix p = NflogPrefix.of("knp/app-b/allow-a/ingress/0", true, Direction.INGRESS);
        assertThat(p.numericId()).isEqualTo(Hashes.fnv64a("knp/app-b/allow-a/ingress/0"));
        assertThat(p.text()).matches("tortie:AI:[0-9a-f]{16}").hasSize(NflogPrefix.LENGTH);
        assertThat(NflogPrefix.LENGTH).isLessThan(64);
        assertThat(NflogPrefix.parse(p.text())).isEqualTo(p);
        assertThat(NflogPrefix.parse(p.text() + "\0")).isEqualTo(p);
        NflogPrefix deny = new NflogPrefix(false, Direction.EGRESS, 0x8000000000000001L);
        assertThat(deny.text()).isEqualTo("tortie:DE:8000000000000001");
        assertThat(NflogPrefix.parse(deny.text())).isEqualTo(deny);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "tortie:",
                "tortie:XI:0123456789abcdef",
                "tortie:AX:0123456789abcdef",
                "tortie:AI-0123456789abcdef",
                "tortie:AI:0123456789ABCDEF",
                "tortie:AI:0123456789abcde",
                "tortie:AI:0123456789abcdefa",
                "tortie:AI:0123456789abcdeg",
                "calico:AI:0123456789abcdef",
                "API0|np/default/allow-web"
            })
    void foreignOrMalformedPrefixesAreNotOurs(String text) {
        assertThat(NflogPrefix.parse(text)).isNull();
    }

    @Test
    void everyDecidingVerdictLogsAndEveryPrefixMapsBackToItsRule() {
        Ruleset ruleset =
                IptablesRenderer.render(Scenarios.load("tiered").nodeProgram(null), DataplaneConfig.defaults());
        Set<String> decisions = new HashSet<>();
        Set<String> logged = new HashSet<>();
        for (IptablesChain chain : ruleset.chains()) {
            List<IptablesRule> rules = chain.rules();
            for (int i = 0; i < rules.size(); i++) {
                IptablesRule r = rules.get(i);
                List<String> a = r.args();
                int target = a.indexOf("-j");
                String verb = target < 0 ? "" : a.get(target + 1);
                if (verb.equals("NFLOG")) {
                    assertThat(r.ruleId())
                            .as("NFLOG lines carry no rule id (counters)")
                            .isNull();
                    NflogPrefix p = NflogPrefix.parse(a.get(a.indexOf("--nflog-prefix") + 1));
                    String id = ruleset.ruleIdForNflog(p);
                    assertThat(id).as("prefix %s maps to a rule", p).isNotNull();
                    assertThat(a.get(a.indexOf("--nflog-group") + 1))
                            .isEqualTo(p.direction() == Direction.INGRESS ? "1" : "2");
                    assertThat(a)
                            .containsSubsequence("--nflog-size", "80")
                            .containsSubsequence("--nflog-threshold", "32");
                    logged.add((p.allow() ? "allow " : "deny ") + id);
                } else if (r.ruleId() != null
                        && (verb.equals("DROP")
                                || a.contains("--set-xmark")
                                        && a.get(a.indexOf("--set-xmark") + 1).equals("0x10000/0x10000"))) {
                    decisions.add((verb.equals("DROP") ? "deny " : "allow ") + r.ruleId());
                }
            }
        }
        assertThat(logged).isEqualTo(decisions);
        assertThat(decisions)
                .contains(
                        "deny tier/default/ingress/end",
                        "deny gnp/block-quarantined/egress/0",
                        "allow knp/db/allow-web-to-db/ingress/0",
                        "allow pro/kns.shop/egress/0",
                        "deny endpoint/shop/web/ingress/no-profile",
                        "deny dataplane/unknown-interface/ingress");
        assertThat(ruleset.nflogRuleIds()).hasSize(logged.size());
        assertThat(ruleset.notes()).noneMatch(n -> n.startsWith("flow log"));
    }

    @Test
    void groupsSizeAndBatchingComeFromTheConfiguration() {
        FlowLogConfig flowLogs = new FlowLogConfig(
                true, 11, 12, 96, 4, Duration.ofMillis(50), 1 << 20, Duration.ofSeconds(5), Duration.ofMinutes(15), 10);
        DataplaneConfig config = DataplaneConfig.builder().flowLogs(flowLogs).build();
        String text = IptablesRenderer.render(Scenarios.load("tiered").nodeProgram(null), config)
                .toRestoreText();
        assertThat(text)
                .contains("--nflog-group 11 --nflog-prefix tortie:DI:")
                .contains("--nflog-group 12 --nflog-prefix tortie:DE:")
                .contains("--nflog-size 96 --nflog-threshold 4")
                .doesNotContain("--nflog-group 1 ");
    }

    @Test
    void flowLogsOffRenderNoNflogAndNoMap() {
        DataplaneConfig off = DataplaneConfig.builder().flowLogsEnabled(false).build();
        Ruleset ruleset = IptablesRenderer.render(Scenarios.load("tiered").nodeProgram(null), off);
        assertThat(ruleset.toRestoreText()).doesNotContain("NFLOG");
        assertThat(ruleset.nflogRuleIds()).isEmpty();
        Ruleset on = IptablesRenderer.render(Scenarios.load("tiered").nodeProgram(null), DataplaneConfig.defaults());
        List<String> withoutNflog = new ArrayList<>();
        for (IptablesChain c : on.chains()) {
            for (IptablesRule r : c.rules()) {
                if (!r.args().contains("NFLOG")) {
                    withoutNflog.add(c.name() + " " + r.spec());
                }
            }
        }
        List<String> offRules = new ArrayList<>();
        for (IptablesChain c : ruleset.chains()) {
            for (IptablesRule r : c.rules()) {
                offRules.add(c.name() + " " + r.spec());
            }
        }
        assertThat(withoutNflog).as("flow logs only add NFLOG lines").isEqualTo(offRules);
    }
}
