package dev.tortie.engine.load;

import java.util.Objects;

/** A named text to load: the shell reads files (or stdin) and hands their contents over in these. */
public record SourceText(String location, String text) {
    public SourceText {
        Objects.requireNonNull(location, "location == null");
        Objects.requireNonNull(text, "text == null");
    }
}
