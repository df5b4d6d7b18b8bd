package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.lab.RunPrefix;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab's lifecycle on the real kernel: {@code lab up} then {@code lab down} leaves nothing behind, and a lab whose
 * process is killed with SIGKILL (no shutdown hook runs) is swept by the next lab that starts.
 */
class LabLifecyclePrivilegedIT {
    private String rootFirewallBefore;

    @BeforeEach
    void setUp() {
        LabPrivileged.require();
        rootFirewallBefore = LabPrivileged.rootFirewall();
    }

    @Test
    void upThenDownLeavesNothing() throws Exception {
        String prefix;
        int port;
        try (LabHarness lab = LabHarness.start()) {
            Path article = Lab.findExample("article").orElseThrow();
            assertThat(lab.run("lab", "load", article.toString()).exit()).isZero();
            prefix = lab.lab().network().prefix().value();
            port = lab.lab().api().port();
            assertThat(LabPrivileged.namespacesOf(prefix)).hasSize(3); // node + 2 pods
            LabHarness.Run status = lab.run("lab", "status", "-o", "json");
            assertThat(status.json()).containsEntry("state", "up").containsEntry("settled", true);
            assertThat(lab.lab().api().url()).startsWith("http://127.0.0.1:");

            LabHarness.Run down = lab.run("lab", "down");
            assertThat(down.exit()).isZero();
            assertThat(down.err()).contains("lab down");
            assertThat(LabPrivileged.namespacesOf(prefix))
                    .as("namespaces after lab down")
                    .isEmpty();
            assertThat(lab.run("lab", "status", "-o", "json").json()).containsEntry("state", "down");
            LabHarness.Run probe = lab.run("probe", "--matrix");
            assertThat(probe.exit()).isEqualTo(3);
            assertThat(probe.err()).contains("the lab is down: run 'lab up'");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            throw new AssertionError("the API server still listens on " + port);
        } catch (ConnectException expected) {
            // gone
        }
        assertThat(LabPrivileged.rootFirewall()).as("root namespace firewall").isEqualTo(rootFirewallBefore);
    }

    @Test
    void labUpAgainAfterDownStartsAFreshLab() {
        try (LabHarness lab = LabHarness.start()) {
            String first = lab.lab().network().prefix().value();
            assertThat(lab.run("lab", "down").exit()).isZero();
            LabHarness.Run up = lab.run("lab", "up");
            assertThat(up.exit()).as(up.err()).isZero();
            assertThat(up.err()).contains("lab up: API http://127.0.0.1:");
            String second = lab.lab().network().prefix().value();
            assertThat(second).isNotEqualTo(first);
            assertThat(LabPrivileged.namespacesOf(first)).isEmpty();
            assertThat(LabPrivileged.namespacesOf(second)).hasSize(1);
        }
    }

    @Test
    void aKilledLabIsSweptByTheNextStart() throws Exception {
        Path article = Lab.findExample("article").orElseThrow();
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LabChild.class.getName(),
                        article.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String prefix;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("child lab ready").startsWith("READY ");
            prefix = line.substring("READY ".length());
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(RunPrefix.parse(prefix).pid()).isEqualTo(child.pid());
        List<String> left = LabPrivileged.namespacesOf(prefix);
        assertThat(left).as("what the killed lab left").hasSize(3);

        try (LabHarness next = LabHarness.start()) {
            assertThat(next.lab().network().sweptOnStart()).containsAll(left);
            assertThat(String.join("\n", next.log)).contains("swept 3 namespace(s)");
        }
        assertThat(LabPrivileged.namespacesOf(prefix)).isEmpty();
        assertThat(LabPrivileged.rootFirewall()).as("root namespace firewall").isEqualTo(rootFirewallBefore);
    }
}
