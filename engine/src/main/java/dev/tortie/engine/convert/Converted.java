package dev.tortie.engine.convert;

import dev.tortie.engine.load.Diagnostic;
import java.util.List;

/**
 * The result of converting one object: the model value, or null when the object has an error or is skipped (a
 * host-network pod, a staged delete, ...), plus everything worth telling the user.
 */
public record Converted<T>(T value, List<Diagnostic> diagnostics) {
    public Converted {
        diagnostics = List.copyOf(diagnostics);
        if (value != null && anyError(diagnostics)) {
            throw new IllegalArgumentException("an object with errors must not carry a value");
        }
    }

    public boolean isPresent() {
        return value != null;
    }

    public boolean hasErrors() {
        return anyError(diagnostics);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /** A loop, not a stream: this runs for every object loaded. */
    private static boolean anyError(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.isError()) {
                return true;
            }
        }
        return false;
    }
}
