package dev.tortie.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real REPL on a real terminal: {@code tortie --snapshot ../examples/article} runs in a detached tmux session (a
 * pseudo-terminal), keys go in with {@code tmux send-keys}, the screen comes back with {@code tmux capture-pane}; a
 * bash wrapper prints tortie's exit status (it traps SIGINT so Ctrl-C reaches only tortie). Each test class run uses
 * its own tmux server (socket) so nothing else on the machine is touched. Needs tmux and bash; without tmux the tests
 * skip (and fail when CI=true).
 */
class ReplIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PROMPT = "tortie snapshot:default>";
    private static final String SOCKET =
            "tortie-replit-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path temp;

    private final List<String> sessions = new ArrayList<>();
    private String session;

    @BeforeEach
    void needsTmux() {
        boolean available;
        try {
            available = new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            available = false;
        }
        if (!available && "true".equals(System.getenv("CI"))) {
            fail("tmux is needed for the REPL terminal tests (CI=true: not skipping)");
        }
        Assumptions.assumeTrue(available, "tmux is not installed: skipping the REPL terminal tests");
    }

    @AfterEach
    void killSessions() throws Exception {
        if (sessions.isEmpty()) {
            return;
        }
        String socket = tmux("display-message", "-p", "-t", sessions.get(0), "#{socket_path}")
                .trim();
        for (String s : sessions) {
            tmux("kill-session", "-t", s);
        }
        tmux("kill-server");
        if (socket.endsWith(SOCKET)) {
            Files.deleteIfExists(Path.of(socket));
        }
    }

    @Test
    void promptTabCompletionAndQuestionMark() throws Exception {
        start("../examples/article");
        awaitLastLine(PROMPT);

        type("tra");
        keys("Tab");
        awaitLastLine(PROMPT + " trace");

        type("app-a -> app-b/app-b-deployment-7");
        keys("Tab");
        awaitLastLine(PROMPT + " trace app-a -> app-b/app-b-deployment-7b9c6d4f8-m4p7z:");
        type("80");
        keys("Enter");
        awaitScreen(s -> s.contains("=> DENY: denied at ingress of app-b/app-b-deployment-7b9c6d4f8-m4p7z"), "trace");
        awaitLastLine(PROMPT);

        type("use namespace app-");
        keys("Tab");
        awaitScreen(s -> s.contains("app-a (namespace, 1 pod)") && s.contains("app-b (namespace, 1 pod)"), "list");
        type("b");
        keys("Enter");
        awaitLastLine("tortie snapshot:app-b>");

        type("trace app-a ");
        type("?");
        awaitScreen(
                s -> s.contains("tortie snapshot:app-b> trace app-a ?")
                        && s.contains("->  ")
                        && s.contains("then the destination: DST:PORT[/PROTO]")
                        && s.contains("-n, --namespace NS")
                        && s.contains("usage: tortie trace"),
                "the ? listing");
        awaitLastLine("tortie snapshot:app-b> trace app-a"); // the line is still there to finish
        type("-> app-b:80 ");
        type("?");
        awaitScreen(s -> s.contains("<Enter>") && s.contains("run the command"), "<Enter> when complete");
        keys("C-u");
        type("?");
        awaitScreen(s -> s.contains("  expect ") && s.contains("Check that a flow is allowed or denied"), "commands");
        awaitLastLine("tortie snapshot:app-b>");
    }

    @Test
    void errorsAndCtrlCKeepTheSessionAndCtrlDExitsCleanly() throws Exception {
        start("../examples/article");
        awaitLastLine(PROMPT);

        type("frobnicate");
        keys("Enter");
        awaitScreen(s -> s.contains("error: unknown command 'frobnicate'"), "error");
        awaitLastLine(PROMPT);

        type("trace nowhere -> app-b:80");
        keys("Enter");
        awaitScreen(s -> s.contains("error: unknown pod or namespace 'nowhere'"), "error");
        awaitLastLine(PROMPT);

        type("endpoi");
        awaitLastLine(PROMPT + " endpoi");
        keys("C-c");
        awaitLastLine(PROMPT);
        type("endpoints -A");
        keys("Enter");
        awaitScreen(s -> s.contains("app-b-deployment-7b9c6d4f8-m4p7z   10.65.0.11"), "endpoints after Ctrl-C");
        awaitLastLine(PROMPT);

        keys("C-d");
        awaitExit(0);
    }

    @Test
    void ctrlCInterruptsARunningCommand() throws Exception {
        Path big = temp.resolve("big");
        Files.createDirectories(big);
        Files.writeString(big.resolve("cluster.yaml"), bigCluster(25, 60), StandardCharsets.UTF_8);
        start(big.toString());
        awaitLastLine(PROMPT);

        type("matrix"); // 1500 pods: millions of traces, far longer than this test waits
        keys("Enter");
        Thread.sleep(1500);
        keys("C-c");
        awaitScreen(s -> s.contains("interrupted"), "interrupted");
        awaitLastLine(PROMPT);
        type("use");
        keys("Enter");
        awaitScreen(s -> s.contains("context snapshot, namespace default"), "a command after the interrupt");
        awaitLastLine(PROMPT);
        assertThat(screen()).doesNotContain("ns0/pod0 "); // the abandoned matrix printed nothing
        keys("C-d");
        awaitExit(0);
    }

    @Test
    void historyIsKeptAcrossSessionsAndSearchable() throws Exception {
        start("../examples/article");
        awaitLastLine(PROMPT);
        type("use namespace app-a");
        keys("Enter");
        awaitLastLine("tortie snapshot:app-a>");
        type("use");
        keys("Enter");
        awaitScreen(s -> s.contains("context snapshot, namespace app-a"), "use");
        awaitLastLine("tortie snapshot:app-a>");
        keys("Up");
        awaitLastLine("tortie snapshot:app-a> use");
        keys("Up");
        awaitLastLine("tortie snapshot:app-a> use namespace app-a");
        keys("C-u");
        type("exit");
        keys("Enter");
        awaitExit(0);

        assertThat(Files.readString(temp.resolve("home").resolve("history-snapshot")))
                .contains("use namespace app-a")
                .contains(":exit");

        start("../examples/article");
        awaitLastLine(PROMPT);
        keys("Up");
        awaitLastLine(PROMPT + " exit");
        keys("C-u", "C-r");
        type("names");
        awaitScreen(s -> s.contains("use namespace app-a") && s.contains("i-search"), "Ctrl-R search");
        keys("Enter");
        awaitLastLine("tortie snapshot:app-a>");
    }

    // ---- driving tmux ---------------------------------------------------------------------------------------------

    private void start(String snapshot) throws Exception {
        session = "tortie-replit-" + UUID.randomUUID().toString().substring(0, 8);
        sessions.add(session);
        Path home = temp.resolve("home");
        Files.createDirectories(home);
        Path script = temp.resolve("run-" + session + ".sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "#!/bin/bash",
                        "trap true INT", // Ctrl-C is for tortie; the wrapper must live on to report the status
                        "cd " + quote(Path.of("").toAbsolutePath().toString()),
                        "export TORTIE_HOME=" + quote(home.toString()),
                        "export CLASSPATH=" + quote(System.getProperty("java.class.path")),
                        "unset NO_COLOR",
                        quote(java) + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 dev.tortie.shell.Main --snapshot "
                                + quote(snapshot),
                        "echo \"tortie exited with status $?\"",
                        "exec sleep 600",
                        ""),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        String out = tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "50", script.toString());
        assertThat(out).isEmpty();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void type(String text) throws Exception {
        tmux("send-keys", "-t", session, "-l", "--", text);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", session);
    }

    private static String lastLine(String screen) {
        String[] lines = screen.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].stripTrailing();
            }
        }
        return "";
    }

    private void awaitLastLine(String expected) throws Exception {
        awaitScreen(s -> lastLine(s).equals(expected), "last line '" + expected + "'");
    }

    private void awaitExit(int status) throws Exception {
        awaitScreen(s -> s.contains("tortie exited with status "), "tortie to exit");
        assertThat(screen()).contains("tortie exited with status " + status + "\n");
    }

    private void awaitScreen(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String screen = screen();
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; the screen shows:\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
    }

    private static String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.addAll(List.of("tmux", "-L", SOCKET));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** A cluster big enough that {@code matrix} runs for a long time: pods open to one team's namespaces. */
    private static String bigCluster(int namespaces, int podsPerNamespace) {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < namespaces; n++) {
            sb.append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns")
                    .append(n)
                    .append("\n  labels:\n    team: t")
                    .append(n % 3)
                    .append('\n');
            for (int p = 0; p < podsPerNamespace; p++) {
                sb.append("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod")
                        .append(p)
                        .append("\n  namespace: ns")
                        .append(n)
                        .append("\n  labels:\n    app: a")
                        .append(p % 5)
                        .append("\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n")
                        .append("status:\n  podIP: 10.1.")
                        .append(n)
                        .append('.')
                        .append(p + 1)
                        .append('\n');
            }
            sb.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n")
                    .append("  namespace: ns")
                    .append(n)
                    .append("\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n")
                    .append("        matchLabels:\n          team: t1\n    ports:\n    - port: 80\n");
        }
        return sb.toString();
    }
}
