package dev.tortie.engine.eval;

import java.util.List;

/** A tier visited, and how it ended: decided by a rule, passed, or its end-of-tier default. */
public record TierStep(String tier, List<PolicyStep> policies, Outcome outcome) {
    public enum Outcome {
        DECIDED,
        PASSED_BY_RULE,
        END_OF_TIER_DENY,
        END_OF_TIER_PASS
    }

    public TierStep {
        policies = List.copyOf(policies);
    }
}
