package dev.tortie.dataplane.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.plan.IpsetSaveParser;
import dev.tortie.dataplane.render.iptables.Scenarios;
import dev.tortie.engine.ir.NodeProgram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The iptables dataplane against the real kernel, inside a throw-away network namespace, with iptables-nft and with
 * iptables-legacy: apply, read back, no-op re-apply, tamper and repair, a rejected transaction, removal.
 */
class IptablesDataplanePrivilegedIT {
    private PrivilegedNetns ns;

    @BeforeEach
    void setUp() {
        PrivilegedNetns.assumeCapable(
                "iptables-nft-save",
                "iptables-nft-restore",
                "iptables-legacy-save",
                "iptables-legacy-restore",
                "ipset");
        ns = PrivilegedNetns.create("dp");
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private static NodeProgram program(String scenario) {
        return Scenarios.load(scenario).nodeProgram(null);
    }

    private static String tool(IptablesBackend backend) {
        return backend == IptablesBackend.NFT ? "iptables-nft" : "iptables-legacy";
    }

    /** The filter table (rules per chain, without counters) and the sets (without initval) in a stable order. */
    private String snapshot(IptablesBackend backend) {
        Map<String, List<String>> chains = new TreeMap<>();
        for (String line :
                ns.exec(tool(backend) + "-save", "-t", "filter").stdout().split("\n")) {
            if (line.startsWith(":")) {
                chains.computeIfAbsent(line.substring(1).split(" ")[0], k -> new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                chains.computeIfAbsent(line.split(" ")[1], k -> new ArrayList<>())
                        .add(line);
            }
        }
        return chains + "\n"
                + new TreeMap<>(IpsetSaveParser.parse(ns.exec("ipset", "save").stdout()));
    }

    private List<String> forwardRules(IptablesBackend backend) {
        List<String> out = new ArrayList<>();
        for (String line :
                ns.exec(tool(backend) + "-save", "-t", "filter").stdout().split("\n")) {
            if (line.startsWith("-A FORWARD ")) {
                out.add(line);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void applyReadBackTamperRepairFailRemove(IptablesBackend backend) {
        AtomicInteger restores = new AtomicInteger();
        CommandRunner inner = ns.runner();
        CommandRunner counting = (argv, stdin, timeout) -> {
            if (argv.get(0).endsWith("-restore")) {
                restores.incrementAndGet();
            }
            return inner.run(argv, stdin, timeout);
        };
        DataplaneConfig config = DataplaneConfig.builder()
                .iptablesMode(
                        backend == IptablesBackend.NFT
                                ? DataplaneConfig.IptablesMode.NFT
                                : DataplaneConfig.IptablesMode.LEGACY)
                .build();
        IptablesDataplane dp = new IptablesDataplane(counting, config);

        // apply and read back
        ApplyReport first = dp.apply(program("tiered"));
        assertThat(first.changes()).contains("jump from FORWARD inserted at position 1");
        String good = snapshot(backend);
        for (var chain : dp.desired().ruleset().chains()) {
            assertThat(good).contains(chain.name() + "=[-A " + chain.name());
        }
        assertThat(forwardRules(backend)).singleElement().asString().endsWith("-j tortie-FORWARD");
        assertThat(dp.backend()).isEqualTo(backend);

        // a second apply is a no-op: nothing written
        int before = restores.get();
        ApplyReport second = dp.apply(program("tiered"));
        assertThat(second.changeCount()).isZero();
        assertThat(restores.get()).isEqualTo(before);
        assertThat(snapshot(backend)).isEqualTo(good);

        // tamper: flush an endpoint chain, delete the FORWARD jump, put a foreign rule first, empty one set and
        // destroy another (after unhooking the rules that use it, as the kernel insists)
        String ipt = tool(backend);
        String endpointChain = dp.desired().ruleset().chains().stream()
                .filter(c -> c.name().startsWith("tortie-tw-"))
                .findFirst()
                .orElseThrow()
                .name();
        ns.exec(ipt, "-F", endpointChain);
        ns.exec(ipt, "-D", "FORWARD", "1");
        ns.exec(ipt, "-I", "FORWARD", "1", "-s", "192.0.2.1", "-j", "DROP");
        List<String> sets = new ArrayList<>(dp.desired().sets().byName().keySet());
        String emptied = sets.get(0);
        String destroyed = sets.get(1);
        ns.exec("ipset", "flush", emptied);
        for (var chain : dp.desired().ruleset().chains()) {
            if (chain.referencedSets().contains(destroyed)) {
                ns.exec(ipt, "-F", chain.name());
            }
        }
        ns.exec("ipset", "destroy", destroyed);
        assertThat(snapshot(backend)).isNotEqualTo(good);

        ApplyReport repair = dp.reconcile();

        assertThat(repair.changes())
                .contains("chain " + endpointChain + " rewritten", "jump from FORWARD inserted at position 1")
                .anyMatch(c -> c.startsWith("set " + emptied + " updated"))
                .anyMatch(c -> c.startsWith("set " + destroyed + " created"));
        List<String> forward = forwardRules(backend);
        assertThat(forward).hasSize(2);
        assertThat(forward.get(0)).endsWith("-j tortie-FORWARD");
        assertThat(forward.get(1)).contains("192.0.2.1");
        ns.exec(ipt, "-D", "FORWARD", "-s", "192.0.2.1", "-j", "DROP");
        assertThat(snapshot(backend)).isEqualTo(good);
        assertThat(dp.reconcile().changed()).isFalse();

        // a transaction the kernel rejects changes nothing (also no sets) and says why
        dp.withRestoreHook(text -> text.replace("COMMIT", "-A tortie-FORWARD -m bogus-match -j DROP\nCOMMIT"));
        assertThatThrownBy(() -> dp.apply(program("many-ports")))
                .isInstanceOfSatisfying(DataplaneException.class, e -> {
                    assertThat(e.argv()).contains(ipt + "-restore", "--noflush");
                    assertThat(e.stderr()).contains("bogus-match");
                    assertThat(e.stateChanged()).isFalse();
                });
        assertThat(snapshot(backend)).isEqualTo(good);
        dp.withRestoreHook(text -> text);
        assertThat(dp.reconcile().changed()).isTrue(); // the rejected program stays desired and now goes in
        assertThat(snapshot(backend)).isNotEqualTo(good).contains("tortie-po-");

        // remove everything
        dp.remove();
        String empty = ns.exec(ipt + "-save", "-t", "filter").stdout();
        assertThat(empty).doesNotContain("tortie");
        assertThat(ns.exec("ipset", "list", "-n").stdout().strip()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void everyGoldenScenarioLoadsIntoTheKernel(IptablesBackend backend) {
        DataplaneConfig config = DataplaneConfig.builder()
                .iptablesMode(
                        backend == IptablesBackend.NFT
                                ? DataplaneConfig.IptablesMode.NFT
                                : DataplaneConfig.IptablesMode.LEGACY)
                .build();
        IptablesDataplane dp = new IptablesDataplane(ns.runner(), config);
        for (String scenario : Scenarios.GOLDEN) {
            dp.apply(program(scenario));
            assertThat(dp.reconcile().changed()).as(scenario).isFalse();
            CommandResult save =
                    ns.runner().run(List.of(tool(backend) + "-save", "-t", "filter"), null, Duration.ofSeconds(30));
            assertThat(save.stdout()).as(scenario).contains(":tortie-FORWARD");
        }
        dp.remove();
        assertThat(ns.exec(tool(backend) + "-save", "-t", "filter").stdout()).doesNotContain("tortie");
    }
}
