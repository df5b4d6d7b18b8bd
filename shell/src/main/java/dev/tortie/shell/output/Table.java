package dev.tortie.shell.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table that fits a terminal width: columns shrink from the widest down (cells are cut with "…") rather
 * than wrapping lines.
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(c == null ? "" : c.toString());
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render(int maxWidth) {
        int n = headers.size();
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
            widths[i] = Style.width(headers.get(i));
        }
        for (List<String> r : rows) {
            for (int i = 0; i < n && i < r.size(); i++) {
                widths[i] = Math.max(widths[i], Style.width(r.get(i)));
            }
        }
        int total = Arrays.stream(widths).sum() + 3 * (n - 1);
        // The last column (labels, reasons) gives way first; then the widest.
        while (maxWidth > 0 && total > maxWidth && widths[n - 1] > 12) {
            widths[n - 1]--;
            total--;
        }
        while (maxWidth > 0 && total > maxWidth) {
            int widest = 0;
            for (int i = 1; i < n; i++) {
                if (widths[i] > widths[widest]) {
                    widest = i;
                }
            }
            if (widths[widest] <= 8) {
                break;
            }
            widths[widest]--;
            total--;
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths);
        for (List<String> r : rows) {
            line(sb, r, widths);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "";
            int w = Style.width(cell);
            if (w > widths[i]) {
                cell = cut(cell, widths[i]);
                w = widths[i];
            }
            line.append(cell);
            if (i < widths.length - 1) {
                line.append(" ".repeat(widths[i] - w + 3));
            }
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static String cut(String cell, int width) {
        if (cell.indexOf('\u001b') >= 0) {
            return cell; // coloured cells are short verdict words; never cut escapes in half
        }
        return width <= 1 ? cell.substring(0, width) : cell.substring(0, width - 1) + "…";
    }
}
