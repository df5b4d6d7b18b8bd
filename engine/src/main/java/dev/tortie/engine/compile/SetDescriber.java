package dev.tortie.engine.compile;

import dev.tortie.engine.selector.Selector;

/**
 * Reads a Felix-form selector back into the words an operator used: "pods with pod == "b" in namespace x" instead of
 * {@code (projectcalico.org/namespace == "x" && (projectcalico.org/orchestrator == "k8s" && pod == "b"))}.
 */
public final class SetDescriber {
    private static final String NS_PREFIX = "(" + FelixSelectors.NAMESPACE_LABEL + " == \"";
    private static final String PCNS = FelixSelectors.NAMESPACE_PREFIX;

    private SetDescriber() {}

    public static String describe(Selector selector) {
        String canonical = selector.canonical();
        // Namespaced form: (projectcalico.org/namespace == "ns" && REST)
        if (canonical.startsWith(NS_PREFIX) && canonical.endsWith(")")) {
            int close = canonical.indexOf("\" && ", NS_PREFIX.length());
            if (close > 0) {
                String ns = canonical.substring(NS_PREFIX.length(), close);
                String rest = canonical.substring(close + 5, canonical.length() - 1);
                return plural(who(rest)) + " in namespace " + ns;
            }
        }
        if (canonical.startsWith(FelixSelectors.NAMESPACE_LABEL + " == \"")) {
            String ns = canonical.substring(FelixSelectors.NAMESPACE_LABEL.length() + 5, canonical.length() - 1);
            return "endpoints in namespace " + ns;
        }
        // Namespace-selector form: (pcns... && REST) with the namespace part first.
        if (canonical.startsWith("(" + PCNS) || canonical.startsWith("(has(" + FelixSelectors.NAMESPACE_LABEL + ")")) {
            int split = topLevelAnd(canonical);
            if (split > 0) {
                String nsPart = canonical.substring(1, split);
                String rest = canonical.substring(split + 4, canonical.length() - 1);
                String namespaces = nsPart.equals("has(" + FelixSelectors.NAMESPACE_LABEL + ")")
                        ? "in any namespace"
                        : "in namespaces with " + nsPart.replace(PCNS, "");
                return plural(who(rest)) + " " + namespaces;
            }
        }
        boolean onlyNamespaceLabels = !selector.labelsReferenced().isEmpty()
                && selector.labelsReferenced().stream().allMatch(l -> l.startsWith(PCNS));
        if (onlyNamespaceLabels) {
            return "endpoints in namespaces with " + canonical.replace(PCNS, "");
        }
        return "endpoints with " + canonical;
    }

    /** "any pod in namespace x" reads better as "pods in namespace x". */
    private static String plural(String who) {
        return who.equals("any pod") ? "pods" : who;
    }

    private static String who(String rest) {
        String wrapped = rest.startsWith("(") ? rest : "(" + rest + ")";
        String display = RuleDescriber.displaySelector(Selector.parse(wrapped.equals("()") ? "all()" : rest));
        return display.equals("all()") ? "any pod" : "pods with " + display;
    }

    /** Index of the first " && " at paren depth 1 (inside the outer parens), or -1. */
    private static int topLevelAnd(String s) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 1 && s.startsWith(" && ", i)) {
                return i;
            }
        }
        return -1;
    }
}
