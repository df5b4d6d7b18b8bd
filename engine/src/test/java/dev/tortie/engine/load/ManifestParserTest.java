package dev.tortie.engine.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.engine.model.ObjectSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private static List<String> names(ParsedText parsed) {
        return parsed.manifests().stream().map(Manifest::name).toList();
    }

    @Test
    void multipleDocumentsWithIndexAndLine() {
        ParsedText parsed = ManifestParser.parse(
                "a.yaml",
                """
                # leading comment
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: one}
                ---
                ---
                # only a comment
                ---

                apiVersion: v1
                kind: Namespace
                metadata: {name: two}
                ...
                """);
        assertThat(parsed.diagnostics()).isEmpty();
        assertThat(names(parsed)).containsExactly("one", "two");
        assertThat(parsed.manifests().get(0).source()).isEqualTo(new ObjectSource("a.yaml", 1, 3));
        assertThat(parsed.manifests().get(1).source()).isEqualTo(new ObjectSource("a.yaml", 4, 11));
    }

    @Test
    void documentWithoutLeadingMarker() {
        ParsedText parsed = ManifestParser.parse("b.yaml", "kind: A\nmetadata: {name: x}\n---\nkind: B\n");
        assertThat(parsed.manifests()).extracting(Manifest::kind).containsExactly("A", "B");
        assertThat(parsed.manifests()).extracting(m -> m.source().document()).containsExactly(1, 2);
        assertThat(parsed.manifests()).extracting(m -> m.source().line()).containsExactly(1, 4);
    }

    @Test
    void emptyTextAndEmptyDocuments() {
        assertThat(ManifestParser.parse("e.yaml", "").manifests()).isEmpty();
        assertThat(ManifestParser.parse("e.yaml", "---\n---\n# nothing\n").manifests())
                .isEmpty();
        assertThat(ManifestParser.parse("e.yaml", "--- ~\n").manifests()).isEmpty();
        assertThat(ManifestParser.parse("e.yaml", "---\n---\n").diagnostics()).isEmpty();
    }

    @Test
    void yaml12CoreSchemaKeepsYesNoOnAsStrings() {
        Manifest m = ManifestParser.parse(
                        "s.yaml",
                        "kind: X\nmetadata:\n  labels: {a: y, b: on, c: no, d: 'true', e: true, f: 010, g: 1.0}\n")
                .manifests()
                .get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> labels =
                (Map<String, Object>) ((Map<String, Object>) m.tree().get("metadata")).get("labels");
        assertThat(labels)
                .containsEntry("a", "y")
                .containsEntry("b", "on")
                .containsEntry("c", "no")
                .containsEntry("d", "true")
                .containsEntry("e", true)
                .containsEntry("f", 10)
                .containsEntry("g", 1.0);
    }

    @Test
    void treesAreImmutable() {
        Manifest m = ManifestParser.parse("i.yaml", "kind: X\nitems2: [1, 2]\n")
                .manifests()
                .get(0);
        assertThatThrownBy(() -> m.tree().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) m.tree().get("items2")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedDocumentIsReportedAndOthersStillLoad() {
        ParsedText parsed = ManifestParser.parse(
                "bad.yaml",
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: first}
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: broken
                    labels: x
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: third}
                """);
        assertThat(names(parsed)).containsExactly("first", "third");
        assertThat(parsed.manifests().get(1).source()).isEqualTo(new ObjectSource("bad.yaml", 3, 11));
        assertThat(parsed.diagnostics()).hasSize(1);
        Diagnostic d = parsed.diagnostics().get(0);
        assertThat(d.isError()).isTrue();
        assertThat(d.source().document()).isEqualTo(2);
        assertThat(d.source().line()).isEqualTo(9);
        assertThat(d.toString())
                .startsWith("bad.yaml document 2 (line 9): malformed YAML at line 9, column 11: mapping values are not"
                        + " allowed here");
    }

    @Test
    void unterminatedFlowMapping() {
        ParsedText parsed = ManifestParser.parse("f.yaml", "kind: A\n---\nkind: B\nmetadata: {name: x\n---\nkind: C\n");
        assertThat(parsed.manifests()).extracting(Manifest::kind).containsExactly("A", "C");
        assertThat(parsed.diagnostics()).hasSize(1);
        assertThat(parsed.diagnostics().get(0).toString()).startsWith("f.yaml document 2 (line ");
        assertThat(parsed.diagnostics().get(0).message()).startsWith("malformed YAML at line ");
    }

    @Test
    void duplicateKeysAreErrors() {
        ParsedText parsed = ManifestParser.parse("d.yaml", "kind: A\nmetadata: {name: x}\nkind: B\n");
        assertThat(parsed.manifests()).isEmpty();
        assertThat(parsed.diagnostics()).hasSize(1);
        assertThat(parsed.diagnostics().get(0).message()).contains("duplicate key kind");
        assertThat(parsed.diagnostics().get(0).source().line()).isEqualTo(3);
    }

    @Test
    void nonObjectDocument() {
        ParsedText parsed = ManifestParser.parse("n.yaml", "- a\n- b\n");
        assertThat(parsed.manifests()).isEmpty();
        assertThat(parsed.diagnostics().get(0).toString())
                .isEqualTo("n.yaml document 1 (line 1): document is a list, not an object (a mapping with apiVersion"
                        + " and kind)");
    }

    @Test
    void listKindsAreUnpacked() {
        ParsedText parsed = ManifestParser.parse(
                "list.yaml",
                """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Namespace
                  metadata: {name: a}
                - apiVersion: v1
                  kind: Namespace
                  metadata: {name: b}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicyList
                metadata: {resourceVersion: "1"}
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: c, namespace: x}
                """);
        assertThat(parsed.diagnostics()).isEmpty();
        assertThat(names(parsed)).containsExactly("a", "b", "c");
        assertThat(parsed.manifests())
                .extracting(Manifest::source)
                .containsExactly(
                        new ObjectSource("list.yaml", 1, 4),
                        new ObjectSource("list.yaml", 1, 7),
                        new ObjectSource("list.yaml", 2, 15));
    }

    @Test
    void jsonInput() {
        ParsedText parsed = ManifestParser.parse(
                "p.json",
                """
                {
                \t"apiVersion": "v1",
                \t"kind": "List",
                \t"items": [
                \t\t{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "y", "labels": {"on": "no"}}},
                \t\t{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "z"}}
                \t]
                }
                """);
        assertThat(parsed.diagnostics()).isEmpty();
        assertThat(names(parsed)).containsExactly("y", "z");
        assertThat(parsed.manifests().get(1).source().line()).isEqualTo(6);
    }

    @Test
    void crlfAndByteOrderMark() {
        ParsedText parsed = ManifestParser.parse("w.yaml", "\uFEFFkind: A\r\n---\r\nkind: B\r\n");
        assertThat(parsed.diagnostics()).isEmpty();
        assertThat(parsed.manifests()).extracting(Manifest::kind).containsExactly("A", "B");
    }
}
