package dev.tortie.engine.load;

import java.util.List;

/** What {@link ManifestParser} found in one text: the objects in document order, and the problems. */
public record ParsedText(List<Manifest> manifests, List<Diagnostic> diagnostics) {
    public ParsedText {
        manifests = List.copyOf(manifests);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
