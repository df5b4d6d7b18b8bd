package dev.tortie.dataplane.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetnsTest {
    @Test
    void parsesIpNetnsListWithAndWithoutIds() {
        assertThat(Netns.parseList("tortie-1-0000-node (id: 3)\nother\n\n  spaced (id: 12)\n"))
                .containsExactly("tortie-1-0000-node", "other", "spaced");
        assertThat(Netns.parseList("")).isEmpty();
    }

    @Test
    void rejectsNamesThatCouldEscapeOrSplitABatchLine() {
        for (String bad : List.of("", "a b", "a/b", "..", "-x", "a\nnetns delete b", "a;b")) {
            assertThatThrownBy(() -> Netns.checkName(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid network namespace name");
        }
        assertThat(Netns.checkName("tortie-1a-00ff-p0123456789a")).isEqualTo("tortie-1a-00ff-p0123456789a");
        assertThat(Netns.path("x")).hasToString("/var/run/netns/x");
    }

    @Test
    void createAndDeleteAllUseOneBatchProcess() {
        FakeNetnsRunner fake = new FakeNetnsRunner("keep");
        Netns.createAll(fake, List.of("a", "b"));
        assertThat(fake.namespaces()).containsExactly("keep", "a", "b");
        assertThat(fake.commands()).containsExactly(List.of("ip", "-batch", "-"));
        assertThat(fake.stdins()).containsExactly("netns add a\nnetns add b\n");

        CommandResult result = Netns.deleteAll(fake, List.of("a", "gone", "b"));
        assertThat(result.ok()).isFalse(); // "gone" did not exist, but -force carried on
        assertThat(fake.namespaces()).containsExactly("keep");
        assertThat(fake.commands().get(1)).containsExactly("ip", "-force", "-batch", "-");
    }

    @Test
    void createAllStopsAndThrowsOnTheFirstFailure() {
        FakeNetnsRunner fake = new FakeNetnsRunner("b");
        assertThatThrownBy(() -> Netns.createAll(fake, List.of("a", "b", "c")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exists");
        assertThat(fake.namespaces()).containsExactly("b", "a");
    }

    @Test
    void singleOperationsAndExists() {
        FakeNetnsRunner fake = new FakeNetnsRunner();
        Netns.create(fake, "x");
        assertThat(Netns.exists(fake, "x")).isTrue();
        assertThat(Netns.list(fake)).containsExactly("x");
        Netns.delete(fake, "x");
        assertThat(Netns.exists(fake, "x")).isFalse();
        assertThatThrownBy(() -> Netns.delete(fake, "x")).isInstanceOf(CommandFailedException.class);
        assertThat(Netns.deleteAll(fake, List.of()).ok()).isTrue();
    }
}
