package dev.tortie.engine.eval;

import dev.tortie.engine.ir.IrRule;

/**
 * What decided one direction.
 *
 * @param ruleId the deciding rule's id, the end-of-tier id, the profile rule id, or the no-profile id
 * @param rule the deciding rule, when a rule (policy or profile) decided
 * @param explanation one sentence for humans
 */
public record Decision(Kind kind, Verdict verdict, String ruleId, IrRule rule, String tier, String explanation) {
    public enum Kind {
        /** A policy rule allowed or denied. */
        RULE,
        /** No policy in the tier decided and the tier's default action denied. */
        END_OF_TIER,
        /** No tier applied (or all passed): the namespace profile allowed. */
        PROFILE,
        /** No tier decided and no profile allowed. */
        NO_PROFILE
    }
}
