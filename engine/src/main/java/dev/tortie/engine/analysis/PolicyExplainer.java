package dev.tortie.engine.analysis;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.RuleDescriber;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.model.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy in plain words: who it applies to, what each direction accepts or refuses, and what happens to the rest
 * ("pods with app == "app-b" in app-b accept TCP 80 from pods in namespaces labelled name == "app-a"; all other
 * ingress to them is denied"), followed by what it selects right now and any selector that matches nothing.
 */
public final class PolicyExplainer {
    private PolicyExplainer() {}

    public static List<String> explain(ClusterIndex index, Policy policy) {
        List<String> out = new ArrayList<>();
        String subject = subject(policy);
        Tier tier = index.tier(policy.tier());
        for (Direction d : Direction.values()) {
            if (!policy.appliesTo(d)) {
                continue;
            }
            out.add(sentence(policy, d, subject, tier));
        }
        if (!policy.appliesToIngress() && !policy.appliesToEgress()) {
            out.add(capitalize(subject) + ": the policy lists no direction, so it changes nothing.");
        }
        if (!policy.appliesToIngress()) {
            out.add("It does not touch ingress.");
        }
        if (!policy.appliesToEgress()) {
            out.add("It does not touch egress.");
        }
        if (policy.staged()) {
            out.add("It is staged: evaluated for reporting only, never enforced.");
        }
        int selected = index.endpointsSelectedBy(policy.id()).size();
        out.add("Right now it selects " + (selected == 1 ? "1 pod" : selected + " pods") + ".");
        for (Direction d : Direction.values()) {
            List<Rule> rules = policy.rules(d);
            for (int i = 0; i < rules.size(); i++) {
                for (EntityRule e : List.of(rules.get(i).source(), rules.get(i).destination())) {
                    if (e.namespaceSelector() != null) {
                        SelectorHints.emptyNamespaceSelector(e.namespaceSelector(), index.namespaces())
                                .ifPresent(h -> out.add("Warning: " + h + "."));
                    }
                }
            }
        }
        return out;
    }

    static String subject(Policy p) {
        String pods = RuleDescriber.podsWith(p.selector());
        if (p.namespace() != null) {
            return pods.equals("any pod") ? "pods in namespace " + p.namespace() : pods + " in " + p.namespace();
        }
        String where = p.namespaceSelector() == null
                ? "in every namespace (and host endpoints)"
                : "in namespaces with " + p.namespaceSelector().canonical();
        return (pods.equals("any pod")
                        ? "every endpoint"
                        : "endpoints with " + RuleDescriber.displaySelector(p.selector()))
                + " " + where;
    }

    private static String sentence(Policy policy, Direction d, String subject, Tier tier) {
        List<Rule> rules = policy.rules(d);
        String verbIn = d == Direction.INGRESS ? "from" : "to";
        StringBuilder sb = new StringBuilder(capitalize(subject));
        if (rules.isEmpty()) {
            sb.append(": all ").append(d.lowerName()).append(" is denied");
            sb.append(tier.defaultAction() == Action.PASS ? " unless a later tier allows it" : "");
            sb.append(
                    policy.kind() == PolicyKind.KUBERNETES_NETWORK_POLICY
                            ? " (default deny), unless another policy allows it."
                            : ".");
            return sb.toString();
        }
        List<String> clauses = new ArrayList<>();
        for (Rule r : rules) {
            EntityRule peer = d == Direction.INGRESS ? r.source() : r.destination();
            String peerText = RuleDescriber.describeEntity(peer, policy.namespace());
            String what = trafficWords(r);
            String verb =
                    switch (r.action()) {
                        case ALLOW -> d == Direction.INGRESS ? "accept " : "may send ";
                        case DENY -> d == Direction.INGRESS ? "refuse " : "may not send ";
                        case PASS -> "hand ";
                        case LOG -> "log ";
                    };
            String clause =
                    verb + what + (peerText == null ? " " + verbIn + " anywhere" : " " + verbIn + " " + peerText);
            if (r.action() == Action.PASS) {
                clause += " on to the next tier";
            }
            clauses.add(clause);
        }
        sb.append(' ').append(String.join("; ", clauses));
        boolean endsWithCatchAll =
                rules.get(rules.size() - 1).action() != Action.LOG && isCatchAll(rules.get(rules.size() - 1), d);
        if (!endsWithCatchAll) {
            if (tier.defaultAction() == Action.PASS) {
                sb.append("; other ").append(d.lowerName()).append(" goes on to the next tier");
            } else if (policy.kind() == PolicyKind.KUBERNETES_NETWORK_POLICY) {
                sb.append("; all other ")
                        .append(d.lowerName())
                        .append(d == Direction.INGRESS ? " to" : " from")
                        .append(" them is denied unless another policy allows it");
            } else {
                sb.append("; all other ")
                        .append(d.lowerName())
                        .append(" is denied at the end of tier ")
                        .append(tier.name())
                        .append(" unless another policy in it decides first");
            }
        }
        return sb.append('.').toString();
    }

    private static boolean isCatchAll(Rule r, Direction d) {
        EntityRule peer = d == Direction.INGRESS ? r.source() : r.destination();
        return r.protocol() == null
                && r.notProtocol() == null
                && peer.isAny()
                && r.destination().ports().isEmpty()
                && r.source().isAny();
    }

    private static String trafficWords(Rule r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.protocol() == null ? "all traffic" : r.protocol().displayName());
        List<PortSpec> ports = r.destination().ports();
        if (!ports.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (PortSpec p : ports) {
                parts.add(p.isNamed() ? "port '" + p.name() + "'" : p.toString());
            }
            sb.append(' ').append(String.join(", ", parts));
        } else if (r.protocol() != null && r.protocol().supportsPorts()) {
            sb.append(" on any port");
        }
        if (r.notProtocol() != null) {
            sb.append(" except ").append(r.notProtocol().displayName());
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** Namespaces as they are labelled, for explanations that point at a label mismatch. */
    static String labels(Namespace ns) {
        return ns.labels().toString();
    }
}
