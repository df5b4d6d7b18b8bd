package dev.tortie.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.SnapshotSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole REPL loop in-process over a dumb terminal fed from a string: commands, state between them, errors that do
 * not end the session, exit, EOF and the history file. (ReplIT drives a real terminal.)
 */
class ReplStreamsTest {
    @TempDir
    Path home;

    private record Run(int code, String output) {}

    private static Terminal dumb(String input, ByteArrayOutputStream output) throws IOException {
        return new DumbTerminal(
                "tortie-test",
                Terminal.TYPE_DUMB,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                output,
                StandardCharsets.UTF_8);
    }

    private Run repl(String input) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("TORTIE_HOME", home.toString());
        try (Terminal terminal = dumb(input, bytes)) {
            Repl repl = new Repl(
                    terminal,
                    env,
                    true,
                    (out, err, style, width) -> new Session(
                            out,
                            err,
                            style,
                            width,
                            Clock.systemUTC(),
                            env,
                            () -> SnapshotSource.load(List.of(Path.of("../examples/article")), Instant.EPOCH, d -> {}),
                            OutputFormat.TABLE,
                            null));
            int code = repl.run();
            return new Run(code, bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void runsCommandsKeepsStateSurvivesErrorsAndExits() throws IOException {
        Run run = repl(String.join(
                "\n",
                "use namespace app-b",
                "expect deny app-a/app-a-deployment -> app-b-deployment:80",
                "frobnicate",
                "trace nowhere -> app-b:80",
                "trace 'unterminated -> x",
                "",
                "help use",
                "exit",
                "policies -A",
                ""));
        assertThat(run.code()).isZero();
        String out = run.output();
        assertThat(out).contains("tortie on snapshot: 2 namespaces, 2 pods, 2 policies");
        assertThat(out).contains("tortie snapshot:default> ");
        assertThat(out).contains("tortie snapshot:app-b> ");
        assertThat(out).contains("PASS expect deny app-a/app-a-deployment -> app-b-deployment:80");
        assertThat(out).contains("error: unknown command 'frobnicate'");
        assertThat(out).contains("error: unknown pod or namespace 'nowhere'");
        assertThat(out).contains("error: unterminated ' quote");
        assertThat(out).contains("Switch the current namespace or cluster context");
        assertThat(out).doesNotContain("allow-app-a-egress"); // policies ran after exit: never
        assertThat(out).doesNotContain("\u001b["); // a dumb terminal gets no colour
        List<String> history = Files.readAllLines(home.resolve("history-snapshot"));
        assertThat(history).anySatisfy(l -> assertThat(l).endsWith(":use namespace app-b"));
        assertThat(history).anySatisfy(l -> assertThat(l).endsWith(":exit"));
    }

    @Test
    void endOfInputIsAQuietExit() throws IOException {
        Run run = repl("use namespace app-a\n");
        assertThat(run.code()).isZero();
        assertThat(run.output()).contains("context snapshot, namespace app-a");
        Run again = repl("use\n");
        assertThat(again.output()).contains("context snapshot, namespace default");
        assertThat(Files.readAllLines(home.resolve("history-snapshot")))
                .extracting(l -> l.substring(l.indexOf(':') + 1))
                .containsExactly("use namespace app-a", "use");
    }

    @Test
    void aSourceThatCannotLoadStillGivesAPrompt() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("TORTIE_HOME", home.toString());
        try (Terminal terminal = dumb("trace a -> b:80\nexit\n", bytes)) {
            int code = new Repl(
                            terminal,
                            env,
                            false,
                            (out, err, style, width) -> new Session(
                                    out,
                                    err,
                                    style,
                                    width,
                                    Clock.systemUTC(),
                                    env,
                                    () -> SnapshotSource.load(List.of(Path.of("no-such-dir")), Instant.EPOCH, d -> {}),
                                    OutputFormat.TABLE,
                                    null))
                    .run();
            assertThat(code).isZero();
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("error: no such file or directory: no-such-dir");
        assertThat(out).contains("tortie no-source:-> ");
    }
}
