package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.shell.agent.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code tortie agent --uninstall} (what deploy/uninstall.yaml runs on every node) removes everything tortie
 * programmed, on both dataplanes: no tortie chain, rule or IP set left in the node namespace, no pinned eBPF link or
 * map left; {@code node check} then reports every compiled object missing.
 */
class AgentUninstallPrivilegedIT {
    @TestFactory
    Stream<DynamicTest> uninstallRemovesTheKernelState() {
        return LabHarness.dataplanes().stream().map(dp -> DynamicTest.dynamicTest(dp, () -> run(dp)));
    }

    private static void run(String dataplane) {
        LabPrivileged.require();
        try (LabHarness lab = new LabHarness(
                Lab.Options.defaults().withDataplane(dataplane).withAgentRefresh(Duration.ofMinutes(10)))) {
            lab.source.load(List.of(Path.of("..", "examples", "article")), line -> {});
            assertThat(lab.run("node", "check").exit()).isZero();
            Path pinDir = lab.lab().agent().dataplane() instanceof BpfDataplane bpf
                    ? bpf.options().pinDir()
                    : Path.of("/nonexistent/tortie-test-pins");
            if (dataplane.equals("iptables")) {
                assertThat(lab.nodeRules()).contains("tortie-");
            } else {
                assertThat(pinDir).isDirectory();
            }
            List<String> log = new ArrayList<>();
            AgentProcess.uninstall(
                    new AgentProcess.Settings(
                            lab.lab().node(),
                            dataplane,
                            "cali",
                            null,
                            null,
                            lab.lab().network().nodeNamespace(),
                            pinDir,
                            Duration.ofSeconds(10),
                            false,
                            false,
                            "127.0.0.1",
                            0,
                            true),
                    lab.lab().network().nodeRunner(),
                    log::add);
            assertThat(log).last().asString().contains("has no tortie kernel state");
            if (dataplane.equals("iptables")) {
                assertThat(lab.nodeRules()).doesNotContain("tortie");
                assertThat(lab.nodeSets()).doesNotContain("tortie");
            }
            assertThat(Files.exists(pinDir)).as("pin directory removed").isFalse();
            LabHarness.Run check = lab.run("node", "check");
            assertThat(check.exit()).isEqualTo(1);
            assertThat(check.out()).contains("missing");
        }
    }
}
