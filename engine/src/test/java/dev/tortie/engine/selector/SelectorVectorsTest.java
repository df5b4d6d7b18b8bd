package dev.tortie.engine.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Calico's own selector test vectors (shared/vectors/calico-selectors.yaml), every section, every entry. */
class SelectorVectorsTest {
    private static Map<String, List<Map<String, Object>>> vectors;
    private static final Map<String, AtomicInteger> PASSED = new ConcurrentHashMap<>();

    @BeforeAll
    static void loadVectors() throws IOException {
        String shared = System.getProperty("tortie.shared");
        Path dir = shared == null || shared.isBlank() ? Path.of("../../shared") : Path.of(shared);
        String yaml = Files.readString(dir.resolve("vectors/calico-selectors.yaml"), StandardCharsets.UTF_8);
        // YAML 1.2 core schema: a bare y/n stays a string.
        Load load = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> loaded =
                (Map<String, List<Map<String, Object>>>) load.loadFromString(yaml);
        vectors = loaded;
    }

    @AfterAll
    static void printCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        PASSED.forEach((section, n) -> counts.put(section, n.get()));
        System.out.println("calico-selectors.yaml vectors passed: " + counts);
    }

    @TestFactory
    Stream<DynamicTest> matches() {
        return cases("matches", v -> {
            String text = (String) v.get("selector");
            Map<String, String> labels = labels(v.get("labels"));
            boolean expected = (Boolean) v.get("matches");
            Selector selector = Selector.parse(text);
            assertThat(selector.matches(labels)).as("%s on %s", text, labels).isEqualTo(expected);
            // Calico re-checks every case after a round trip through the canonical form.
            Selector reparsed = Selector.parse(selector.canonical());
            assertThat(reparsed.matches(labels))
                    .as("canonical %s on %s", reparsed, labels)
                    .isEqualTo(expected);
        });
    }

    @TestFactory
    Stream<DynamicTest> invalid() {
        return cases("invalid", v -> {
            String text = (String) v.get("selector");
            assertThat(v.get("valid")).isEqualTo(false);
            assertThatThrownBy(() -> Selector.parse(text))
                    .as("%s (%s)", text, v.get("note"))
                    .isInstanceOf(SelectorSyntaxException.class)
                    .satisfies(e -> {
                        SelectorSyntaxException error = (SelectorSyntaxException) e;
                        assertThat(error.input()).isEqualTo(text);
                        assertThat(error.column()).isBetween(1, text.length() + 1);
                        assertThat(error.getMessage()).contains("at column " + error.column());
                    });
        });
    }

    @TestFactory
    Stream<DynamicTest> valid() {
        return cases("valid", v -> {
            String text = (String) v.get("selector");
            assertThat(v.get("valid")).isEqualTo(true);
            Selector selector = Selector.parse(text);
            assertThat(Selector.parse(selector.canonical()).canonical()).isEqualTo(selector.canonical());
        });
    }

    @TestFactory
    Stream<DynamicTest> canonical() {
        return cases("canonical", v -> {
            Selector selector = Selector.parse((String) v.get("selector"));
            String canonical = (String) v.get("canonical");
            assertThat(selector.canonical()).isEqualTo(canonical);
            assertThat(selector.toString()).isEqualTo(canonical);
            assertThat(Selector.parse(canonical).canonical()).isEqualTo(canonical);
            String uid = (String) v.get("uid");
            if (!uid.isEmpty()) {
                assertThat(selector.uniqueId()).isEqualTo(uid);
            }
            assertThat(selector.uniqueId()).isEqualTo(Selector.parse(canonical).uniqueId());
        });
    }

    @TestFactory
    Stream<DynamicTest> prefixVisitor() {
        return cases("prefix_visitor", v -> {
            Selector selector = Selector.parse((String) v.get("selector"));
            Selector prefixed = selector.withLabelPrefix((String) v.get("prefix"));
            assertThat(prefixed.canonical()).isEqualTo(v.get("output"));
            // The original is untouched (Calico mutates in place; we return a new value).
            assertThat(selector.canonical())
                    .isEqualTo(Selector.parse((String) v.get("selector")).canonical());
        });
    }

    @TestFactory
    Stream<DynamicTest> tokenizer() {
        return cases("tokenizer", v -> {
            String input = (String) v.get("input");
            List<String> actual = new ArrayList<>();
            for (Lexer.Token token : Lexer.tokenize(input)) {
                actual.add(
                        token.value() == null
                                ? token.kind().name()
                                : token.kind().name() + "(" + token.value() + ")");
            }
            List<String> expected = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<List<String>> tokens = (List<List<String>>) v.get("tokens");
            for (List<String> token : tokens) {
                String kind = upperSnake(token.get(0));
                expected.add(token.size() == 1 ? kind : kind + "(" + token.get(1) + ")");
            }
            assertThat(actual).isEqualTo(expected);
            boolean parses = (Boolean) v.get("parses_derived");
            if (parses) {
                Selector.parse(input);
            } else {
                assertThatThrownBy(() -> Selector.parse(input)).isInstanceOf(SelectorSyntaxException.class);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> labelRestrictions() {
        return cases("label_restrictions", v -> {
            Selector selector = Selector.parse((String) v.get("selector"));
            Map<String, LabelRestriction> expected = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> restrictions = (Map<String, Map<String, Object>>) v.get("restrictions");
            if (restrictions != null) {
                restrictions.forEach((label, r) -> {
                    @SuppressWarnings("unchecked")
                    List<String> values = (List<String>) r.get("mustHaveOneOfValues");
                    expected.put(
                            label,
                            new LabelRestriction(
                                    Boolean.TRUE.equals(r.get("mustBePresent")),
                                    Boolean.TRUE.equals(r.get("mustBeAbsent")),
                                    values == null ? null : Set.copyOf(values)));
                });
            }
            assertThat(selector.labelRestrictions()).isEqualTo(expected);
        });
    }

    private static Stream<DynamicTest> cases(String section, Consumer<Map<String, Object>> check) {
        List<Map<String, Object>> entries = vectors.get(section);
        assertThat(entries).as("section %s", section).isNotEmpty();
        AtomicInteger passed = PASSED.computeIfAbsent(section, s -> new AtomicInteger());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> entry = entries.get(i);
            Object text = entry.containsKey("input") ? entry.get("input") : entry.get("selector");
            tests.add(dynamicTest(section + "[" + i + "] " + abbreviate(String.valueOf(text)), () -> {
                check.accept(entry);
                passed.incrementAndGet();
            }));
        }
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(Object yaml) {
        return yaml == null ? Map.of() : (Map<String, String>) yaml;
    }

    /** Calico's token kind names (StringLiteral, NotIn, LParen) to ours (STRING_LITERAL, NOT_IN, LPAREN). */
    private static String upperSnake(String camel) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (i > 0 && Character.isUpperCase(c) && Character.isLowerCase(camel.charAt(i - 1))) {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
