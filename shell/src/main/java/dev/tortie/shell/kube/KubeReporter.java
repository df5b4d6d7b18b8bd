package dev.tortie.shell.kube;

import dev.tortie.engine.load.Diagnostic;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a live source tells the user things: notices about the connection (a resource that cannot be read, Calico not
 * installed) and the converters' diagnostics for objects read from the cluster. Called from informer threads in watch
 * mode, so implementations must be thread-safe.
 */
public interface KubeReporter {
    /** A one-line message about the cluster as a whole. */
    void notice(Diagnostic.Severity severity, String message);

    /** A converter's finding about one object (names the object and field). */
    void diagnostic(Diagnostic diagnostic);

    /** Reports nothing (tests, background sources). */
    static KubeReporter silent() {
        return new KubeReporter() {
            @Override
            public void notice(Diagnostic.Severity severity, String message) {}

            @Override
            public void diagnostic(Diagnostic diagnostic) {}
        };
    }

    /**
     * Prints notices as {@code info: }, {@code warning: } or {@code error: } lines on {@code err} and hands object
     * diagnostics to {@code diagnostics} (the application's usual printer, which hides INFO unless --debug).
     */
    static KubeReporter printing(PrintWriter err, Consumer<Diagnostic> diagnostics) {
        Objects.requireNonNull(err, "err == null");
        Objects.requireNonNull(diagnostics, "diagnostics == null");
        return new KubeReporter() {
            @Override
            public void notice(Diagnostic.Severity severity, String message) {
                String prefix =
                        switch (severity) {
                            case ERROR -> "error: ";
                            case WARNING -> "warning: ";
                            case INFO -> "info: ";
                        };
                synchronized (err) {
                    err.println(prefix + message);
                    err.flush();
                }
            }

            @Override
            public void diagnostic(Diagnostic diagnostic) {
                synchronized (err) {
                    diagnostics.accept(diagnostic);
                }
            }
        };
    }
}
