package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live clusters must cost nothing when they are not used: a snapshot run in a fresh JVM loads no fabric8, Vert.x or
 * {@code dev.tortie.shell.kube} class (they would add seconds to every one-shot command).
 */
class SnapshotStartupIT {
    @Test
    void snapshotModeLoadsNoClusterClient() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(
                        java.toString(),
                        "-verbose:class",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tortie.shell.Main",
                        "--snapshot",
                        MockCluster.ARTICLE.toString(),
                        "-c",
                        "trace app-a -> app-b:80"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("DENY");
        List<String> loaded = output.lines()
                .filter(l -> l.contains("[class,load]"))
                .filter(l -> l.contains(" io.fabric8.")
                        || l.contains(" io.vertx.")
                        || l.contains(" io.netty.")
                        || l.contains(" dev.tortie.shell.kube."))
                .toList();
        assertThat(loaded).isEmpty();
    }
}
