package dev.tortie.shell.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed runbook: one command per line; blank lines and {@code #} comments (whole lines, or after whitespace outside
 * quotes) are skipped; a line ending in {@code \} continues on the next. Each step remembers the line it started on.
 */
public record Runbook(String name, List<Step> steps) {
    public Runbook {
        Objects.requireNonNull(name, "name == null");
        steps = List.copyOf(steps);
    }

    /**
     * One command as written (continuations joined with a space). {@code problem} is non-null when the line cannot
     * be run at all (a continuation that runs off the end of the file).
     */
    public record Step(int line, String text, String problem) {
        public Step {
            Objects.requireNonNull(text, "text == null");
        }
    }

    /** Number of steps that are {@code expect} assertions. */
    public long expectations() {
        return steps.stream().filter(s -> isExpectation(s.text())).count();
    }

    static boolean isExpectation(String text) {
        return text.equals("expect") || text.startsWith("expect ");
    }

    public static Runbook parse(String name, String content) {
        List<Step> steps = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String line = stripComment(raw).stripTrailing();
            boolean continues = endsWithContinuation(line);
            if (continues) {
                line = line.substring(0, line.length() - 1).stripTrailing();
            }
            if (pending == null) {
                if (line.isBlank() && !continues) {
                    continue;
                }
                pending = new StringBuilder(line.strip());
                start = i + 1;
            } else if (!line.isBlank()) {
                if (pending.length() > 0) {
                    pending.append(' ');
                }
                pending.append(line.strip());
            }
            if (!continues) {
                if (pending.length() > 0) {
                    steps.add(new Step(start, pending.toString(), null));
                }
                pending = null;
            }
        }
        if (pending != null) {
            steps.add(new Step(
                    start,
                    pending.toString(),
                    "line " + start + ": the command continues ('\\' at the end of a line) past the end of the file"));
        }
        return new Runbook(name, steps);
    }

    /** An odd number of trailing backslashes continues the line ({@code \\} is an escaped backslash). */
    private static boolean endsWithContinuation(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** Drops a {@code #} comment: at the start of the line, or after whitespace and outside quotes. */
    static String stripComment(String line) {
        char quote = 0;
        boolean wordStart = true; // at the start of the line or after unescaped whitespace
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
                wordStart = false;
            } else if (c == '\\') {
                i++;
                wordStart = false;
            } else if (c == '\'' || c == '"') {
                quote = c;
                wordStart = false;
            } else if (c == '#' && wordStart) {
                return line.substring(0, i);
            } else {
                wordStart = Character.isWhitespace(c);
            }
        }
        return line;
    }
}
