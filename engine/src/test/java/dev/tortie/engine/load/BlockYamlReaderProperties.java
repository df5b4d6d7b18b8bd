package dev.tortie.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The fast reader changes nothing: on random texts, valid or not, {@link ManifestParser#parse} (the fast reader, and
 * snakeyaml for what it declines) gives exactly what snakeyaml alone gives: trees, document numbers, lines and
 * diagnostics.
 */
class BlockYamlReaderProperties {
    private static final List<String> KEYS = List.of(
            "a",
            "b",
            "kind",
            "items",
            "metadata",
            "k.x/y_z-1",
            "'q k'",
            "\"dq\"",
            "''",
            "1",
            "true",
            "null",
            "~",
            "<<",
            "a b",
            "-k",
            ".k",
            "?k",
            "$k");

    /** Scalars and flow collections; the first {@link #READABLE} are ones the fast reader takes. */
    private static final List<String> SCALARS = List.of(
            "v",
            "List",
            "NamespaceList",
            "a b",
            "x#y",
            "x #c",
            "x  ",
            "'s'",
            "'it''s'",
            "\"d\\n\\u00e9\\/\"",
            "010",
            "0x1F",
            "0o17",
            "1e3",
            "1.",
            ".5",
            ".inf",
            "-.Inf",
            ".nan",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "FALSE",
            "yes",
            "on",
            "2147483648",
            "9223372036854775808",
            "-1",
            "+1",
            "--x",
            "::1",
            ":x",
            "http://x:80/y",
            "a:b",
            "${HOME}",
            "[a, b]",
            "[a, [b, -1, 'c d', \"e\"]]",
            "{a: 1, b: [x]}",
            "[]",
            "{}",
            "[ ]",
            "{'a': b}",
            "[a b]",
            "[-a, -1]",
            "[a] #c",
            "é ü",
            "\u00a0x",
            "\"\"",
            "''",
            "[{a: 1}, {b: 2}]",
            // from here on, mostly not for the fast reader
            "\"bad\\q\"",
            "\"\\x41\"",
            "\"\\ud83d\"",
            "-",
            "a: b",
            "a:",
            "<<",
            "&a x",
            "*a",
            "!!str 1",
            "!x y",
            "|",
            ">-",
            "[a,]",
            "[a,,b]",
            "{a: 1, a: 2}",
            "{a:1}",
            "{a: }",
            "{\"a\":b}",
            "[a: 1]",
            "[a #c]",
            "[a]x",
            "{a: 1}}",
            "'unclosed",
            "\"unclosed",
            "'a' b",
            "'a'#c",
            "?x",
            "@x",
            "`x",
            "%x",
            "#",
            "a\tb",
            "\u2028",
            "\u0085",
            "\ufeff",
            "\u0001",
            "\u007f",
            "x\r",
            "\ud83d\ude00");

    private static final int READABLE = 53;

    @Property(tries = 3000)
    void randomLinesParseAsWithSnakeyaml(@ForAll long seed) {
        Random random = new Random(seed);
        String newline = random.nextInt(8) == 0 ? "\r\n" : "\n";
        StringBuilder text = new StringBuilder();
        int lines = 1 + random.nextInt(14);
        for (int i = 0; i < lines; i++) {
            text.append(randomLine(random)).append(newline);
        }
        if (random.nextBoolean()) {
            text.setLength(text.length() - newline.length());
        }
        assertSameAsSnakeyaml(text.toString());
    }

    @Property(tries = 2000)
    void randomDocumentsParseAsWithSnakeyaml(@ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        int documents = 1 + random.nextInt(3);
        for (int d = 0; d < documents; d++) {
            if (d > 0 || random.nextBoolean()) {
                text.append(pick(random, List.of("---\n", "--- # c\n", "---\n\n# c\n", "...\n---\n")));
            }
            if (random.nextInt(3) == 0) {
                text.append("kind: ")
                        .append(pick(random, List.of("List", "PodList")))
                        .append('\n');
            }
            List<String> lines = new ArrayList<>();
            block(random, 0, 0, random.nextInt(3) == 0 ? "items" : null, lines);
            for (String line : lines) {
                text.append(random.nextInt(60) == 0 ? mutate(random, line) : line)
                        .append('\n');
            }
        }
        assertSameAsSnakeyaml(text.toString());
    }

    static void assertSameAsSnakeyaml(String text) {
        assertThat(ManifestParser.parse("t.yaml", text))
                .as("%s", text)
                .isEqualTo(ManifestParser.parseWithSnakeyamlOnly("t.yaml", text));
    }

    private static String randomLine(Random random) {
        String indent = " ".repeat(pick(random, List.of(0, 0, 1, 2, 2, 3, 4, 6)));
        String key = pick(random, KEYS);
        String value = pick(random, SCALARS);
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> indent + key + ": " + value;
            case 3, 4 -> indent + key + ":";
            case 5 -> indent + "- " + value;
            case 6 -> indent + "- " + key + ": " + value;
            case 7 -> indent + "-";
            case 8 -> indent + "# " + value;
            case 9 -> "";
            case 10 -> pick(random, List.of("---", "...", "--- # c", "--- x", "%YAML 1.2", "---\t", "...x"));
            default -> indent + key + ":  " + value + " # c";
        };
    }

    /** A random, mostly valid block collection at {@code indent}; {@code key} is the first key when not null. */
    private static void block(Random random, int indent, int depth, String key, List<String> out) {
        String pad = " ".repeat(indent);
        int entries = 1 + random.nextInt(4);
        boolean sequence = key == null && depth > 0 && random.nextBoolean();
        for (int i = 0; i < entries; i++) {
            String prefix = sequence ? pad + "- " : pad + (i == 0 && key != null ? key : "k" + i) + ":";
            int choice = depth >= 3 ? random.nextInt(2) : random.nextInt(5);
            if (choice <= 1) {
                out.add(prefix + (sequence ? "" : " ") + pick(random, SCALARS.subList(0, READABLE)));
            } else if (choice == 2 && sequence) {
                // "- k: v" with the rest of the mapping under it
                List<String> inner = new ArrayList<>();
                block(random, indent + 2, depth + 1, "m", inner);
                String first = inner.get(0).substring(indent + 2);
                out.add(prefix + (first.startsWith("- ") ? "x: y" : first));
                out.addAll(inner.subList(1, inner.size()));
            } else {
                out.add(sequence ? pad + "-" : prefix);
                boolean indentless = !sequence && random.nextBoolean();
                if (indentless) {
                    List<String> inner = new ArrayList<>();
                    block(random, indent, depth + 1, null, inner);
                    if (inner.get(0).startsWith(pad + "- ")) {
                        out.addAll(inner);
                    } else {
                        out.add(pad + "- z");
                    }
                } else {
                    block(random, indent + 1 + random.nextInt(3), depth + 1, null, out);
                }
            }
            if (random.nextInt(10) == 0) {
                out.add(random.nextBoolean() ? "" : pad + "# note");
            }
        }
    }

    private static String mutate(Random random, String line) {
        return switch (random.nextInt(4)) {
            case 0 -> " " + line;
            case 1 -> line.length() > 1 ? line.substring(1) : line;
            case 2 -> line + " " + pick(random, SCALARS);
            default -> line.replaceFirst(": ", ":");
        };
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
