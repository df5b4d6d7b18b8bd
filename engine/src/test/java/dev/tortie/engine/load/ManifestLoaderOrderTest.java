package dev.tortie.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ManifestLoader#load} converts document by document as it parses; its diagnostics come out as when a whole
 * text was parsed first, converted next, and the diagnostics put in document order (stable: a document's parse errors
 * before its objects' diagnostics).
 */
class ManifestLoaderOrderTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Namespace
                  metadata: {name: Bad_Name}
                - 42
                - apiVersion: v1
                  kind: Service
                  metadata: {name: s}
                - not an object
                ---
                kind: [broken
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: a, labels: {x: 1}}
                ---
                - a list
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                """,
                """
                apiVersion: v1
                kind: PodList
                items: [1, {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostNetwork: true}}, x]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                """
            })
    void diagnosticsInDocumentOrder(String text) {
        ParsedText parsed = ManifestParser.parse("o.yaml", text);
        List<Diagnostic> expected = new ArrayList<>(parsed.diagnostics());
        expected.addAll(ManifestLoader.loadManifests(parsed.manifests()).diagnostics());
        expected.sort(Comparator.comparingInt(d -> d.source().document()));

        LoadResult loaded = ManifestLoader.load("o.yaml", text);

        assertThat(loaded.diagnostics()).isEqualTo(expected).hasSizeGreaterThanOrEqualTo(4);
        assertThat(loaded.namespaces())
                .isEqualTo(ManifestLoader.loadManifests(parsed.manifests()).namespaces());
        assertThat(loaded.endpoints())
                .isEqualTo(ManifestLoader.loadManifests(parsed.manifests()).endpoints());
    }
}
