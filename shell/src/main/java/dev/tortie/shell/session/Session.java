package dev.tortie.shell.session;

import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Everything a command may touch: output streams, terminal width and colour, the output format, the current
 * namespace, the cluster source (made on first use, so commands that need no cluster start fast), and a clock.
 */
public final class Session implements AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final int width;
    private final Clock clock;
    private final Map<String, String> environment;
    private final Supplier<ClusterSource> sourceFactory;
    private ClusterSource source;
    private OutputFormat format;
    private String namespace;
    private boolean debug;
    private IntSupplier widthSource;
    private Function<String, ClusterSource> contextSwitcher;

    public Session(
            PrintWriter out,
            PrintWriter err,
            Style style,
            int width,
            Clock clock,
            Map<String, String> environment,
            Supplier<ClusterSource> sourceFactory,
            OutputFormat format,
            String namespace) {
        this.out = Objects.requireNonNull(out, "out == null");
        this.err = Objects.requireNonNull(err, "err == null");
        this.style = style;
        this.width = width;
        this.clock = clock;
        this.environment = Map.copyOf(environment);
        this.sourceFactory = sourceFactory;
        this.format = format;
        this.namespace = namespace;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public Style style() {
        return style;
    }

    public int width() {
        return widthSource != null ? widthSource.getAsInt() : width;
    }

    /** Width that follows the terminal (the REPL sets this so tables fit after a resize). */
    public void setWidthSource(IntSupplier widthSource) {
        this.widthSource = widthSource;
    }

    public Clock clock() {
        return clock;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** The cluster source, created on first use. */
    public synchronized ClusterSource source() {
        if (source == null) {
            source = sourceFactory.get();
        }
        return source;
    }

    public synchronized boolean hasSource() {
        return source != null;
    }

    /** Replaces the cluster source (e.g. {@code use context}); the old one is closed. */
    public synchronized void replaceSource(ClusterSource replacement) {
        if (source != null) {
            source.close();
        }
        source = replacement;
    }

    /**
     * How {@code use context NAME} opens another source; null when the session cannot switch (a snapshot has no
     * contexts). Set by the application, which knows how to reach live clusters.
     */
    public synchronized void setContextSwitcher(Function<String, ClusterSource> contextSwitcher) {
        this.contextSwitcher = contextSwitcher;
    }

    public synchronized boolean canSwitchContext() {
        return contextSwitcher != null;
    }

    /**
     * Opens context {@code name} and makes it the source (the old one is closed only once the new one opened); the
     * namespace goes back to the new source's default.
     */
    public void switchContext(String name) {
        Function<String, ClusterSource> switcher;
        synchronized (this) {
            switcher = contextSwitcher;
        }
        if (switcher == null) {
            String current = hasSource() ? source().name() : "snapshot";
            String what =
                    current.equals("snapshot") ? "this session reads a snapshot" : "source " + current + " has none";
            throw TortieException.usage(
                    "contexts apply to live clusters; " + what + " (start tortie with --context NAME instead)");
        }
        ClusterSource next = switcher.apply(name);
        replaceSource(next);
        synchronized (this) {
            namespace = null;
        }
    }

    public OutputFormat format() {
        return format;
    }

    public void setFormat(OutputFormat format) {
        this.format = format;
    }

    /** Current namespace: explicit {@code use namespace}, else the source's default. */
    public String namespace() {
        if (namespace != null) {
            return namespace;
        }
        return source().defaultNamespace();
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public boolean debug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public void warn(String message) {
        err.println(style.yellow("warning: ") + message);
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (source != null) {
            source.close();
            source = null;
        }
        out.flush();
        err.flush();
    }
}
