package dev.tortie.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.os.FakeNetnsRunner;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunPrefixTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void freshPrefixCarriesThisPidInHexAndFourRandomHexDigits() {
        RunPrefix prefix = RunPrefix.create();
        assertThat(prefix.value()).matches("tortie-" + Long.toHexString(SELF) + "-[0-9a-f]{4}");
        assertThat(prefix.pid()).isEqualTo(SELF);
        assertThat(RunPrefix.parse(prefix.value())).isEqualTo(prefix);
        assertThat(RunPrefix.forPid(0x1a2b, 0xff)).hasToString("tortie-1a2b-00ff");
        assertThat(RunPrefix.forPid(0x1a2b, 0xff).name("node")).isEqualTo("tortie-1a2b-00ff-node");
    }

    @Test
    void ownerRecognisesOnlyTheExactFormat() {
        RunPrefix p = RunPrefix.forPid(0x1a2b, 0xff);
        assertThat(RunPrefix.owner("tortie-1a2b-00ff-node")).contains(p);
        assertThat(RunPrefix.owner("tortie-1a2b-00ff-p0123456789a")).contains(p);
        assertThat(RunPrefix.owner("tortie-1a2b-00ff")).contains(p);
        assertThat(RunPrefix.owner("tortie-1a2b-00ff-node").map(RunPrefix::pid)).contains(0x1a2bL);
        for (String foreign : List.of(
                "tortie-exp-8852",
                "tortie-1a2b-0ff-node",
                "tortie-1A2B-00ff-node",
                "tortie-1a2b-00ffnode",
                "tortie-1a2b-00ff-",
                "xtortie-1a2b-00ff-node",
                "calico-1a2b-00ff-node",
                "tortie--00ff-node",
                "tortie-0-00ff-node",
                "tortie-ffffffffffffffff-00ff",
                "default")) {
            assertThat(RunPrefix.owner(foreign)).as(foreign).isEqualTo(Optional.empty());
        }
        assertThat(p.owns("tortie-1a2b-00ff-node")).isTrue();
        assertThat(p.owns("tortie-1a2b-00fe-node")).isFalse();
    }

    @Test
    void parseRejectsAnythingButAPrefix() {
        assertThatThrownBy(() -> RunPrefix.parse("tortie-1a2b-00ff-node"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tortie-<pid hex>-<4 hex>");
        assertThatThrownBy(() -> RunPrefix.forPid(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunPrefix.forPid(1, 0x10000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sweepDeletesOnlyNamespacesOfDeadRunsInOneBatch() {
        String self = RunPrefix.forPid(SELF, 1).name("node");
        FakeNetnsRunner fake = new FakeNetnsRunner(
                "tortie-2a-0001-node", // pid 42: alive
                "tortie-2a-0001-p0123456789a",
                "tortie-63-beef-node", // pid 99: dead
                "tortie-63-beef-p0123456789a",
                "tortie-63-cafe", // pid 99, bare prefix
                self, // this process
                "tortie-exp-8852", // someone else's format
                "tortie-63-beef", // dead
                "cni-1234", // not ours at all
                "tortie-zz-0000-node");
        List<String> swept = RunPrefix.sweepStale(fake, pid -> pid == 42);

        assertThat(swept)
                .containsExactly(
                        "tortie-63-beef-node", "tortie-63-beef-p0123456789a", "tortie-63-cafe", "tortie-63-beef");
        assertThat(fake.namespaces())
                .containsExactly(
                        "tortie-2a-0001-node",
                        "tortie-2a-0001-p0123456789a",
                        self,
                        "tortie-exp-8852",
                        "cni-1234",
                        "tortie-zz-0000-node");
        assertThat(fake.commands())
                .containsExactly(List.of("ip", "netns", "list"), List.of("ip", "-force", "-batch", "-"));
    }

    @Test
    void sweepNeverAsksAboutItsOwnPid() {
        FakeNetnsRunner fake = new FakeNetnsRunner(RunPrefix.forPid(SELF, 7).name("node"));
        assertThat(RunPrefix.sweepStale(fake, pid -> false)).isEmpty();
        assertThat(fake.namespaces()).hasSize(1);
        assertThat(fake.commands()).containsExactly(List.of("ip", "netns", "list"));
    }

    @Test
    void sweepWithNothingStaleRunsOnlyTheListing() {
        FakeNetnsRunner fake = new FakeNetnsRunner("default", "tortie-exp-1");
        assertThat(RunPrefix.sweepStale(fake)).isEmpty();
        assertThat(fake.commands()).hasSize(1);
    }

    @Test
    void deletesItsOwnNamespacesByPrefix() {
        RunPrefix p = RunPrefix.forPid(0x2a, 1);
        FakeNetnsRunner fake = new FakeNetnsRunner("tortie-2a-0001-node", "tortie-2a-0002-node", "tortie-2a-0001-px");
        assertThat(p.namespaces(fake)).containsExactly("tortie-2a-0001-node", "tortie-2a-0001-px");
        assertThat(p.deleteNamespaces(fake)).containsExactly("tortie-2a-0001-node", "tortie-2a-0001-px");
        assertThat(fake.namespaces()).containsExactly("tortie-2a-0002-node");
    }
}
