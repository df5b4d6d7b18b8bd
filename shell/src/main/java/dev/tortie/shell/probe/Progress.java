package dev.tortie.shell.probe;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * Progress on stderr for work that takes more than a second: a bar redrawn in place on a terminal, a line at each
 * quarter otherwise. Silent when the work ends within the first second. Thread-safe.
 */
public final class Progress implements AutoCloseable {
    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final int BAR = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final long start = System.nanoTime();
    private int total;
    private int lastQuarter;
    private boolean drawn;
    private long lastDraw;

    /**
     * @param err where to write
     * @param terminal redraw in place (true on a TTY)
     * @param label what is counted, e.g. {@code probes}
     * @param total how many there are (0 when unknown: then a plain status line is shown)
     */
    public Progress(PrintWriter err, boolean terminal, String label, int total) {
        this.err = Objects.requireNonNull(err, "err == null");
        this.terminal = terminal;
        this.label = Objects.requireNonNull(label, "label == null");
        this.total = total;
    }

    public synchronized void total(int value) {
        total = value;
    }

    /** {@code done} of the total finished. */
    public synchronized void update(int done) {
        long now = System.nanoTime();
        if (now - start < QUIET_NANOS || total <= 0) {
            return;
        }
        if (terminal) {
            if (now - lastDraw < 50_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) BAR * done / total);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " + done + "/" + total + " " + label);
            err.flush();
            drawn = true;
        } else {
            int quarter = (int) (4L * done / total);
            if (quarter > lastQuarter && done < total) {
                lastQuarter = quarter;
                err.println(label + ": " + done + "/" + total);
                err.flush();
            }
        }
    }

    /** A status line (for waits without a count), shown after the first second. */
    public synchronized void status(String text) {
        if (System.nanoTime() - start < QUIET_NANOS) {
            return;
        }
        if (terminal) {
            err.print("\r" + text + "\u001b[K");
            drawn = true;
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** Clears the bar (on a terminal). */
    @Override
    public synchronized void close() {
        if (terminal && drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
