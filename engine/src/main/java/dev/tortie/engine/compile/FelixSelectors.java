package dev.tortie.engine.compile;

import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.ServiceAccountMatch;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The selector rewriting Calico does between the v3 API and Felix (libcalico-go updateprocessors): policies get their
 * namespace term, namespace selectors become {@code pcns.} label selectors, service accounts become {@code pcsa.}
 * selectors. Built as Calico builds them (strings, then parsed), so the canonical forms and set ids agree with Felix.
 */
public final class FelixSelectors {
    public static final String NAMESPACE_LABEL = "projectcalico.org/namespace";
    public static final String ORCHESTRATOR_LABEL = "projectcalico.org/orchestrator";
    public static final String SERVICE_ACCOUNT_LABEL = "projectcalico.org/serviceaccount";
    public static final String NAME_LABEL = "projectcalico.org/name";
    public static final String NAMESPACE_PREFIX = "pcns.";
    public static final String SERVICE_ACCOUNT_PREFIX = "pcsa.";

    private FelixSelectors() {}

    /** The selector deciding which endpoints a policy applies to, as Felix sees it. */
    public static Selector policySelector(Policy policy) {
        String selector = policy.selector().isAll() ? "" : policy.selector().canonical();
        if (policy.namespace() != null) {
            String nsTerm = NAMESPACE_LABEL + " == '" + policy.namespace() + "'";
            selector = selector.isEmpty() ? nsTerm : "(" + selector + ") && " + nsTerm;
            selector = prefixAndAppend(selector, policy.serviceAccountSelector(), SERVICE_ACCOUNT_PREFIX);
        } else {
            if (policy.namespaceSelector() != null) {
                selector = prefixAndAppend(selector, policy.namespaceSelector(), NAMESPACE_PREFIX);
                selector = selector.replace("all()", "has(" + NAMESPACE_LABEL + ")");
            }
            if (policy.serviceAccountSelector() != null) {
                selector = prefixAndAppend(selector, policy.serviceAccountSelector(), SERVICE_ACCOUNT_PREFIX);
                selector = selector.replace("all()", "has(" + SERVICE_ACCOUNT_LABEL + ")");
            }
        }
        return selector.isEmpty() ? Selector.all() : Selector.parse(selector);
    }

    /**
     * The one positive selector for an entity (source or destination) of a rule in a policy living in {@code
     * policyNamespace} (null for global policies), or "" when the entity matches any address.
     */
    public static String entitySelector(EntityRule entity, String policyNamespace) {
        String nsSelector = "";
        if (entity.namespaceSelector() != null) {
            nsSelector =
                    entity.namespaceSelector().withLabelPrefix(NAMESPACE_PREFIX).canonical();
            nsSelector = nsSelector.replace("all()", "has(" + NAMESPACE_LABEL + ")");
            nsSelector = nsSelector.replace("global()", "!has(" + NAMESPACE_LABEL + ")");
        } else if (policyNamespace != null) {
            nsSelector = NAMESPACE_LABEL + " == '" + policyNamespace + "'";
        }
        List<String> selectors = new ArrayList<>(2);
        if (entity.serviceAccounts() != null) {
            String sa = serviceAccountSelector(entity.serviceAccounts());
            if (!sa.isEmpty()) {
                selectors.add(sa);
            }
        }
        if (entity.selector() != null) {
            selectors.add(entity.selector().canonical());
        }
        String selector = "";
        if (selectors.size() == 1) {
            selector = selectors.get(0);
        } else if (selectors.size() > 1) {
            selector = "(" + String.join(") && (", selectors) + ")";
        }
        boolean constrained = !selector.isEmpty() || entity.notSelector() != null || entity.namespaceSelector() != null;
        if (!nsSelector.isEmpty() && constrained) {
            selector = selector.isEmpty() ? nsSelector : "(" + nsSelector + ") && (" + selector + ")";
        }
        return selector;
    }

    /**
     * Felix folds a negated selector into the positive one when there is one (the rule can then only match known
     * endpoints anyway). Returns {positive, negative}; either may be "".
     */
    public static String[] foldNegation(String positive, Selector notSelector) {
        String negative = notSelector == null ? "" : notSelector.canonical();
        if (!positive.isEmpty() && !negative.isEmpty()) {
            return new String[] {"(" + positive + ") && (!(" + negative + "))", ""};
        }
        return new String[] {positive, negative};
    }

    static String serviceAccountSelector(ServiceAccountMatch match) {
        String updated = match.selector() == null
                ? ""
                : match.selector().withLabelPrefix(SERVICE_ACCOUNT_PREFIX).canonical();
        if (match.names().isEmpty()) {
            return updated;
        }
        String names = Selector.parse(SERVICE_ACCOUNT_LABEL + " in { '" + String.join("', '", match.names()) + "' }")
                .canonical();
        return updated.isEmpty() ? names : "(" + updated + ") && (" + names + ")";
    }

    private static String prefixAndAppend(String current, Selector added, String prefix) {
        if (added == null) {
            return current;
        }
        String prefixed = added.withLabelPrefix(prefix).canonical();
        return current.isEmpty() ? prefixed : "(" + current + ") && " + prefixed;
    }
}
