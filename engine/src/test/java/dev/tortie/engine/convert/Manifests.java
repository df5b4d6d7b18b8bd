package dev.tortie.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.load.ManifestParser;
import dev.tortie.engine.load.ParsedText;
import java.util.List;

/** Test helpers: one YAML object in, one manifest out; diagnostics as strings. */
final class Manifests {
    private Manifests() {}

    static Manifest one(String yaml) {
        ParsedText parsed = ManifestParser.parse("test.yaml", yaml);
        assertThat(parsed.diagnostics()).isEmpty();
        assertThat(parsed.manifests()).hasSize(1);
        return parsed.manifests().get(0);
    }

    static List<String> messages(Converted<?> converted) {
        return converted.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    static List<String> errors(Converted<?> converted) {
        return converted.errors().stream().map(Diagnostic::toString).toList();
    }
}
