package dev.tortie.engine.load;

import dev.tortie.engine.model.ObjectSource;

/**
 * A problem found in input: where (file, document, line), which object, which field, and what is wrong.
 *
 * @param object e.g. "NetworkPolicy app-b/allow-a"; null when the document has no identity yet
 * @param field a path into the object, e.g. "spec.ingress[0].ports[0].port"; null when it concerns the whole object
 */
public record Diagnostic(Severity severity, ObjectSource source, String object, String field, String message) {
    public enum Severity {
        ERROR,
        WARNING,
        INFO
    }

    public static Diagnostic error(ObjectSource source, String object, String field, String message) {
        return new Diagnostic(Severity.ERROR, source, object, field, message);
    }

    public static Diagnostic warning(ObjectSource source, String object, String field, String message) {
        return new Diagnostic(Severity.WARNING, source, object, field, message);
    }

    public static Diagnostic info(ObjectSource source, String object, String field, String message) {
        return new Diagnostic(Severity.INFO, source, object, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file.yaml document 2 (line 14): NetworkPolicy app-b/allow-a: spec.ingress[0].ports[0].port: ...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(source);
        if (object != null) {
            sb.append(": ").append(object);
        }
        if (field != null) {
            sb.append(": ").append(field);
        }
        sb.append(": ").append(message);
        return sb.toString();
    }
}
