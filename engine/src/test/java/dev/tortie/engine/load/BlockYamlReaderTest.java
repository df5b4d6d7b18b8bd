package dev.tortie.engine.load;

import static dev.tortie.engine.load.BlockYamlReaderProperties.assertSameAsSnakeyaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.schema.CoreSchema;

class BlockYamlReaderTest {

    private static YamlDocument read(String text) {
        LoadSettings settings =
                LoadSettings.builder().setSchema(new CoreSchema()).build();
        BlockYamlReader reader =
                new BlockYamlReader(settings.getSchema().getScalarResolver(), new StandardConstructor(settings));
        return reader.read(text, 0, text.length(), 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(String text) {
        return (Map<String, Object>) read(text).value();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: x, tier: web}\nspec:\n  containers:\n"
                        + "  - name: main\n    ports:\n    - containerPort: 8080\n      name: http\n",
                "# c\n--- # c\n\na: 1 # c\n  # c\nb: 2\n...",
                "a:\n  - x\n  -\n    b: 2\n  - [1, {c: 'd'}, []]\n  - {}\n  -\nc: z\n",
                "a: 'it''s' # c\nb: \"\\u00e9\\n\\\"\"\nc: x#y\nd: ::1\ne: http://x:80/y\nf: é\n",
                "a: 1\r\nb:\r\n- c\r\n",
                "'quoted key': 1\n\"dq\": 2\n",
                "  indented: 1\n  root: 2\n",
                "a:\n",
            })
    void readsPlainBlockYaml(String text) {
        assertThat(read(text)).isNotNull();
        assertSameAsSnakeyaml(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a: &x 1\nb: *x\n",
                "a: !!str 1\n",
                "a: |\n  text\n",
                "a: b\n  c\n",
                "a: [1,\n  2]\n",
                "a: 'x\n  y'\n",
                "a:\tb\n",
                "a: 1\na: 2\n",
                "a: {b: 1, b: 2}\n",
                "<<: {a: 1}\n",
                "1: a\n",
                "true: a\n",
                "null: a\n",
                "%YAML 1.2\n---\na: 1\n",
                "? a\n: b\n",
                "- a\n- b\n",
                "{\"a\": 1}\n",
                "a: b: c\n",
                "a:\n  b: 1\n c: 2\n",
                "a: \"\\x41\"\n",
                "a: \"\\ud83d\\ude00\"\n",
                "a: x\u2028y\n",
                "a: [x,]\n",
                "- - x\n",
                "a: 1\nb\n",
            })
    void leavesTheRestToSnakeyaml(String text) {
        assertThat(read(text)).isNull();
        assertSameAsSnakeyaml(text);
    }

    @Test
    void keysNearSnakeyamlsLimitAreLeftToIt() {
        for (int length : new int[] {1000, 1001, 1024, 1025}) {
            String text = "k".repeat(length) + ": v\n";
            assertThat(read(text) != null).isEqualTo(length <= 1000);
            assertSameAsSnakeyaml(text);
        }
    }

    @Test
    void plainScalarsAreTypedAsSnakeyamlTypesThem() {
        Map<String, Object> tree = tree("a: 010\nb: 0x1F\nc: 1e3\nd: -.Inf\ne: ~\nf: NULL\ng: True\nh: on\n"
                + "i: 123456789012345678901\nj: 0o17\nk: 2147483648\nl: ${HOME}\nm: '1'\n");
        assertThat(tree)
                .containsEntry("a", 10)
                .containsEntry("b", 31)
                .containsEntry("c", 1000.0)
                .containsEntry("d", Double.NEGATIVE_INFINITY)
                .containsEntry("e", null)
                .containsEntry("f", null)
                .containsEntry("g", true)
                .containsEntry("h", "on")
                .containsEntry("i", new BigInteger("123456789012345678901"))
                .containsEntry("j", 15)
                .containsEntry("k", 2147483648L)
                .containsEntry("l", "${HOME}")
                .containsEntry("m", "1");
    }

    @Test
    void linesOfTheRootAndOfItsItems() {
        YamlDocument list = read("# c\nkind: List\nitems:\n- a: 1\n-\n  b: 2\n- [x]\n");
        assertThat(list.line()).isEqualTo(2);
        assertThat(list.itemLines()).containsExactly(4, 6, 7);
        assertThat(read("kind: List\nitems: [{a: 1}, {b: 2}]\n").itemLines()).containsExactly(2, 2);
        assertThat(read("kind: List\nitems:\n  - {a: 1}\n").itemLines()).containsExactly(3);
        assertThat(read("kind: List\nother:\n- {a: 1}\n").itemLines()).isEmpty();
    }

    @Test
    void malformedDocumentBetweenPlainOnes() {
        String text = "kind: A\n---\nkind: B\nmetadata:\n  name: x\n    labels: y\n---\nkind: C\n";
        assertThat(read("kind: B\nmetadata:\n  name: x\n    labels: y\n")).isNull();
        assertSameAsSnakeyaml(text);
        ParsedText parsed = ManifestParser.parse("m.yaml", text);
        assertThat(parsed.manifests()).extracting(Manifest::kind).containsExactly("A", "C");
        assertThat(parsed.diagnostics())
                .extracting(Diagnostic::toString)
                .singleElement()
                .asString()
                .startsWith("m.yaml document 2 (line 6): malformed YAML at line 6, column 11: mapping values are not"
                        + " allowed here");
    }

    @Test
    void largeMappings() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("k").append(i).append(": ").append(i).append('\n');
        }
        Map<String, Object> tree = tree(text.toString());
        assertThat(tree)
                .hasSize(50)
                .containsEntry("k0", 0)
                .containsEntry("k49", 49)
                .doesNotContainKey("k50");
        assertThat(read(text + "k7: again\n")).isNull();
        assertSameAsSnakeyaml(text + "k7: again\n");
    }
}
