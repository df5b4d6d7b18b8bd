package dev.tortie.engine.eval;

import dev.tortie.engine.ir.IrRule;

/**
 * One rule the evaluation looked at.
 *
 * @param matched whether every match held
 * @param reason when not matched, the first match that failed, in words; when matched, null
 */
public record RuleStep(IrRule rule, boolean matched, String reason) {}
