package dev.tortie.dataplane.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The value types of the syscall layer, without touching the kernel. */
class SysValuesTest {
    @Test
    void mapSpecsFollowKernelRules() {
        assertThat(MapSpec.lpmTrie("cali_v4_ip_sets", 20, 4, 1 << 20).flags()).isEqualTo(MapSpec.F_NO_PREALLOC);
        assertThatThrownBy(() -> MapSpec.hash("a_name_that_is_too_long", 4, 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 15 characters");
        assertThatThrownBy(() -> MapSpec.hash("bad-name", 4, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MapSpec(MapType.LPM_TRIE, "t", 20, 4, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("F_NO_PREALLOC");
        assertThatThrownBy(() -> MapSpec.lpmTrie("t", 4, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MapSpec(MapType.ARRAY, "a", 8, 4, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MapSpec.progArray("jump", 8)).hasToString("map jump (prog_array 4/4 x 8)");
    }

    @Test
    void possibleCpuListsParse() {
        assertThat(PossibleCpus.parse("0\n")).isEqualTo(1);
        assertThat(PossibleCpus.parse("0-3\n")).isEqualTo(4);
        assertThat(PossibleCpus.parse("0-3,5,7-8\n")).isEqualTo(9);
    }

    @Test
    void errnoNames() {
        assertThat(Errno.describe(1)).isEqualTo("EPERM (Operation not permitted)");
        assertThat(Errno.name(22)).isEqualTo("EINVAL");
        assertThat(Errno.name(4242)).isEqualTo("errno 4242");
        BpfException e = new BpfException(BpfCommand.BPF_MAP_CREATE, 1, "map x");
        assertThat(e).hasMessage("BPF_MAP_CREATE (map x): EPERM (Operation not permitted)");
        assertThat(e.errnoName()).isEqualTo("EPERM");
    }

    @Test
    void verifierRejectionShowsTheTailOfTheLog() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            log.append("line ").append(i).append('\n');
        }
        VerifierRejectedException e = new VerifierRejectedException("p", "program p", Errno.EACCES, log.toString());
        assertThat(e.getMessage())
                .startsWith("BPF_PROG_LOAD (program p): EACCES (Permission denied): verifier rejected the program:\n")
                .endsWith("  line 19")
                .contains("  line 14")
                .doesNotContain("line 13");
        assertThat(e.verifierLog()).isEqualTo(log.toString());
    }

    @Test
    void loadOptionsDefaultToGplTcClassifierWithLogOnRejection() {
        LoadOptions o = LoadOptions.schedCls();
        assertThat(o.type()).isEqualTo(ProgramType.SCHED_CLS);
        assertThat(o.license()).isEqualTo("GPL");
        assertThat(o.logLevel()).isZero();
        assertThatThrownBy(() -> o.withLogLevel(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withName("way_too_long_program_name")).isInstanceOf(IllegalArgumentException.class);
    }
}
