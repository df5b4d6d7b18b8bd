package dev.tortie.engine.analysis;

import dev.tortie.engine.model.PolicyId;

/**
 * Something lint found: a stable code, the policy (and rule) it concerns, what is wrong, and what to do.
 *
 * @param rule e.g. "ingress[0]" or null
 * @param suggestion what to change, or null
 */
public record Finding(String code, Severity severity, PolicyId policy, String rule, String message, String suggestion) {
    public enum Severity {
        ERROR,
        WARNING
    }
}
