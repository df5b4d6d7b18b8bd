package dev.tortie.shell.repl;

import dev.tortie.shell.output.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jline.console.CmdDesc;
import org.jline.reader.Buffer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.Widget;
import org.jline.utils.AttributedString;
import picocli.shell.jline3.PicocliCommands;

/**
 * The {@code ?} key: lists what may come next at the cursor (with one line of help each) above the prompt and leaves
 * the line as it was, like Junos. Inside quotes, or after a backslash, {@code ?} is just a character; Ctrl-V ? also
 * inserts one anywhere.
 */
final class NextTokensWidget implements Widget {
    static final String NAME = "tortie-next-tokens";

    private final LineReader reader;
    private final Completions completions;
    private final PicocliCommands commands;
    private final Supplier<ClusterNames> names;
    private final Supplier<String> namespace;
    private final Supplier<String> prompt;
    private final Style style;

    NextTokensWidget(
            LineReader reader,
            Completions completions,
            PicocliCommands commands,
            Supplier<ClusterNames> names,
            Supplier<String> namespace,
            Supplier<String> prompt,
            Style style) {
        this.reader = reader;
        this.completions = completions;
        this.commands = commands;
        this.names = names;
        this.namespace = namespace;
        this.prompt = prompt;
        this.style = style;
    }

    @Override
    public boolean apply() {
        Buffer buffer = reader.getBuffer();
        String upToCursor = buffer.substring(0, buffer.cursor());
        if (literal(upToCursor)) {
            buffer.write('?');
            return true;
        }
        try {
            ParsedLine line = reader.getParser().parse(upToCursor, upToCursor.length(), Parser.ParseContext.COMPLETE);
            List<String> before = new ArrayList<>(line.words().subList(0, line.wordIndex()));
            String partial = line.word()
                    .substring(0, Math.min(line.wordCursor(), line.word().length()));
            String ns = namespace.get();
            List<Completions.Suggestion> next = completions.suggest(names.get(), ns, before, partial, true);
            boolean runnable = partial.isEmpty() && completions.runnable(before, partial, ns);
            Completions.Position at = completions.position(before, ns);
            String usage = at.atRoot() ? null : usage(at.path());
            String echo = AttributedString.stripAnsi(prompt.get()) + upToCursor + "?";
            reader.printAbove(NextTokens.render(
                    echo, next, runnable, usage, reader.getTerminal().getWidth(), style));
        } catch (RuntimeException e) {
            reader.printAbove("(no help here: " + e.getMessage() + ")");
        }
        return true;
    }

    private String usage(List<String> path) {
        CmdDesc desc = commands.commandDescription(path);
        if (desc == null || desc.getMainDesc() == null || desc.getMainDesc().isEmpty()) {
            return null;
        }
        return desc.getMainDesc().get(0).toString().replaceAll("\\s+", " ").trim();
    }

    /** Inside an open quote, or right after a backslash, '?' is text. */
    static boolean literal(String text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
            } else if (c == '\\') {
                if (i == text.length() - 1) {
                    return true;
                }
                i++;
            } else if (c == '\'' || c == '"') {
                quote = c;
            }
        }
        return quote != 0;
    }
}
