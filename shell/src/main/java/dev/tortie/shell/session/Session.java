package dev.tortie.shell.session;

import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
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
        return width;
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
