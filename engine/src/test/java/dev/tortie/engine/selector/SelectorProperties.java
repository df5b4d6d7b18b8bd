package dev.tortie.engine.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random selector trees, written out with random spacing, quoting and spelling, checked against an independent
 * statement of Calico's semantics (b.3) and canonical form (b.4).
 */
class SelectorProperties {
    private static final List<String> LABELS =
            List.of("a", "b", "App", "k8s-app", "x.y/z", "contains", "in", "not", "all", "has", "global", "startswith");
    private static final List<String> VALUES =
            List.of("", "v", "w", "vw", "wv", "x'y", "q\"r", "!!", "&& ||", " sp ", "é", "\uD83D\uDE00", "l\nf");
    private static final List<String> SPACES = List.of("", " ", "  ", "\t", " \t ");

    // ---- the properties ---------------------------------------------------------------------------------------

    @Property(tries = 600)
    void canonicalFormIsCalicos(@ForAll("selectors") Expr expr) {
        Selector selector = Selector.parse(expr.text());
        assertThat(selector.canonical()).isEqualTo(expr.canonical());
        assertThat(selector.toString()).isEqualTo(expr.canonical());
    }

    @Property(tries = 600)
    void canonicalFormRoundTrips(@ForAll("selectors") Expr expr) {
        Selector selector = Selector.parse(expr.text());
        Selector reparsed = Selector.parse(selector.canonical());
        if (expr.hasDoubleNegation()) {
            // Calico prints Not(Not(x)) as "!!x", which re-parses as x; from then on it is a fixed point.
            assertThat(Selector.parse(reparsed.canonical()).canonical()).isEqualTo(reparsed.canonical());
        } else {
            assertThat(reparsed.canonical()).isEqualTo(selector.canonical());
            assertThat(reparsed.uniqueId()).isEqualTo(selector.uniqueId());
            assertThat(reparsed).isEqualTo(selector).hasSameHashCodeAs(selector);
        }
    }

    @Property(tries = 400)
    void matchesAgreesWithTheSemanticsTable(
            @ForAll("selectors") Expr expr, @ForAll("labelMaps") List<Map<String, String>> labelMaps) {
        Selector selector = Selector.parse(expr.text());
        Selector reparsed = Selector.parse(selector.canonical());
        for (Map<String, String> labels : labelMaps) {
            boolean expected = expr.eval(labels);
            assertThat(selector.matches(labels))
                    .as("%s on %s", selector, labels)
                    .isEqualTo(expected);
            assertThat(reparsed.matches(labels))
                    .as("%s on %s", reparsed, labels)
                    .isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void uniqueIdIsStableAndWellFormed(@ForAll("selectors") Expr expr) {
        Selector selector = Selector.parse(expr.text());
        String id = selector.uniqueId();
        assertThat(selector.uniqueId()).isSameAs(id);
        assertThat(Selector.parse(expr.text()).uniqueId()).isEqualTo(id);
        assertThat(id).matches("s:[A-Za-z0-9_-]{38}");
    }

    @Property(tries = 400)
    void labelRestrictionsHoldForEveryMatch(
            @ForAll("selectors") Expr expr, @ForAll("labelMaps") List<Map<String, String>> labelMaps) {
        Selector selector = Selector.parse(expr.text());
        assertThat(selector.labelsReferenced()).isEqualTo(expr.labels(new TreeSet<>()));
        assertThat(selector.labelsReferenced())
                .containsAll(selector.labelRestrictions().keySet());
        for (Map<String, String> labels : labelMaps) {
            if (!selector.matches(labels)) {
                continue;
            }
            selector.labelRestrictions().forEach((label, r) -> {
                String value = labels.get(label);
                if (r.mustBePresent()) {
                    assertThat(value).as("%s needs %s", selector, label).isNotNull();
                }
                if (r.mustBeAbsent()) {
                    assertThat(value).as("%s forbids %s", selector, label).isNull();
                }
                if (r.mustHaveOneOfValues() != null) {
                    assertThat(r.mustHaveOneOfValues()).contains(value);
                }
            });
        }
    }

    @Property(tries = 300)
    void labelPrefixMovesTheMatchToPrefixedLabels(
            @ForAll("selectors") Expr expr, @ForAll("labelMaps") List<Map<String, String>> labelMaps) {
        Selector selector = Selector.parse(expr.text());
        Selector prefixed = selector.withLabelPrefix("pcns.");
        for (Map<String, String> labels : labelMaps) {
            Map<String, String> moved = new HashMap<>();
            labels.forEach((k, v) -> moved.put("pcns." + k, v));
            assertThat(prefixed.matches(moved)).isEqualTo(selector.matches(labels));
        }
        for (String label : prefixed.labelsReferenced()) {
            assertThat(label).startsWith("pcns.");
        }
    }

    // ---- generators --------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Expr> selectors() {
        return orExpression(3);
    }

    @Provide
    Arbitrary<List<Map<String, String>>> labelMaps() {
        Arbitrary<Map<String, String>> one =
                Arbitraries.maps(Arbitraries.of(LABELS), Arbitraries.of(VALUES)).ofMaxSize(6);
        return one.list().ofMinSize(1).ofMaxSize(8);
    }

    private static Arbitrary<String> spaces() {
        return Arbitraries.of(SPACES);
    }

    private Arbitrary<Expr> orExpression(int depth) {
        return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
                Tuple.of(3, andExpression(depth)),
                Tuple.of(
                        2,
                        Combinators.combine(
                                        andExpression(depth).list().ofMinSize(2).ofMaxSize(3), spaces())
                                .as(Or::new))));
    }

    private Arbitrary<Expr> andExpression(int depth) {
        return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
                Tuple.of(3, operation(depth)),
                Tuple.of(
                        2,
                        Combinators.combine(operation(depth).list().ofMinSize(2).ofMaxSize(3), spaces())
                                .as(And::new))));
    }

    private Arbitrary<Expr> operation(int depth) {
        return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
                Tuple.of(3, primary(depth)),
                Tuple.of(
                        1,
                        Combinators.combine(Arbitraries.integers().between(1, 3), spaces(), primary(depth))
                                .as(Not::new))));
    }

    private Arbitrary<Expr> primary(int depth) {
        if (depth == 0) {
            return leaf();
        }
        return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
                Tuple.of(4, leaf()),
                Tuple.of(
                        1,
                        Combinators.combine(orExpression(depth - 1), spaces(), spaces())
                                .as(Paren::new))));
    }

    private Arbitrary<Expr> leaf() {
        Arbitrary<String> label = Arbitraries.of(LABELS);
        Arbitrary<Expr> compare = Combinators.combine(
                        label,
                        Arbitraries.of(CompareOp.values()),
                        Arbitraries.of(VALUES),
                        spaces(),
                        Arbitraries.of(true, false))
                .as(Compare::new);
        Arbitrary<Expr> set = Combinators.combine(
                        label,
                        Arbitraries.of(true, false),
                        Arbitraries.of(VALUES).list().ofMaxSize(4),
                        Arbitraries.of(true, false),
                        spaces())
                .as(SetOp::new);
        Arbitrary<Expr> has = Combinators.combine(label, spaces()).as(Has::new);
        Arbitrary<Expr> constant = Arbitraries.of(new Constant("all", " "), new Constant("global", ""));
        return Arbitraries.frequencyOf(Tuple.of(5, compare), Tuple.of(3, set), Tuple.of(2, has), Tuple.of(1, constant));
    }

    // ---- the model: text a user might write, its meaning per b.3 and its canonical form per b.4 ------------------

    sealed interface Expr permits Compare, SetOp, Has, Constant, Not, Paren, And, Or {
        String text();

        boolean eval(Map<String, String> labels);

        String canonical();

        /** True if a '!' applies directly to a parenthesised '!' (the one place canonical is not a fixed point). */
        boolean hasDoubleNegation();

        Set<String> labels(Set<String> into);
    }

    enum CompareOp {
        EQ("==", " == "),
        NE("!=", " != "),
        CONTAINS("contains", " contains "),
        STARTS_WITH("starts with", " starts with "),
        STARTSWITH("startswith", " starts with "),
        ENDS_WITH("ends  with", " ends with "),
        ENDSWITH("endswith", " ends with ");

        final String written;
        final String printed;

        CompareOp(String written, String printed) {
            this.written = written;
            this.printed = printed;
        }

        boolean isWord() {
            return Character.isLetter(written.charAt(0));
        }
    }

    private static String quote(String value, boolean preferSingle) {
        if (value.contains("\"")) {
            return "'" + value + "'";
        }
        if (value.contains("'") || !preferSingle) {
            return "\"" + value + "\"";
        }
        return "'" + value + "'";
    }

    private static String canonicalQuote(String value) {
        return value.contains("\"") ? "'" + value + "'" : "\"" + value + "\"";
    }

    record Compare(String label, CompareOp op, String value, String space, boolean preferSingle) implements Expr {
        @Override
        public String text() {
            // A word operator needs a space to end the label; symbols do not.
            String before = op.isWord() ? " " + space : space;
            return label + before + op.written + space + quote(value, preferSingle);
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            String actual = labels.get(label);
            return switch (op) {
                case EQ -> actual != null && actual.equals(value);
                case NE -> actual == null || !actual.equals(value);
                case CONTAINS -> actual != null && actual.contains(value);
                case STARTS_WITH, STARTSWITH -> actual != null && actual.startsWith(value);
                case ENDS_WITH, ENDSWITH -> actual != null && actual.endsWith(value);
            };
        }

        @Override
        public String canonical() {
            return label + op.printed + canonicalQuote(value);
        }

        @Override
        public boolean hasDoubleNegation() {
            return false;
        }

        @Override
        public Set<String> labels(Set<String> into) {
            into.add(label);
            return into;
        }
    }

    record SetOp(String label, boolean negated, List<String> values, boolean trailingComma, String space)
            implements Expr {
        @Override
        public String text() {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                items.add(quote(values.get(i), i % 2 == 0));
            }
            String comma = trailingComma && !items.isEmpty() ? "," : "";
            String op = negated ? "not" + space + "in" : "in";
            return label + " " + space + op + space + "{" + space + String.join("," + space, items) + comma + "}";
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            String actual = labels.get(label);
            boolean in = actual != null && values.contains(actual);
            return negated ? actual == null || !values.contains(actual) : in;
        }

        @Override
        public String canonical() {
            // Go sorts by UTF-8 bytes.
            TreeSet<String> sorted = new TreeSet<>((x, y) ->
                    Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
            sorted.addAll(values);
            List<String> items = new ArrayList<>();
            for (String v : sorted) {
                items.add(canonicalQuote(v));
            }
            return label + (negated ? " not in {" : " in {") + String.join(", ", items) + "}";
        }

        @Override
        public boolean hasDoubleNegation() {
            return false;
        }

        @Override
        public Set<String> labels(Set<String> into) {
            into.add(label);
            return into;
        }
    }

    record Has(String label, String space) implements Expr {
        @Override
        public String text() {
            return "has(" + space + label + space + ")";
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            return labels.containsKey(label);
        }

        @Override
        public String canonical() {
            return "has(" + label + ")";
        }

        @Override
        public boolean hasDoubleNegation() {
            return false;
        }

        @Override
        public Set<String> labels(Set<String> into) {
            into.add(label);
            return into;
        }
    }

    record Constant(String name, String space) implements Expr {
        @Override
        public String text() {
            return name + "(" + space + ")";
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            return true;
        }

        @Override
        public String canonical() {
            return name + "()";
        }

        @Override
        public boolean hasDoubleNegation() {
            return false;
        }

        @Override
        public Set<String> labels(Set<String> into) {
            return into;
        }
    }

    record Not(int bangs, String space, Expr operand) implements Expr {
        @Override
        public String text() {
            return "!".repeat(bangs) + space + operand.text();
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            return bangs % 2 == 1 ? !operand.eval(labels) : operand.eval(labels);
        }

        @Override
        public String canonical() {
            return bangs % 2 == 1 ? "!" + operand.canonical() : operand.canonical();
        }

        @Override
        public boolean hasDoubleNegation() {
            return (bangs % 2 == 1 && operand instanceof Paren && node(operand) instanceof Not)
                    || operand.hasDoubleNegation();
        }

        @Override
        public Set<String> labels(Set<String> into) {
            return operand.labels(into);
        }
    }

    record Paren(Expr inner, String left, String right) implements Expr {
        @Override
        public String text() {
            return "(" + left + inner.text() + right + ")";
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            return inner.eval(labels);
        }

        @Override
        public String canonical() {
            return inner.canonical();
        }

        @Override
        public boolean hasDoubleNegation() {
            return inner.hasDoubleNegation();
        }

        @Override
        public Set<String> labels(Set<String> into) {
            return inner.labels(into);
        }
    }

    record And(List<Expr> operands, String space) implements Expr {
        @Override
        public String text() {
            return join(operands, space + "&&" + space);
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            return operands.stream().allMatch(o -> o.eval(labels));
        }

        @Override
        public String canonical() {
            return "("
                    + String.join(" && ", operands.stream().map(Expr::canonical).toList()) + ")";
        }

        @Override
        public boolean hasDoubleNegation() {
            return operands.stream().anyMatch(Expr::hasDoubleNegation);
        }

        @Override
        public Set<String> labels(Set<String> into) {
            operands.forEach(o -> o.labels(into));
            return into;
        }
    }

    record Or(List<Expr> operands, String space) implements Expr {
        @Override
        public String text() {
            return join(operands, space + "||" + space);
        }

        @Override
        public boolean eval(Map<String, String> labels) {
            return operands.stream().anyMatch(o -> o.eval(labels));
        }

        @Override
        public String canonical() {
            return "("
                    + String.join(" || ", operands.stream().map(Expr::canonical).toList()) + ")";
        }

        @Override
        public boolean hasDoubleNegation() {
            return operands.stream().anyMatch(Expr::hasDoubleNegation);
        }

        @Override
        public Set<String> labels(Set<String> into) {
            operands.forEach(o -> o.labels(into));
            return into;
        }
    }

    /** What the parser builds a node for: parentheses and even runs of '!' leave no node of their own. */
    private static Expr node(Expr expr) {
        if (expr instanceof Paren paren) {
            return node(paren.inner());
        }
        if (expr instanceof Not not && not.bangs() % 2 == 0) {
            return node(not.operand());
        }
        return expr;
    }

    private static String join(List<Expr> operands, String separator) {
        return String.join(separator, operands.stream().map(Expr::text).toList());
    }
}
