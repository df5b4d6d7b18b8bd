package dev.tortie.engine.analysis;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.RuleDescriber;
import dev.tortie.engine.ir.RuleId;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.selector.LabelRestriction;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explains selectors that match nothing, with the likely intent: the classic is {@code namespaceSelector: {name:
 * app-a}} on a cluster where namespaces only carry {@code kubernetes.io/metadata.name}.
 */
public final class SelectorHints {
    private SelectorHints() {}

    public static List<Namespace> matchingNamespaces(Selector namespaceSelector, Collection<Namespace> namespaces) {
        List<Namespace> out = new ArrayList<>();
        for (Namespace ns : namespaces) {
            if (namespaceSelector.matches(ns.labels())) {
                out.add(ns);
            }
        }
        return out;
    }

    /** When a namespace selector matches no namespace: why, and what was probably meant. */
    public static Optional<String> emptyNamespaceSelector(
            Selector namespaceSelector, Collection<Namespace> namespaces) {
        if (namespaceSelector.isAll()
                || !matchingNamespaces(namespaceSelector, namespaces).isEmpty()) {
            return Optional.empty();
        }
        String shown = namespaceSelector.canonical();
        for (Map.Entry<String, LabelRestriction> r :
                namespaceSelector.labelRestrictions().entrySet()) {
            String label = r.getKey();
            if (label.equals(Namespace.NAME_LABEL) || r.getValue().mustHaveOneOfValues() == null) {
                continue;
            }
            boolean anyCarries = namespaces.stream().anyMatch(ns -> ns.labels().containsKey(label));
            for (String value : r.getValue().mustHaveOneOfValues()) {
                boolean namedLikeThat =
                        namespaces.stream().anyMatch(ns -> ns.name().equals(value));
                if (namedLikeThat && !anyCarries) {
                    return Optional.of("namespaceSelector " + shown + " matches no namespace: no namespace has a '"
                            + label + "' label. Namespaces carry their name as " + Namespace.NAME_LABEL
                            + "; use {matchLabels: {" + Namespace.NAME_LABEL + ": " + value + "}} (or label namespace "
                            + value + " with " + label + "=" + value + ")");
                }
            }
        }
        return Optional.of("namespaceSelector " + shown + " matches no namespace");
    }

    /** When a pod selector (within its namespaces) matches no pod. */
    public static Optional<String> emptyPodSelector(ClusterIndex index, Selector selector, String namespace) {
        boolean any = index.select(selector).stream()
                .anyMatch(e -> namespace == null || e.namespace().equals(namespace));
        if (any) {
            return Optional.empty();
        }
        String where = namespace == null ? "" : " in namespace " + namespace;
        return Optional.of("selector " + RuleDescriber.displaySelector(selector) + " matches no pod" + where);
    }

    /** Hints for a rule that did not match: selectors in it that match nothing at all. */
    public static List<String> forRule(ClusterIndex index, RuleId id) {
        var compiled = index.policy(id.policy());
        if (compiled == null) {
            return List.of();
        }
        Policy policy = compiled.policy();
        List<Rule> rules = policy.rules(id.direction());
        if (id.index() >= rules.size()) {
            return List.of();
        }
        Rule rule = rules.get(id.index());
        List<String> hints = new ArrayList<>();
        for (EntityRule entity : List.of(rule.source(), rule.destination())) {
            if (entity.namespaceSelector() != null) {
                emptyNamespaceSelector(entity.namespaceSelector(), index.namespaces())
                        .ifPresent(hints::add);
            } else if (entity.selector() != null && policy.namespace() != null) {
                emptyPodSelector(index, entity.selector(), policy.namespace()).ifPresent(hints::add);
            }
        }
        return hints;
    }
}
