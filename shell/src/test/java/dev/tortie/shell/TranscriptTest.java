package dev.tortie.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.shell.command.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Transcript (golden) tests: each file under src/test/resources/transcripts holds {@code > ARGS} lines followed by
 * the expected stdout, stderr lines prefixed {@code ! } and {@code = exit N}. The test runs every command through the
 * real wiring (no colour, fixed width 120) and compares the regenerated transcript with the file. Regenerate with
 * -Dgolden.update=true and review the diff.
 */
class TranscriptTest {
    private static final Path DIR = Path.of("src", "test", "resources", "transcripts");

    @TestFactory
    Stream<DynamicTest> transcripts() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String original = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder actual = new StringBuilder();
        // "#" comments and "> " commands only where a command may start (first line, after a comment or
        // "= exit"): inside a command's output they are output (runbooks echo their commands as "> CMD", policy show
        // prints "# ..." lines).
        boolean commandMayStart = true;
        for (String line : original.split("\n", -1)) {
            if (commandMayStart && line.startsWith("#")) {
                actual.append(line).append('\n');
            } else if (line.startsWith("= exit")) {
                commandMayStart = true;
            } else if (commandMayStart && line.startsWith("> ")) {
                actual.append(line).append('\n');
                actual.append(run(line.substring(2)));
                commandMayStart = false;
            }
        }
        String regenerated = actual.toString();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, regenerated, StandardCharsets.UTF_8);
            return;
        }
        assertThat(regenerated)
                .as("transcript %s (regenerate with -Dgolden.update=true)", file)
                .isEqualTo(original);
    }

    /** Runs one command line; returns stdout, stderr (prefixed "! ") and the exit code line. */
    static String run(String commandLine) {
        List<String> args = Tokenizer.words(commandLine);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tortie.run(
                args.toArray(new String[0]),
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of("COLUMNS", "120"),
                false);
        StringBuilder sb = new StringBuilder(out.toString());
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        for (String line : err.toString().split("\n")) {
            if (!line.isEmpty()) {
                sb.append("! ").append(line).append('\n');
            }
        }
        sb.append("= exit ").append(code).append('\n');
        return sb.toString();
    }

    static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\n")));
    }
}
