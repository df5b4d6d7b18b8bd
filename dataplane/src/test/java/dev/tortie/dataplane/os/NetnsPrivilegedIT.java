package dev.tortie.dataplane.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real setns(2): needs root. Namespaces are named {@code tortie-<pid>-<rand>-...} and removed afterwards. */
class NetnsPrivilegedIT {
    private static final CommandRunner RUN = ProcessRunner.INSTANCE;
    private static String prefix;
    private static String a;
    private static String b;

    @BeforeEach
    void requireRoot() {
        Privileged.requireNetns(); // per test, so a skip is reported (with its reason) for every test
        if (prefix == null) {
            createNamespaces();
        }
    }

    private static void createNamespaces() {
        prefix = "tortie-" + Long.toHexString(ProcessHandle.current().pid()) + "-"
                + String.format("%04x", new Random().nextInt(0x10000));
        a = prefix + "-a";
        b = prefix + "-b";
        Netns.createAll(RUN, List.of(a, b));
        RUN.run("ip", "-n", a, "link", "set", "lo", "up").orThrow();
    }

    @AfterAll
    static void deleteNamespaces() {
        if (prefix == null) {
            return;
        }
        Netns.deleteAll(RUN, List.of(a, b));
        assertThat(Netns.list(RUN)).noneMatch(n -> n.startsWith(prefix));
    }

    @Test
    void switchesTheCurrentThreadAndAlwaysSwitchesBack() throws Exception {
        String home = Netns.currentId();
        String inA = Netns.call(a, Netns::currentId);
        assertThat(inA).isNotEqualTo(home).isEqualTo(Netns.idOf(a));
        assertThat(Netns.currentId()).isEqualTo(home);

        String nested = Netns.call(a, () -> {
            String inner = Netns.call(b, Netns::currentId);
            assertThat(Netns.currentId()).isEqualTo(inA); // the inner call restored the outer namespace
            return inner;
        });
        assertThat(nested).isEqualTo(Netns.idOf(b)).isNotEqualTo(inA);
        assertThat(Netns.currentId()).isEqualTo(home);

        assertThatThrownBy(() -> Netns.call(a, () -> {
                    throw new IOException("boom");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("boom");
        assertThat(Netns.currentId()).isEqualTo(home);
    }

    @Test
    void aMissingNamespaceFailsBeforeRunningTheTask() {
        String home = Netns.currentId();
        assertThatThrownBy(() -> Netns.call(prefix + "-missing", () -> {
                    throw new AssertionError("must not run");
                }))
                .isInstanceOf(Netns.NetnsException.class)
                .hasMessageContaining(prefix + "-missing")
                .hasMessageContaining("No such file");
        assertThat(Netns.currentId()).isEqualTo(home);
    }

    @Test
    void socketsStayInTheNamespaceTheyWereCreatedIn() throws Exception {
        try (ServerSocketChannel server = Netns.call(a, () -> {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s;
        })) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            // Connected from this (root-namespace) thread, a socket made inside a reaches a's listener.
            try (SocketChannel client = Netns.call(a, () -> SocketChannel.open(StandardProtocolFamily.INET))) {
                assertThat(client.connect(new InetSocketAddress("127.0.0.1", port)))
                        .isTrue();
            }
            // A socket made in b has its own loopback: nothing listens there.
            try (SocketChannel other = Netns.call(b, () -> SocketChannel.open(StandardProtocolFamily.INET))) {
                assertThatThrownBy(() -> other.connect(new InetSocketAddress("127.0.0.1", port)))
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void createListExistsDelete() {
        String c = prefix + "-c";
        Netns.create(RUN, c);
        try {
            assertThat(Netns.exists(RUN, c)).isTrue();
            assertThat(Netns.list(RUN)).contains(a, b, c);
        } finally {
            Netns.delete(RUN, c);
        }
        assertThat(Netns.exists(RUN, c)).isFalse();
        assertThatThrownBy(() -> Netns.delete(RUN, c)).isInstanceOf(CommandFailedException.class);
    }
}
