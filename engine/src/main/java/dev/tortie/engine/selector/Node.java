package dev.tortie.engine.selector;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled, immutable selector expression: one small class per operator so that matching is a tight virtual call
 * with no allocation. Mirrors Calico's ast.go node for node, which is what keeps canonical strings byte-exact.
 */
abstract sealed class Node {

    /** True if {@code labels} satisfies this expression; null values count as absent labels. */
    abstract boolean matches(Map<String, String> labels);

    /** Appends Calico's String() form (collectFragments). */
    abstract void appendCanonical(StringBuilder out);

    /** A copy with {@code prefix} put in front of every label name (Calico's PrefixVisitor). */
    abstract Node withLabelPrefix(String prefix);

    abstract void collectLabels(Set<String> into);

    /**
     * Calico's LabelRestrictions for this node: a fresh map the caller may modify, or null for "none". Kept in
     * Calico's shape (including null vs empty) so combining rules stay identical.
     */
    abstract Map<String, Restriction> restrictions();

    /** Mutable working form of {@link LabelRestriction}; never escapes the package. */
    static final class Restriction {
        boolean mustBePresent;
        boolean mustBeAbsent;
        Set<String> values; // null = no value restriction

        static Restriction present(Set<String> values) {
            Restriction r = new Restriction();
            r.mustBePresent = true;
            r.values = values;
            return r;
        }

        LabelRestriction toPublic() {
            return new LabelRestriction(mustBePresent, mustBeAbsent, values);
        }
    }

    static Node compare(TokenKind op, String label, String value) {
        return switch (op) {
            case EQ -> new Eq(label, value);
            case NE -> new Ne(label, value);
            case CONTAINS -> new Contains(label, value);
            case STARTS_WITH -> new StartsWith(label, value);
            case ENDS_WITH -> new EndsWith(label, value);
            default -> throw new IllegalArgumentException("not a comparison operator: " + op);
        };
    }

    private static Map<String, Restriction> single(String label, Restriction r) {
        Map<String, Restriction> map = new HashMap<>();
        map.put(label, r);
        return map;
    }

    /** Calico quotes with " unless the value contains one; a value never holds both kinds. */
    static void appendQuoted(StringBuilder out, String value) {
        char quote = value.indexOf('"') >= 0 ? '\'' : '"';
        out.append(quote).append(value).append(quote);
    }

    /** {@code label <op> "value"}: the five comparison operators. */
    abstract static sealed class Comparison extends Node {
        final String label;
        final String value;

        Comparison(String label, String value) {
            this.label = label;
            this.value = value;
        }

        /** Operator as printed, with its surrounding spaces. */
        abstract String operator();

        abstract Comparison withLabel(String newLabel);

        @Override
        final void appendCanonical(StringBuilder out) {
            out.append(label).append(operator());
            appendQuoted(out, value);
        }

        @Override
        final Node withLabelPrefix(String prefix) {
            return withLabel(prefix + label);
        }

        @Override
        final void collectLabels(Set<String> into) {
            into.add(label);
        }

        @Override
        Map<String, Restriction> restrictions() {
            // contains / starts with / ends with need the label, whatever its value.
            return single(label, Restriction.present(null));
        }
    }

    static final class Eq extends Comparison {
        Eq(String label, String value) {
            super(label, value);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            return value.equals(labels.get(label));
        }

        @Override
        String operator() {
            return " == ";
        }

        @Override
        Comparison withLabel(String newLabel) {
            return new Eq(newLabel, value);
        }

        @Override
        Map<String, Restriction> restrictions() {
            Set<String> values = new LinkedHashSet<>();
            values.add(value);
            return single(label, Restriction.present(values));
        }
    }

    /** Matches absent labels too: {@code a != "x"} is true when {@code a} is missing. */
    static final class Ne extends Comparison {
        Ne(String label, String value) {
            super(label, value);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            return !value.equals(labels.get(label));
        }

        @Override
        String operator() {
            return " != ";
        }

        @Override
        Comparison withLabel(String newLabel) {
            return new Ne(newLabel, value);
        }

        @Override
        Map<String, Restriction> restrictions() {
            return null;
        }
    }

    static final class Contains extends Comparison {
        Contains(String label, String value) {
            super(label, value);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(label);
            return actual != null && actual.contains(value);
        }

        @Override
        String operator() {
            return " contains ";
        }

        @Override
        Comparison withLabel(String newLabel) {
            return new Contains(newLabel, value);
        }
    }

    static final class StartsWith extends Comparison {
        StartsWith(String label, String value) {
            super(label, value);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(label);
            return actual != null && actual.startsWith(value);
        }

        @Override
        String operator() {
            return " starts with ";
        }

        @Override
        Comparison withLabel(String newLabel) {
            return new StartsWith(newLabel, value);
        }
    }

    static final class EndsWith extends Comparison {
        EndsWith(String label, String value) {
            super(label, value);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(label);
            return actual != null && actual.endsWith(value);
        }

        @Override
        String operator() {
            return " ends with ";
        }

        @Override
        Comparison withLabel(String newLabel) {
            return new EndsWith(newLabel, value);
        }
    }

    /** {@code label in {...}} and {@code label not in {...}}. */
    abstract static sealed class SetMembership extends Node {
        final String label;
        final ValueSet values;

        SetMembership(String label, ValueSet values) {
            this.label = label;
            this.values = values;
        }

        abstract String operator();

        @Override
        final void appendCanonical(StringBuilder out) {
            out.append(label).append(operator()).append('{');
            List<String> items = values.items();
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                appendQuoted(out, items.get(i));
            }
            out.append('}');
        }

        @Override
        final void collectLabels(Set<String> into) {
            into.add(label);
        }
    }

    static final class In extends SetMembership {
        In(String label, ValueSet values) {
            super(label, values);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(label);
            return actual != null && values.contains(actual);
        }

        @Override
        String operator() {
            return " in ";
        }

        @Override
        Node withLabelPrefix(String prefix) {
            return new In(prefix + label, values);
        }

        @Override
        Map<String, Restriction> restrictions() {
            // Calico's empty set literal is a nil slice, so "a in {}" restricts presence only, not values.
            Set<String> allowed = values.isEmpty() ? null : new LinkedHashSet<>(values.items());
            return single(label, Restriction.present(allowed));
        }
    }

    /** Matches absent labels too, and everything when the set is empty. */
    static final class NotIn extends SetMembership {
        NotIn(String label, ValueSet values) {
            super(label, values);
        }

        @Override
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(label);
            return actual == null || !values.contains(actual);
        }

        @Override
        String operator() {
            return " not in ";
        }

        @Override
        Node withLabelPrefix(String prefix) {
            return new NotIn(prefix + label, values);
        }

        @Override
        Map<String, Restriction> restrictions() {
            return null;
        }
    }

    static final class Has extends Node {
        final String label;

        Has(String label) {
            this.label = label;
        }

        @Override
        boolean matches(Map<String, String> labels) {
            return labels.get(label) != null;
        }

        @Override
        void appendCanonical(StringBuilder out) {
            out.append("has(").append(label).append(')');
        }

        @Override
        Node withLabelPrefix(String prefix) {
            return new Has(prefix + label);
        }

        @Override
        void collectLabels(Set<String> into) {
            into.add(label);
        }

        @Override
        Map<String, Restriction> restrictions() {
            return single(label, Restriction.present(null));
        }
    }

    static final class Not extends Node {
        final Node operand;

        Not(Node operand) {
            this.operand = operand;
        }

        @Override
        boolean matches(Map<String, String> labels) {
            return !operand.matches(labels);
        }

        @Override
        void appendCanonical(StringBuilder out) {
            // Leaves print as !a == "b"; groups bring their own parentheses: !(a == "b" || c == "d").
            out.append('!');
            operand.appendCanonical(out);
        }

        @Override
        Node withLabelPrefix(String prefix) {
            return new Not(operand.withLabelPrefix(prefix));
        }

        @Override
        void collectLabels(Set<String> into) {
            operand.collectLabels(into);
        }

        @Override
        Map<String, Restriction> restrictions() {
            // Only !has(k) can be inverted: !(a == "b") does not require a to be absent.
            if (operand instanceof Has has) {
                Restriction absent = new Restriction();
                absent.mustBeAbsent = true;
                return single(has.label, absent);
            }
            return null;
        }
    }

    /** Shared shape of the n-ary {@code &&} and {@code ||} nodes (always 2+ operands). */
    abstract static sealed class Junction extends Node {
        final Node[] operands;

        Junction(Node[] operands) {
            this.operands = operands;
        }

        abstract String separator();

        abstract Junction withOperands(Node[] newOperands);

        @Override
        final void appendCanonical(StringBuilder out) {
            out.append('(');
            operands[0].appendCanonical(out);
            for (int i = 1; i < operands.length; i++) {
                out.append(separator());
                operands[i].appendCanonical(out);
            }
            out.append(')');
        }

        @Override
        final Node withLabelPrefix(String prefix) {
            Node[] prefixed = new Node[operands.length];
            for (int i = 0; i < operands.length; i++) {
                prefixed[i] = operands[i].withLabelPrefix(prefix);
            }
            return withOperands(prefixed);
        }

        @Override
        final void collectLabels(Set<String> into) {
            for (Node operand : operands) {
                operand.collectLabels(into);
            }
        }
    }

    static final class And extends Junction {
        private And(Node[] operands) {
            super(operands);
        }

        static And of(List<Node> operands) {
            return new And(operands.toArray(Node[]::new));
        }

        @Override
        boolean matches(Map<String, String> labels) {
            for (Node operand : operands) {
                if (!operand.matches(labels)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String separator() {
            return " && ";
        }

        @Override
        Junction withOperands(Node[] newOperands) {
            return new And(newOperands);
        }

        @Override
        Map<String, Restriction> restrictions() {
            // Every operand must hold, so requirements add up and allowed values intersect.
            Map<String, Restriction> combined = new HashMap<>();
            for (Node operand : operands) {
                Map<String, Restriction> own = operand.restrictions();
                if (own == null) {
                    continue;
                }
                for (Map.Entry<String, Restriction> e : own.entrySet()) {
                    Restriction r = e.getValue();
                    Restriction base = combined.computeIfAbsent(e.getKey(), k -> new Restriction());
                    base.mustBePresent |= r.mustBePresent;
                    base.mustBeAbsent |= r.mustBeAbsent;
                    if (base.values == null) {
                        base.values = r.values == null ? null : new LinkedHashSet<>(r.values);
                    } else if (r.values != null) {
                        base.values.retainAll(r.values);
                    }
                }
            }
            return combined.isEmpty() ? null : combined;
        }
    }

    static final class Or extends Junction {
        private Or(Node[] operands) {
            super(operands);
        }

        static Or of(List<Node> operands) {
            return new Or(operands.toArray(Node[]::new));
        }

        /** Weakens {@code r} to what {@code other} (null = nothing) also requires; false when nothing is left. */
        private static boolean narrowToBoth(Restriction r, Restriction other) {
            boolean otherPresent = other != null && other.mustBePresent;
            boolean otherAbsent = other != null && other.mustBeAbsent;
            Set<String> otherValues = other == null ? null : other.values;
            r.mustBePresent = r.mustBePresent && otherPresent;
            if (!r.mustBePresent || r.values == null || otherValues == null) {
                // Not required, or one side is has()-like: no limit on the value.
                r.values = null;
            } else {
                r.values.addAll(otherValues);
            }
            r.mustBeAbsent = r.mustBeAbsent && otherAbsent;
            return r.mustBePresent || r.mustBeAbsent;
        }

        @Override
        boolean matches(Map<String, String> labels) {
            for (Node operand : operands) {
                if (operand.matches(labels)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String separator() {
            return " || ";
        }

        @Override
        Junction withOperands(Node[] newOperands) {
            return new Or(newOperands);
        }

        @Override
        Map<String, Restriction> restrictions() {
            // Any operand may be the one that holds, so keep only what all of them require.
            Map<String, Restriction> kept = operands[0].restrictions();
            if (kept == null) {
                return null;
            }
            for (int i = 1; i < operands.length; i++) {
                Map<String, Restriction> other = operands[i].restrictions();
                kept.entrySet()
                        .removeIf(e -> !narrowToBoth(e.getValue(), other == null ? null : other.get(e.getKey())));
            }
            return kept.isEmpty() ? null : kept;
        }
    }

    static final class All extends Node {
        static final All INSTANCE = new All();

        private All() {}

        @Override
        boolean matches(Map<String, String> labels) {
            return true;
        }

        @Override
        void appendCanonical(StringBuilder out) {
            out.append("all()");
        }

        @Override
        Node withLabelPrefix(String prefix) {
            return this;
        }

        @Override
        void collectLabels(Set<String> into) {}

        @Override
        Map<String, Restriction> restrictions() {
            return null;
        }
    }

    /**
     * {@code global()}: true wherever it is evaluated; Calico gives it meaning only in a namespaceSelector, which the
     * rule converter rewrites before matching.
     */
    static final class Global extends Node {
        static final Global INSTANCE = new Global();

        private Global() {}

        @Override
        boolean matches(Map<String, String> labels) {
            return true;
        }

        @Override
        void appendCanonical(StringBuilder out) {
            out.append("global()");
        }

        @Override
        Node withLabelPrefix(String prefix) {
            return this;
        }

        @Override
        void collectLabels(Set<String> into) {}

        @Override
        Map<String, Restriction> restrictions() {
            return null;
        }
    }
}
