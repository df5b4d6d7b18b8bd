package dev.tortie.shell.doc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * man/ is generated from the same picocli definitions as --help: this test regenerates every page and fails when a
 * file differs or is missing (regenerate with -Dgolden.update=true or scripts/gen-man), and checks `man` renders
 * tortie(1) when man is installed.
 */
class ManPagesTest {
    private static final Path MAN = Path.of("..", "man");

    @Test
    void manPagesMatchTheCommandDefinitions() throws Exception {
        Map<String, String> pages = ManPageWriter.pages();
        if (Boolean.getBoolean("golden.update")) {
            try (Stream<Path> old = Files.list(MAN)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".1")).toList()) {
                    Files.delete(p);
                }
            }
            ManPageWriter.main(new String[] {MAN.toString()});
        }
        assertThat(pages).containsKeys("tortie.1", "tortie-trace.1", "tortie-endpoints.1");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = MAN.resolve(page.getKey());
            assertThat(file)
                    .as("man page %s is missing: run scripts/gen-man", file)
                    .exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s drifted from the command definitions: run scripts/gen-man", file)
                    .isEqualTo(page.getValue());
        }
        try (Stream<Path> files = Files.list(MAN)) {
            assertThat(files.filter(p -> p.toString().endsWith(".1"))
                            .map(p -> p.getFileName().toString()))
                    .as("pages in man/ for commands that no longer exist")
                    .allMatch(pages::containsKey);
        }
    }

    @Test
    void everyOptionOfTraceIsDocumented() {
        String trace = ManPageWriter.pages().get("tortie-trace.1");
        assertThat(trace)
                .contains("\\-\\-icmp\\-type")
                .contains("\\-o, \\-\\-output")
                .contains(".SH DESCRIPTION");
    }

    @Test
    void manRendersTheMainPage() throws Exception {
        if (!new java.io.File("/usr/bin/man").canExecute()) {
            return; // rendering is checked where man is installed (CI installs man-db)
        }
        Process p = new ProcessBuilder(
                        "man", "-l", "-P", "cat", MAN.resolve("tortie.1").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("NAME").contains("trace").contains("EXIT STATUS");
    }
}
