package dev.tortie.shell.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.SnapshotSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outside the lab there are no real probes yet: the commands say so instead of inventing verdicts. */
class ProbeWithoutLabTest {
    private static Path root() {
        return Path.of(System.getProperty("tortie.root", "..")).toAbsolutePath().normalize();
    }

    private static String[] run(String... words) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path article = root().resolve("examples/article");
        try (Session session = new Session(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                new Style(false),
                0,
                Clock.systemUTC(),
                Map.of(),
                () -> SnapshotSource.load(List.of(article), Instant.EPOCH, d -> {}),
                OutputFormat.TABLE,
                "app-a")) {
            int code = ShellCommands.run(session, List.of(words));
            return new String[] {Integer.toString(code), out.toString(), err.toString()};
        }
    }

    @Test
    void probeOnALiveClusterIsNotImplementedYet() {
        String[] r = run("probe", "app-a", "->", "app-b:80");
        assertThat(r[0]).isEqualTo("3");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).contains("probe: live-cluster exec probes not implemented yet");
        assertThat(run("probe", "--matrix")[2])
                .contains("probe --matrix: live-cluster exec probes not implemented yet");
        assertThat(run("trace", "--live", "app-a", "->", "app-b:80")[2])
                .contains("trace --live: live-cluster exec probes not implemented yet");
    }

    @Test
    void usageErrorsAreReported() {
        assertThat(run("probe")[2]).contains("expected SRC -> DST:PORT[/PROTO] or --matrix");
        assertThat(run("probe", "--matrix", "a", "->", "b:80")[2]).contains("probe --matrix takes no flow");
        assertThat(run("probe", "--timeout", "0", "a", "->", "b:80")[2]).contains("--timeout must be 1-60000 ms");
    }

    @Test
    void agentOptionsAreChecked() {
        String[] r = run("agent", "--node", "n1", "--dataplane", "ebpf");
        assertThat(r[0]).isEqualTo("3");
        assertThat(r[2]).contains("--dataplane 'ebpf': expected one of [iptables, bpf]");
        assertThat(run("agent", "--node", "n1", "--interface-prefix", "veth")[2])
                .contains("--interface-prefix 'veth': expected one of [cali, eni]");
    }
}
