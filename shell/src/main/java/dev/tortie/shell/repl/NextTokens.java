package dev.tortie.shell.repl;

import dev.tortie.shell.output.Style;
import java.util.List;

/**
 * The {@code ?} listing, Junos style: what may come next at the cursor, one per line with one line of help, then
 * {@code <Enter>} when the command could run as typed, and the command's usage line.
 */
final class NextTokens {
    private NextTokens() {}

    static String render(
            String echo, List<Completions.Suggestion> next, boolean runnable, String usage, int width, Style style) {
        StringBuilder sb = new StringBuilder();
        sb.append(echo).append('\n');
        int column = 0;
        for (Completions.Suggestion s : next) {
            column = Math.max(column, s.display().length());
        }
        if (runnable) {
            column = Math.max(column, "<Enter>".length());
        }
        column = Math.min(column, 40);
        if (next.isEmpty() && !runnable) {
            sb.append("  (nothing to complete here)\n");
        }
        int shown = 0;
        for (Completions.Suggestion s : next) {
            if (shown == 200) {
                sb.append("  ... ").append(next.size() - shown).append(" more (type a few letters and press ?)\n");
                break;
            }
            line(sb, s.display(), s.help(), column, width, style);
            shown++;
        }
        if (runnable) {
            line(sb, "<Enter>", "run the command", column, width, style);
        }
        if (usage != null && !usage.isBlank()) {
            sb.append(style.dim("usage: " + usage)).append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String display, String help, int column, int width, Style style) {
        int pad = Math.max(column - display.length(), 0);
        int used = 2 + display.length() + pad + 2;
        String text = help == null ? "" : help;
        if (width > 0 && used + text.length() > width) {
            int room = width - used - 1;
            text = room > 3 ? text.substring(0, room) + "…" : "";
        }
        sb.append("  ").append(style.bold(display));
        if (!text.isEmpty()) {
            sb.append(" ".repeat(pad)).append("  ").append(text);
        }
        sb.append('\n');
    }
}
