package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.render.ipset.IpsetRenderer;
import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.ir.NodeProgram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The iptables-restore text ({@code NAME.rules}) and ipset restore text ({@code NAME.ipset}) of every named scenario,
 * pinned as golden files; the listing ({@code NAME.rules.txt}) is pinned too because it is what operators read.
 */
class IptablesGoldenTest {

    static java.util.List<String> scenarios() {
        return Scenarios.GOLDEN;
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void golden(String name) {
        ClusterIndex index = Scenarios.load(name);
        NodeProgram program = index.nodeProgram(null);
        DataplaneConfig config = DataplaneConfig.defaults();
        Ruleset ruleset = IptablesRenderer.render(program, config);
        IpsetRendering sets = IpsetRenderer.render(program, ruleset.auxiliarySets(), config);
        Golden.check(name + ".rules", ruleset.toRestoreText());
        Golden.check(name + ".rules.txt", ruleset.toListing());
        Golden.check(name + ".ipset", sets.toRestoreText());

        // Deterministic: a second render (and one from a fresh index) is identical.
        assertThat(IptablesRenderer.render(Scenarios.load(name).nodeProgram(null), config))
                .isEqualTo(ruleset);
        // Every referenced set is defined.
        assertThat(sets.byName().keySet()).containsAll(ruleset.referencedSets());
        // Every chain name fits and every jump target exists.
        for (IptablesChain c : ruleset.chains()) {
            assertThat(c.name().length()).isLessThanOrEqualTo(ChainNames.MAX_LENGTH);
            assertThat(ruleset.chainsByName().keySet()).containsAll(c.targets());
        }
    }
}
