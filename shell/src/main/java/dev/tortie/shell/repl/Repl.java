package dev.tortie.shell.repl;

import dev.tortie.shell.command.ErrorMapper;
import dev.tortie.shell.command.ExitCommand;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.command.Tokenizer;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliCommands;

/**
 * The interactive shell. Reads lines with JLine (history, Ctrl-R search, TAB completion, {@code ?} listing), runs each
 * command through {@link ShellCommands} on a worker thread (Ctrl-C interrupts it and the prompt comes back), and
 * survives every error: failures are reported through {@link ErrorMapper} and the loop goes on. Ctrl-D or
 * {@code exit} leaves with status 0.
 *
 * <p>Keys: TAB completes (twice lists), {@code ?} lists what may come next with help (Ctrl-V ? types a literal one),
 * Up/Down and Ctrl-R search history (kept per context, see {@link HistoryFiles}), Ctrl-C cancels the line or
 * interrupts the running command, Ctrl-D on an empty line exits.
 */
public final class Repl {
    /** Makes the REPL's session once the terminal is known: output, colour and width come from it. */
    @FunctionalInterface
    public interface SessionFactory {
        Session create(PrintWriter out, PrintWriter err, Style style, int width);
    }

    private static final String EOF_OR_DELETE = "tortie-eof-or-delete";

    private final Terminal terminal;
    private final Map<String, String> env;
    private final boolean colorAllowed;
    private final SessionFactory sessionFactory;
    private String historyContext;

    /**
     * @param colorAllowed false with --no-color or NO_COLOR; colour is also off on a dumb terminal
     */
    public Repl(Terminal terminal, Map<String, String> env, boolean colorAllowed, SessionFactory sessionFactory) {
        this.terminal = Objects.requireNonNull(terminal, "terminal == null");
        this.env = Map.copyOf(env);
        this.colorAllowed = colorAllowed;
        this.sessionFactory = Objects.requireNonNull(sessionFactory, "sessionFactory == null");
    }

    /** Opens the process's terminal and runs the REPL on it until Ctrl-D or {@code exit}; returns the exit code. */
    public static int start(Map<String, String> env, boolean colorAllowed, SessionFactory sessionFactory)
            throws IOException {
        try (Terminal terminal = TerminalBuilder.builder()
                .name("tortie")
                .system(true)
                .dumb(true)
                .encoding(StandardCharsets.UTF_8)
                .build()) {
            return new Repl(terminal, env, colorAllowed, sessionFactory).run();
        }
    }

    public int run() {
        boolean dumb = terminal.getType().startsWith(Terminal.TYPE_DUMB);
        Style style = new Style(colorAllowed && !dumb);
        MutableOutput output = new MutableOutput(terminal.writer());
        PrintWriter out = new PrintWriter(output, false);
        Session session = sessionFactory.create(out, out, style, terminal.getWidth());
        session.setWidthSource(terminal::getWidth);
        CommandRunner runner = new CommandRunner(output::mute);
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> runner.cancel());
        try (session) {
            LineReader reader = reader(session, style);
            banner(session, style);
            loop(session, reader, runner, style);
            saveHistory(reader);
            return 0;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            terminal.writer().flush();
        }
    }

    private void loop(Session session, LineReader reader, CommandRunner runner, Style style) {
        while (true) {
            followContext(session, reader);
            String line;
            try {
                line = reader.readLine(prompt(session, style));
            } catch (UserInterruptException e) {
                continue; // Ctrl-C on the line: drop it, new prompt
            } catch (EndOfFileException e) {
                return; // Ctrl-D
            }
            if (line.isBlank()) {
                continue;
            }
            if (runLine(session, line, runner, style)) {
                return;
            }
        }
    }

    /** Runs the {@code ;}-separated commands of one line; returns true when one of them was {@code exit}. */
    private static boolean runLine(Session session, String line, CommandRunner runner, Style style) {
        try {
            for (String command : Tokenizer.splitCommands(line)) {
                List<String> words = Tokenizer.words(command);
                // A Ctrl-C at the prompt interrupts the reading thread; if that lands after the line was cancelled
                // the flag lingers and would cancel this command as soon as it started.
                Thread.interrupted();
                CommandRunner.Outcome outcome = runner.run(() -> ShellCommands.run(session, words));
                if (outcome.cancelled()) {
                    session.err().println(" " + style.yellow("interrupted"));
                    session.err().flush();
                    return false;
                }
                if (ExitCommand.isExit(words) && outcome.exitCode() == 0) {
                    return true;
                }
                if (outcome.exitCode() >= 3) {
                    return false; // like -c: the rest of the line depended on this one
                }
            }
        } catch (RuntimeException | Error e) {
            ErrorMapper.report(session, e);
        }
        return false;
    }

    private LineReader reader(Session session, Style style) {
        CommandLine commandLine = ShellCommands.newCommandLine(session);
        Completions completions = new Completions(commandLine.getCommandSpec());
        PicocliCommands picocli = new PicocliCommands(commandLine);
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false); // an unclosed quote is an error on Enter, not a continuation prompt
        historyContext = contextName(session);
        Path history = HistoryFiles.forContext(env, historyContext);
        prepareHistoryFile(session, history);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("tortie")
                .parser(parser)
                .completer(new ReplCompleter(completions, () -> names(session), () -> namespace(session)))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' belongs to selectors, not history
                .option(LineReader.Option.INSERT_TAB, false)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
        NextTokensWidget help = new NextTokensWidget(
                reader,
                completions,
                picocli,
                () -> names(session),
                () -> namespace(session),
                () -> prompt(session, style),
                style);
        reader.getWidgets().put(NextTokensWidget.NAME, help);
        // Ctrl-D on an empty line leaves. JLine decides that by comparing the key with the terminal's VEOF character
        // as it read it when the line started, which after a command sometimes does not match; this widget does not
        // depend on it. On a non-empty line Ctrl-D deletes (or lists) as before.
        reader.getWidgets().put(EOF_OR_DELETE, () -> {
            if (reader.getBuffer().length() == 0) {
                throw new EndOfFileException();
            }
            reader.callWidget(LineReader.DELETE_CHAR_OR_LIST);
            return true;
        });
        for (String map : List.of(LineReader.EMACS, LineReader.VIINS)) {
            KeyMap<Binding> keys = reader.getKeyMaps().get(map);
            if (keys != null) {
                keys.bind(new Reference(NextTokensWidget.NAME), "?");
                keys.bind(new Reference(EOF_OR_DELETE), KeyMap.ctrl('D'));
            }
        }
        return reader;
    }

    private static void banner(Session session, Style style) {
        String loaded = "";
        try {
            loaded = session.source()
                    .read(index -> ": " + index.namespaces().size() + " namespaces, "
                            + index.endpoints().size() + " pods, "
                            + index.policies().size() + " policies");
            loaded = session.source().name() + loaded;
        } catch (RuntimeException e) {
            ErrorMapper.report(session, e);
            loaded = "no cluster source";
        }
        session.out().println(style.bold("tortie") + " on " + loaded);
        session.out()
                .println(style.dim("TAB completes, ? shows what may come next, help COMMAND explains; Ctrl-D leaves."));
        session.out().flush();
    }

    /** {@code tortie snapshot:default> }: the source (cluster context) and the current namespace. */
    static String prompt(Session session, Style style) {
        return style.bold("tortie") + " " + style.cyan(contextName(session)) + ":" + style.yellow(namespace(session))
                + "> ";
    }

    private static String contextName(Session session) {
        return session.hasSource() ? session.source().name() : "no-source";
    }

    private static String namespace(Session session) {
        try {
            return session.hasSource() ? session.namespace() : "-";
        } catch (RuntimeException e) {
            return "-";
        }
    }

    private static ClusterNames names(Session session) {
        if (!session.hasSource()) {
            return ClusterNames.EMPTY;
        }
        return session.source().read(ClusterNames::of);
    }

    /** After {@code use context}, history continues in the new context's file. */
    private void followContext(Session session, LineReader reader) {
        String now = contextName(session);
        if (now.equals(historyContext)) {
            return;
        }
        saveHistory(reader);
        historyContext = now;
        Path file = HistoryFiles.forContext(env, now);
        reader.setVariable(LineReader.HISTORY_FILE, file);
        prepareHistoryFile(session, file);
        try {
            reader.getHistory().load();
        } catch (IOException | RuntimeException e) {
            session.warn("cannot read history " + file + ": " + e.getMessage());
        }
    }

    /** Creates the history file (and its folder) so a load always replaces what the previous context left. */
    private static void prepareHistoryFile(Session session, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } catch (IOException e) {
            session.warn("history will not be saved: cannot create " + file + " (" + e.getMessage() + ")");
        }
    }

    private static void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // history is a convenience; the session already warned when the file could not be created
        }
    }
}
