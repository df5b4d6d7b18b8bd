package dev.tortie.shell.doc;

import dev.tortie.shell.Tortie;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Builds the man pages from the live command definitions; {@code main(DIR)} writes them (scripts/gen-man). */
public final class ManPageWriter {
    static final List<String> EXAMPLES = List.of(
            "tortie --snapshot examples/article -c \"trace app-a -> app-b:80\"",
            "tortie --snapshot examples/article -o json -c \"matrix -n app-a -n app-b\"",
            "tortie --snapshot examples/article -c \"lint; diff -f examples/article-fixed\"",
            "tortie --lab -c \"lab load examples/article; probe --matrix --port 80/TCP\"",
            "tortie -f scripts/runbooks/article.tsh --snapshot examples/article");

    private ManPageWriter() {}

    public static Map<String, String> pages() {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(sink);
        CommandLine program = new CommandLine(new Tortie(w, w, Map.of(), false));
        Session session = new Session(
                w,
                w,
                new Style(false),
                0,
                Clock.systemUTC(),
                Map.of(),
                () -> {
                    throw new IllegalStateException("no cluster needed for documentation");
                },
                OutputFormat.TABLE,
                "default");
        CommandLine grammar = ShellCommands.newCommandLine(session);
        return ManPages.render(program.getCommandSpec(), grammar.getCommandSpec(), EXAMPLES);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "man");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> page : pages().entrySet()) {
            Files.writeString(dir.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
        }
    }
}
