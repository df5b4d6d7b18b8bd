package dev.tortie.engine.compile;

import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Puts a rule into words for traces and explanations: "allow TCP 80 from pods with app == "a" in namespace x". */
public final class RuleDescriber {
    private static final String ORCHESTRATOR_TERM = FelixSelectors.ORCHESTRATOR_LABEL + " == \"k8s\"";

    private RuleDescriber() {}

    public static String describe(Rule rule, String policyNamespace) {
        StringBuilder sb = new StringBuilder(rule.action().displayName().toLowerCase(Locale.ROOT));
        if (rule.ipVersion() != null) {
            sb.append(" IPv").append(rule.ipVersion());
        }
        if (rule.protocol() != null) {
            sb.append(' ').append(rule.protocol().displayName());
        } else {
            sb.append(rule.action() == Action.LOG ? " any protocol" : " all traffic");
        }
        if (rule.notProtocol() != null) {
            sb.append(" except ").append(rule.notProtocol().displayName());
        }
        if (rule.icmp() != null) {
            sb.append(' ').append(rule.icmp());
        }
        if (rule.notIcmp() != null) {
            sb.append(" except ").append(rule.notIcmp());
        }
        appendPorts(sb, "port", rule.destination().ports());
        appendPorts(sb, "except port", rule.destination().notPorts());
        String from = describeEntity(rule.source(), policyNamespace);
        String to = describeEntity(rule.destination(), policyNamespace);
        if (from != null) {
            sb.append(" from ").append(from);
            appendPorts(sb, "source port", rule.source().ports());
        }
        if (to != null) {
            sb.append(" to ").append(to);
        }
        return sb.toString();
    }

    private static void appendPorts(StringBuilder sb, String word, List<PortSpec> ports) {
        if (ports.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (PortSpec p : ports) {
            parts.add(p.isNamed() ? "'" + p.name() + "'" : p.toString());
        }
        sb.append(' ').append(word).append(ports.size() > 1 ? "s " : " ").append(String.join(", ", parts));
    }

    /** The entity in words, or null when it matches everything. */
    public static String describeEntity(EntityRule e, String policyNamespace) {
        List<String> parts = new ArrayList<>();
        if (!e.nets().isEmpty()) {
            parts.add(joinCidrs(e.nets()) + (e.notNets().isEmpty() ? "" : " except " + joinCidrs(e.notNets())));
        } else if (!e.notNets().isEmpty()) {
            parts.add("addresses outside " + joinCidrs(e.notNets()));
        }
        if (e.selector() != null
                || e.notSelector() != null
                || e.namespaceSelector() != null
                || e.serviceAccounts() != null) {
            StringBuilder who = new StringBuilder();
            String pods = e.selector() == null ? "endpoints" : podsWith(e.selector());
            who.append(pods.equals("any pod") ? "pods" : pods);
            if (e.notSelector() != null) {
                who.append(" except those with ").append(e.notSelector().canonical());
            }
            if (e.serviceAccounts() != null) {
                who.append(" running as ");
                if (!e.serviceAccounts().names().isEmpty()) {
                    who.append("service account ")
                            .append(String.join(" or ", e.serviceAccounts().names()));
                }
                if (e.serviceAccounts().selector() != null) {
                    who.append(e.serviceAccounts().names().isEmpty() ? "" : " and ")
                            .append("service accounts with ")
                            .append(e.serviceAccounts().selector().canonical());
                }
            }
            who.append(' ').append(describeNamespaces(e.namespaceSelector(), policyNamespace));
            parts.add(who.toString().trim());
        }
        return parts.isEmpty() ? null : String.join(" and ", parts);
    }

    static String describeNamespaces(Selector namespaceSelector, String policyNamespace) {
        if (namespaceSelector == null) {
            return policyNamespace == null ? "in any namespace or none" : "in namespace " + policyNamespace;
        }
        String canonical = namespaceSelector.canonical();
        if (canonical.equals("all()")) {
            return "in any namespace";
        }
        if (canonical.equals("global()")) {
            return "outside namespaces (global network sets and host endpoints)";
        }
        return "in namespaces with " + canonical;
    }

    /** "any pod" / "pods with app == "a"", hiding the orchestrator term Kubernetes conversion adds. */
    public static String podsWith(Selector selector) {
        String text = displaySelector(selector);
        return text.equals("all()") ? "any pod" : "pods with " + text;
    }

    /** The selector without Calico's implicit {@code projectcalico.org/orchestrator == "k8s"} term. */
    public static String displaySelector(Selector selector) {
        String canonical = selector.canonical();
        if (canonical.equals(ORCHESTRATOR_TERM)) {
            return "all()";
        }
        String prefix = "(" + ORCHESTRATOR_TERM + " && ";
        if (canonical.startsWith(prefix) && canonical.endsWith(")")) {
            String rest = canonical.substring(prefix.length(), canonical.length() - 1);
            return rest.contains(" && ") ? "(" + rest + ")" : rest;
        }
        return canonical;
    }

    private static String joinCidrs(List<Cidr> cidrs) {
        List<String> parts = new ArrayList<>();
        for (Cidr c : cidrs) {
            parts.add(c.toString());
        }
        return String.join(", ", parts);
    }
}
