package dev.tortie.dataplane.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.render.iptables.ChainNames;
import dev.tortie.dataplane.render.iptables.Scenarios;
import dev.tortie.engine.ir.NodeProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The iptables dataplane over {@link FakeNetfilter}: apply, no-op, deltas, ordering, drift repair, failures. */
class IptablesDataplaneTest {
    private static final DataplaneConfig NFT = DataplaneConfig.builder()
            .iptablesMode(DataplaneConfig.IptablesMode.NFT)
            .build();

    private final FakeNetfilter kernel = new FakeNetfilter();

    private static NodeProgram program(String scenario) {
        return Scenarios.load(scenario).nodeProgram(null);
    }

    private IptablesDataplane dataplane() {
        return new IptablesDataplane(kernel, NFT);
    }

    /** The tortie part of the kernel: filter table text and sets, for before/after comparisons. */
    private String state() {
        StringBuilder sb = new StringBuilder(FakeNetfilter.save(kernel.nft(), false));
        kernel.sets.forEach((name, s) -> sb.append(name).append(' ').append(s).append('\n'));
        return sb.toString();
    }

    private List<String> forward() {
        List<String> out = new ArrayList<>();
        kernel.nft().chains.get("FORWARD").forEach(r -> out.add(r.spec));
        return out;
    }

    @Test
    void theFlowLogKnowsTheRulesOfEveryAppliedRulesetAndCountersIgnoreNflogLines() {
        IptablesDataplane dp = new IptablesDataplane(kernel, NFT, "tortie-test-node");
        assertThat(dp.flowLog()).isSameAs(dp.flowLog());
        assertThat(dp.flowLog().enabled()).isTrue();
        assertThat(dp.flowLog().backend()).isEqualTo("iptables (nflog)");
        assertThat(dp.netns()).isEqualTo("tortie-test-node");
        dp.apply(program("tiered"));
        assertThat(FakeNetfilter.save(kernel.nft(), false)).contains("-j NFLOG --nflog-group 1 --nflog-prefix tortie:");
        // every counter key is a rule id: the NFLOG lines carry none
        assertThat(dp.readCounters().keySet()).noneMatch(id -> id.startsWith("tortie:"));
        assertThat(dp.desired().ruleset().nflogRuleIds()).containsValue("tier/default/ingress/end");
        assertThat(new IptablesDataplane(
                                kernel,
                                DataplaneConfig.builder().flowLogsEnabled(false).build())
                        .flowLog()
                        .enabled())
                .isFalse();
    }

    @Test
    void firstApplyCreatesSetsThenChainsAndHooksForwardOnce() {
        IptablesDataplane dp = dataplane();
        ApplyReport report = dp.apply(program("tiered"));

        IptablesDataplane.Rendering r = dp.desired();
        assertThat(report.changes()).contains("jump from FORWARD inserted at position 1");
        assertThat(kernel.nft().chains.keySet())
                .containsAll(r.ruleset().chainsByName().keySet())
                .hasSize(3 + r.ruleset().chains().size());
        for (var chain : r.ruleset().chains()) {
            List<String> specs = new ArrayList<>();
            kernel.nft().chains.get(chain.name()).forEach(x -> specs.add("-A " + chain.name() + " " + x.spec));
            assertThat(specs).as(chain.name()).isEqualTo(chain.appendLines());
        }
        assertThat(forward()).hasSize(1).first().asString().endsWith("-j tortie-FORWARD");
        assertThat(kernel.sets.keySet()).isEqualTo(r.sets().byName().keySet());
        // ipset restore ran before iptables-restore.
        List<String> tools = kernel.commands.stream()
                .map(c -> c.get(0) + (c.size() > 1 ? " " + c.get(1) : ""))
                .toList();
        assertThat(tools.indexOf("ipset restore")).isLessThan(tools.indexOf("iptables-nft-restore --noflush"));
    }

    @Test
    void secondApplyOfTheSameProgramChangesNothing() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("tiered"));
        long restores = kernel.count("iptables-nft-restore");
        String before = state();

        ApplyReport again = dp.apply(program("tiered"));

        assertThat(again.changeCount()).isZero();
        assertThat(kernel.count("iptables-nft-restore")).isEqualTo(restores);
        assertThat(state()).isEqualTo(before);
        assertThat(dp.reconcile().changed()).isFalse();
    }

    @Test
    void changedProgramRewritesOnlyWhatChangedAndKeepsOtherCounters() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("allow-from-namespace"));
        // traffic counted on the app-a profile chain (unchanged below)
        FakeNetfilter.Rule counted =
                kernel.nft().chains.get("tortie-pri-kns.app-a").get(0);
        counted.packets = 7;
        counted.bytes = 420;

        // The article as written: app-a lacks the name label (the set empties) and app-a gets an egress policy.
        ApplyReport report = dp.apply(program("article"));

        assertThat(report.changes())
                .hasSize(3)
                .anyMatch(c -> c.startsWith("set tortie40s:") && c.endsWith("updated (+0 -1)"))
                .anyMatch(c -> c.startsWith("chain tortie-po-") && c.endsWith("created"))
                .anyMatch(c -> c.startsWith("chain tortie-fw-") && c.endsWith("rewritten"));
        assertThat(kernel.nft().chains.get("tortie-pri-kns.app-a").get(0).packets)
                .isEqualTo(7);
        assertThat(dp.readCounters()).containsEntry("pro/kns.app-a/ingress/0", new RuleCounters(7, 420));
    }

    @Test
    void staleChainsGoInTheTransactionAndStaleSetsAfterIt() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("tiered"));
        TreeSet<String> tieredSets = new TreeSet<>(kernel.sets.keySet());
        kernel.commands.clear();

        ApplyReport report = dp.apply(program("deny-all-ingress"));

        assertThat(report.changes()).anyMatch(c -> c.endsWith("deleted")).anyMatch(c -> c.endsWith("destroyed"));
        assertThat(kernel.sets.keySet()).doesNotContainAnyElementsOf(tieredSets);
        assertThat(kernel.nft().chains.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        withKernelChains(dp.desired().ruleset().chainsByName().keySet()));
        List<String> tools = kernel.commands.stream().map(c -> c.get(0)).toList();
        assertThat(tools.lastIndexOf("ipset")).isGreaterThan(tools.indexOf("iptables-nft-restore"));
    }

    @Test
    void reconcileRepairsEveryKindOfTampering() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("tiered"));
        String good = state();
        String someSet = kernel.sets.keySet().iterator().next();
        String policyChain = kernel.nft().chains.keySet().stream()
                .filter(c -> c.startsWith("tortie-pi-"))
                .findFirst()
                .orElseThrow();

        // someone flushes an endpoint chain, edits a policy chain, drops our jump, inserts theirs first, adds a
        // duplicate jump lower down, empties one set and destroys another after unhooking the rules using it
        String endpointChain = kernel.nft().chains.keySet().stream()
                .filter(c -> c.startsWith("tortie-tw-"))
                .findFirst()
                .orElseThrow();
        kernel.nft().chains.get(endpointChain).clear();
        kernel.nft().chains.get(policyChain).add(0, new FakeNetfilter.Rule("-j ACCEPT"));
        String jump = kernel.nft().chains.get("FORWARD").remove(0).spec;
        kernel.nft().chains.get("FORWARD").add(new FakeNetfilter.Rule("-s 192.0.2.1 -j DROP"));
        kernel.nft().chains.get("FORWARD").add(new FakeNetfilter.Rule(jump));
        kernel.sets.get(someSet).members().clear();
        String destroyed = kernel.sets.keySet().stream()
                .filter(s -> !s.equals(someSet))
                .findFirst()
                .orElseThrow();
        kernel.nft().chains.forEach((name, rules) -> {
            if (name.startsWith(ChainNames.PREFIX)) {
                rules.removeIf(r -> r.spec.contains(destroyed));
            }
        });
        kernel.sets.remove(destroyed);

        ApplyReport repair = dp.reconcile();

        assertThat(repair.changes())
                .contains("chain " + endpointChain + " rewritten", "chain " + policyChain + " rewritten")
                .anyMatch(c -> c.startsWith("jump from FORWARD repaired"))
                .anyMatch(c -> c.startsWith("set " + someSet + " updated"))
                .contains("set " + destroyed + " created ("
                        + dp.desired().sets().byName().get(destroyed).members().size() + " members)");
        // the foreign rule survives, below our jump
        assertThat(forward()).containsExactly(jump, "-s 192.0.2.1 -j DROP");
        kernel.nft().chains.get("FORWARD").remove(1);
        assertThat(state()).isEqualTo(good);
        assertThat(dp.reconcile().changed()).isFalse();
    }

    @Test
    void aRejectedTransactionKeepsThePreviousStateAndIsRetried() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("allow-from-namespace"));
        String good = state();
        dp.withRestoreHook(text -> text.replace("COMMIT", "-A tortie-FORWARD -m bogus -j DROP\nCOMMIT"));

        assertThatThrownBy(() -> dp.apply(program("tiered"))).isInstanceOfSatisfying(DataplaneException.class, e -> {
            assertThat(e.argv()).first().isEqualTo("iptables-nft-restore");
            assertThat(e.stderr()).contains("Couldn't load match `bogus'");
            assertThat(e.stateChanged()).isFalse();
            assertThat(e.getMessage()).contains("previous state kept");
        });
        // the tiered sets created before the transaction were rolled back too
        assertThat(state()).isEqualTo(good);

        dp.withRestoreHook(text -> text);
        assertThat(dp.reconcile().changed()).isTrue(); // the failed program is still the desired state
        assertThat(dp.apply(program("tiered")).changed()).isFalse();
    }

    @Test
    void aFailingSetUpdateIsRolledBack() {
        IptablesDataplane dp =
                new IptablesDataplane(kernel, NFT.toBuilder().maxSetSize(1).build());
        dp.apply(program("article"));
        String good = state();

        // tiered has a two-member set: the kernel refuses it after earlier lines were applied
        assertThatThrownBy(() -> dp.apply(program("tiered")))
                .isInstanceOf(DataplaneException.class)
                .hasMessageContaining("ipset restore")
                .hasMessageContaining("Hash is full");
        assertThat(state()).isEqualTo(good);
    }

    @Test
    void aSetWithTheWrongTypeIsRecreatedWhileItsChainsFailClosed() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("tiered"));
        String good = state();
        String named = kernel.sets.keySet().stream()
                .filter(s -> s.startsWith("tortie40n:"))
                .findFirst()
                .orElseThrow();
        kernel.sets.put(named, new FakeNetfilter.FakeSet("hash:net", "inet", 1_048_576, new TreeSet<>()));

        ApplyReport repair = dp.reconcile();

        assertThat(repair.changes()).anyMatch(c -> c.startsWith("set " + named + " recreated (hash:net inet"));
        assertThat(state()).isEqualTo(good);
        // the quarantine transaction ran first
        assertThat(kernel.commands.stream()
                        .filter(c -> c.get(0).equals("iptables-nft-restore"))
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aSetWhoseSizeChangedIsRebuiltAndSwapped() {
        new IptablesDataplane(kernel, NFT.toBuilder().maxSetSize(1000).build()).apply(program("tiered"));
        kernel.commands.clear();
        IptablesDataplane dp = dataplane();

        ApplyReport report = dp.apply(program("tiered"));

        assertThat(report.changes()).allMatch(c -> c.contains("rebuilt and swapped (maxelem 1000 -> 1048576)"));
        assertThat(kernel.sets.values()).allMatch(s -> s.maxElements() == 1_048_576);
        assertThat(kernel.sets.keySet()).allMatch(s -> s.startsWith("tortie40"));
        assertThat(kernel.count("iptables-nft-restore")).isZero();
    }

    @Test
    void countersAreSummedPerRuleId() {
        IptablesDataplane dp = dataplane();
        dp.apply(program("deny-all-ingress"));
        Map<String, Long> bump = new TreeMap<>();
        kernel.nft().chains.forEach((name, rules) -> {
            for (FakeNetfilter.Rule r : rules) {
                if (r.spec.contains("tier/default/ingress/end")) {
                    r.packets = 3;
                    r.bytes = 180;
                    bump.merge(name, 3L, Long::sum);
                }
            }
        });
        assertThat(bump).hasSize(2); // both pods are isolated for ingress

        Map<String, RuleCounters> counters = dp.readCounters();

        assertThat(counters).containsEntry("tier/default/ingress/end", new RuleCounters(6, 360));
        assertThat(counters).containsEntry("pro/kns.app/egress/0", RuleCounters.ZERO);
        assertThat(counters).containsKey("endpoint/app/web/ingress/no-profile");
    }

    @Test
    void removeDeletesEverythingTortieOwnsAndNothingElse() {
        kernel.nft().chains.get("FORWARD").add(new FakeNetfilter.Rule("-s 192.0.2.1 -j DROP"));
        kernel.nft().chains.put("KUBE-FORWARD", new ArrayList<>(List.of(new FakeNetfilter.Rule("-j ACCEPT"))));
        kernel.sets.put("KUBE-SET", new FakeNetfilter.FakeSet("hash:ip", "inet", 65536, new TreeSet<>()));
        IptablesDataplane dp = dataplane();
        dp.apply(program("tiered"));
        assertThat(forward()).hasSize(2).first().asString().endsWith("-j tortie-FORWARD");

        dp.remove();

        assertThat(kernel.nft().chains.keySet()).containsExactly("INPUT", "FORWARD", "OUTPUT", "KUBE-FORWARD");
        assertThat(forward()).containsExactly("-s 192.0.2.1 -j DROP");
        assertThat(kernel.sets.keySet()).containsExactly("KUBE-SET");
        assertThat(dp.remove().changed()).isFalse();
        assertThat(dp.reconcile().changed()).isFalse();
    }

    @Test
    void backendDetection() {
        FakeNetfilter k = new FakeNetfilter();
        assertThat(IptablesBackend.detect(k, DataplaneConfig.IptablesMode.AUTO)).isEqualTo(IptablesBackend.NFT);
        k.tables.get("legacy").chains.get("FORWARD").add(new FakeNetfilter.Rule("-j KUBE"));
        assertThat(IptablesBackend.detect(k, DataplaneConfig.IptablesMode.AUTO)).isEqualTo(IptablesBackend.LEGACY);
        k.nft().chains.put("tortie-FORWARD", new ArrayList<>());
        assertThat(IptablesBackend.detect(k, DataplaneConfig.IptablesMode.AUTO)).isEqualTo(IptablesBackend.NFT);
        k.nftAvailable = false;
        assertThat(IptablesBackend.detect(k, DataplaneConfig.IptablesMode.AUTO)).isEqualTo(IptablesBackend.LEGACY);
        assertThatThrownBy(() -> IptablesBackend.detect(k, DataplaneConfig.IptablesMode.NFT))
                .isInstanceOf(DataplaneException.class)
                .hasMessageContaining("iptables-nft-save");
        k.legacyAvailable = false;
        assertThatThrownBy(() -> IptablesBackend.detect(k, DataplaneConfig.IptablesMode.AUTO))
                .isInstanceOf(DataplaneException.class);
    }

    @Test
    void legacyBackendIsDrivenThroughItsOwnTools() {
        IptablesDataplane dp = new IptablesDataplane(
                kernel,
                NFT.toBuilder()
                        .iptablesMode(DataplaneConfig.IptablesMode.LEGACY)
                        .build());
        dp.apply(program("article"));
        assertThat(dp.backend()).isEqualTo(IptablesBackend.LEGACY);
        assertThat(kernel.tables.get("legacy").chains).containsKey(ChainNames.FORWARD);
        assertThat(kernel.nft().chains).doesNotContainKey(ChainNames.FORWARD);
    }

    private static List<String> withKernelChains(java.util.Collection<String> tortie) {
        List<String> out = new ArrayList<>(List.of("INPUT", "FORWARD", "OUTPUT"));
        out.addAll(tortie);
        return out;
    }
}
