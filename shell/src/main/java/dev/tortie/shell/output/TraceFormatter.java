package dev.tortie.shell.output;

import dev.tortie.engine.compile.RuleDescriber;
import dev.tortie.engine.eval.Decision;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.PolicyStep;
import dev.tortie.engine.eval.RuleStep;
import dev.tortie.engine.eval.TierStep;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Trace results as stable JSON trees and as a walkthrough an operator can read top to bottom. */
public final class TraceFormatter {
    private TraceFormatter() {}

    // ---- JSON ---------------------------------------------------------------------------------------------------

    public static Map<String, Object> flowTree(FlowTrace t) {
        return flowTree(t, Map.of());
    }

    /** The JSON tree of a flow; {@code hints} maps rule ids to findings shown with rules that did not match. */
    public static Map<String, Object> flowTree(FlowTrace t, Map<String, List<String>> hints) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", t.source().name());
        m.put("to", t.destination().name());
        m.put("fromIp", t.source().address().toString());
        m.put("toIp", t.destination().address().toString());
        m.put("port", t.port());
        m.put("protocol", t.protocol().displayName());
        m.put("verdict", t.verdict().lowerName());
        m.put("egress", sideTree(t.egress(), t.source().inCluster() ? null : "source is outside the cluster", hints));
        m.put(
                "ingress",
                sideTree(
                        t.ingress(), t.destination().inCluster() ? null : "destination is outside the cluster", hints));
        if (!t.notes().isEmpty()) {
            m.put("notes", t.notes());
        }
        return m;
    }

    private static Map<String, Object> sideTree(
            DirectionTrace d, String notEvaluatedReason, Map<String, List<String>> hints) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (d == null) {
            m.put("evaluated", false);
            m.put("reason", notEvaluatedReason);
            return m;
        }
        m.put("evaluated", true);
        m.put("endpoint", d.endpoint());
        m.put("isolated", d.isolated());
        m.put("verdict", d.verdict().lowerName());
        m.put("decidedBy", decisionTree(d.decision()));
        m.put("explanation", d.decision().explanation());
        List<Object> tiers = new ArrayList<>();
        for (TierStep tier : d.tiers()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", tier.tier());
            tm.put("outcome", outcomeName(tier.outcome()));
            List<Object> policies = new ArrayList<>();
            for (PolicyStep p : tier.policies()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.putAll(policyFields(p.policy()));
                List<Object> rules = new ArrayList<>();
                for (RuleStep r : p.rules()) {
                    Map<String, Object> rm = new LinkedHashMap<>();
                    rm.put("id", r.rule().id().toString());
                    rm.put("index", r.rule().id().index());
                    rm.put("action", r.rule().action().displayName());
                    rm.put("matched", r.matched());
                    if (r.reason() != null) {
                        rm.put("reason", r.reason());
                    }
                    rm.put("description", r.rule().summary());
                    if (r.rule().origin() != null) {
                        rm.put("origin", r.rule().origin());
                    }
                    List<String> ruleHints = hints.get(r.rule().id().toString());
                    if (!r.matched() && ruleHints != null && !ruleHints.isEmpty()) {
                        rm.put("hints", ruleHints);
                    }
                    rules.add(rm);
                }
                pm.put("rules", rules);
                policies.add(pm);
            }
            tm.put("policies", policies);
            tiers.add(tm);
        }
        m.put("tiers", tiers);
        if (!d.logged().isEmpty()) {
            List<Object> logged = new ArrayList<>();
            for (RuleStep r : d.logged()) {
                logged.add(r.rule().id().toString());
            }
            m.put("logged", logged);
        }
        return m;
    }

    private static Map<String, Object> decisionTree(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kindName(d.kind()));
        m.put("id", d.ruleId());
        if (d.tier() != null) {
            m.put("tier", d.tier());
        }
        IrRule rule = d.rule();
        if (rule != null) {
            m.putAll(policyFields(rule.id().policy()));
            m.put("rule", rule.id().index());
            m.put("action", rule.action().displayName());
            m.put("description", rule.summary());
            if (rule.origin() != null) {
                m.put("origin", rule.origin());
            }
        }
        return m;
    }

    private static Map<String, Object> policyFields(PolicyId id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", id.toString());
        m.put("kind", id.kind().kind());
        if (id.kind() == PolicyKind.KUBERNETES_NETWORK_POLICY) {
            m.put("apiVersion", id.kind().apiVersion());
        }
        if (id.namespace() != null) {
            m.put("namespace", id.namespace());
        }
        m.put("name", id.name());
        return m;
    }

    public static String kindName(Decision.Kind kind) {
        return switch (kind) {
            case RULE -> "rule";
            case END_OF_TIER -> "end-of-tier";
            case PROFILE -> "profile";
            case NO_PROFILE -> "no-profile";
        };
    }

    private static String outcomeName(TierStep.Outcome o) {
        return switch (o) {
            case DECIDED -> "decided";
            case PASSED_BY_RULE -> "passed";
            case END_OF_TIER_DENY -> "end-of-tier-deny";
            case END_OF_TIER_PASS -> "end-of-tier-pass";
        };
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    /** A walkthrough of one flow: each side, each tier, policy and rule visited, and what decided. */
    public static String walkthrough(FlowTrace t, Style style) {
        return walkthrough(t, style, Map.of());
    }

    public static String walkthrough(FlowTrace t, Style style, Map<String, List<String>> hints) {
        StringBuilder sb = new StringBuilder();
        String verdict = verdictWord(t.verdict(), style);
        sb.append(style.bold(t.source().name() + " -> " + t.destination().name()))
                .append("  ")
                .append(t.protocol().displayName())
                .append(t.protocol().supportsPorts() ? " " + t.port() : "")
                .append(": ")
                .append(verdict)
                .append('\n');
        side(sb, "egress from " + endName(t.source()), t.egress(), style, hints);
        side(sb, "ingress to " + endName(t.destination()), t.ingress(), style, hints);
        for (String note : t.notes()) {
            sb.append("  ").append(style.dim("note: " + note)).append('\n');
        }
        sb.append("  => ").append(verdict).append(": ").append(summary(t)).append('\n');
        return sb.toString();
    }

    private static String endName(dev.tortie.engine.eval.FlowEnd end) {
        return end.inCluster() ? end.name() + " (" + end.address() + ")" : end.name();
    }

    /** One line saying why: "denied at ingress of app-b/web by the end of tier default". */
    public static String summary(FlowTrace t) {
        DirectionTrace denying = t.denyingSide();
        if (denying == null) {
            List<String> parts = new ArrayList<>();
            if (t.egress() != null) {
                parts.add("egress " + shortDecision(t.egress()));
            }
            if (t.ingress() != null) {
                parts.add("ingress " + shortDecision(t.ingress()));
            }
            return String.join("; ", parts);
        }
        String where = denying.direction().lowerName() + " of " + denying.endpoint();
        return "denied at " + where + " " + shortDecision(denying);
    }

    private static String shortDecision(DirectionTrace side) {
        Decision d = side.decision();
        if (d.kind() == Decision.Kind.PROFILE && !side.tiers().isEmpty()) {
            return "allowed (every tier passed it on; namespace profile)";
        }
        return switch (d.kind()) {
            case RULE -> (d.verdict() == Verdict.ALLOW ? "allowed by " : "by ")
                    + policyName(d.rule().id().policy()) + " rule "
                    + d.rule().id().index();
            case END_OF_TIER -> "by the end of tier " + d.tier() + " (no rule matched)";
            case PROFILE -> "allowed (no policy isolates it)";
            case NO_PROFILE -> "by the final drop (no profile allowed)";
        };
    }

    public static String policyName(PolicyId id) {
        String kind = id.kind() == PolicyKind.KUBERNETES_NETWORK_POLICY
                ? "NetworkPolicy"
                : id.kind().kind();
        return kind + " " + id.qualifiedName();
    }

    private static void side(
            StringBuilder sb, String title, DirectionTrace d, Style style, Map<String, List<String>> hints) {
        if (d == null) {
            sb.append("  ").append(title).append(": ").append(style.dim("not evaluated (outside the cluster)"));
            sb.append('\n');
            return;
        }
        sb.append("  ")
                .append(title)
                .append(": ")
                .append(verdictWord(d.verdict(), style))
                .append('\n');
        if (d.tiers().isEmpty()) {
            sb.append("    ").append(d.decision().explanation()).append('\n');
            return;
        }
        for (TierStep tier : d.tiers()) {
            sb.append("    tier ").append(tier.tier()).append('\n');
            for (PolicyStep p : tier.policies()) {
                sb.append("      policy ").append(policyName(p.policy())).append('\n');
                for (RuleStep r : p.rules()) {
                    String mark = r.matched() ? style.bold("match") : style.dim("no   ");
                    sb.append("        ")
                            .append(mark)
                            .append("  rule ")
                            .append(r.rule().id().index())
                            .append(": ")
                            .append(r.rule().summary())
                            .append('\n');
                    if (!r.matched()) {
                        sb.append("               ")
                                .append(style.dim(r.reason()))
                                .append('\n');
                        for (String hint : hints.getOrDefault(r.rule().id().toString(), List.of())) {
                            sb.append("               ")
                                    .append(style.yellow("hint: "))
                                    .append(hint)
                                    .append('\n');
                        }
                    }
                }
                if (p.rules().isEmpty()) {
                    sb.append("        ")
                            .append(style.dim("(no rules for this direction)"))
                            .append('\n');
                }
            }
            switch (tier.outcome()) {
                case END_OF_TIER_DENY -> sb.append("      ")
                        .append(style.red("end of tier " + tier.tier() + ": DENY"))
                        .append(" (policies select this pod for ")
                        .append(d.direction().lowerName())
                        .append(" and none of their rules matched)\n");
                case END_OF_TIER_PASS -> sb.append("      end of tier ")
                        .append(tier.tier())
                        .append(": pass to the next tier (defaultAction Pass)\n");
                case PASSED_BY_RULE -> sb.append("      passed to the next tier by a Pass rule\n");
                case DECIDED -> {}
            }
        }
        if (d.decision().kind() == Decision.Kind.PROFILE || d.decision().kind() == Decision.Kind.NO_PROFILE) {
            sb.append("    ").append(d.decision().explanation()).append('\n');
        }
    }

    public static String verdictWord(Verdict v, Style style) {
        String word = v.name();
        return v == Verdict.ALLOW ? style.green(word) : style.red(word);
    }

    /** "pods with app == "a"" etc. for explain/lint callers. */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String describeSelector(dev.tortie.engine.selector.Selector s) {
        return RuleDescriber.podsWith(s);
    }
}
