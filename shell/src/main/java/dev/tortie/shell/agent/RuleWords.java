package dev.tortie.shell.agent;

import dev.tortie.dataplane.flowlog.FlowRecord;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.shell.output.TraceFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Puts a flow record's deciding rule id into words against the current index, as {@code trace} words its decisions:
 * {@code NetworkPolicy app-b/allow-a rule 0 (allow TCP 80 from ...)}, {@code end of tier default (no rule of
 * NetworkPolicy y/deny-all matched)}, {@code namespace profile kns.x (no policy selects x/a)}, {@code final drop of
 * x/a (no profile allowed)}. A rule whose policy is gone since says so.
 */
public final class RuleWords {
    private RuleWords() {}

    /**
     * @param endpoint the endpoint whose program decided (destination for ingress, source for egress), or null
     */
    public static String describe(ClusterIndex index, String ruleId, Direction direction, Endpoint endpoint) {
        String owner = FlowRecord.policyOf(ruleId);
        String rest = ruleId.length() > owner.length() ? ruleId.substring(owner.length() + 1) : "";
        String[] parts = rest.split("/");
        String last = parts.length > 1 ? parts[parts.length - 1] : "";
        if (owner.startsWith("tier/")) {
            String tier = owner.substring("tier/".length());
            return "end of tier " + tier + isolatedBy(index, tier, direction, endpoint);
        }
        if (owner.startsWith("endpoint/")) {
            return "final drop of " + owner.substring("endpoint/".length()) + " (no profile allowed)";
        }
        if (owner.startsWith("pro/")) {
            String profile = owner.substring("pro/".length());
            String who = endpoint == null ? "the pod" : endpoint.key();
            return profile.startsWith("kns.")
                    ? "namespace profile " + profile + " (no policy isolates " + who + " for " + direction.lowerName()
                            + ")"
                    : "profile " + profile + " rule " + last;
        }
        if (owner.startsWith("dataplane/")) {
            return "dataplane: " + owner.substring("dataplane/".length()).replace('-', ' ') + " (fails closed)";
        }
        PolicyId id = PolicyId.tryParse(owner);
        if (id == null) {
            return ruleId;
        }
        String name = TraceFormatter.policyName(id) + " rule " + last;
        int ruleIndex;
        try {
            ruleIndex = Integer.parseInt(last);
        } catch (NumberFormatException e) {
            return name;
        }
        CompiledPolicy policy = index.policy(id);
        if (policy == null) {
            return name + " (the policy no longer exists)";
        }
        IrPolicy rules = policy.rules(direction);
        if (rules == null || ruleIndex < 0 || ruleIndex >= rules.rules().size()) {
            return name + " (the policy has changed since: no such rule now)";
        }
        IrRule rule = rules.rules().get(ruleIndex);
        String summary = rule.summary() == null || rule.summary().isEmpty()
                ? rule.action().displayName().toLowerCase(Locale.ROOT)
                : rule.summary();
        return name + " (" + summary + ")";
    }

    /** {@code  (no rule of NetworkPolicy y/deny-all matched)} from the endpoint's program now; else {@code (no rule matched)}. */
    private static String isolatedBy(ClusterIndex index, String tier, Direction direction, Endpoint endpoint) {
        if (endpoint != null) {
            for (IrTier t : index.program(endpoint, direction).tiers()) {
                if (t.name().equals(tier) && !t.policies().isEmpty()) {
                    List<String> names = new ArrayList<>();
                    for (IrPolicy p : t.policies()) {
                        names.add(TraceFormatter.policyName(p.id()));
                    }
                    return " (no rule of " + String.join(", ", names) + " matched)";
                }
            }
        }
        return " (no rule matched)";
    }
}
