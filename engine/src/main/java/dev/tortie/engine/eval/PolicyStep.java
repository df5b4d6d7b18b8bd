package dev.tortie.engine.eval;

import dev.tortie.engine.model.PolicyId;
import java.util.List;

/** A policy visited within a tier, with the rules visited (up to and including the deciding one). */
public record PolicyStep(PolicyId policy, List<RuleStep> rules) {
    public PolicyStep {
        rules = List.copyOf(rules);
    }
}
