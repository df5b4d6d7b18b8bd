package dev.tortie.dataplane.plan;

import java.util.List;

/**
 * One rule as {@code iptables-save} printed it.
 *
 * @param line the rule without its counters, e.g. {@code -A tortie-FORWARD -m comment --comment "tortie:..." -j ...}
 * @param hash the 16-character tortie hash from its comment, or null when it has none (not written by tortie)
 * @param commentId the rule id after the hash in the comment, or null
 * @param setNames IP sets the rule matches on
 */
public record ObservedRule(
        String chain, String line, String hash, String commentId, long packets, long bytes, List<String> setNames) {
    public ObservedRule {
        setNames = List.copyOf(setNames);
    }

    /** Whether tortie wrote this rule (its comment carries a tortie hash) or it jumps into a tortie chain. */
    public boolean owned(String chainPrefix) {
        return hash != null || jumpsInto(chainPrefix);
    }

    private boolean jumpsInto(String chainPrefix) {
        return line.contains(" -j " + chainPrefix) || line.contains(" -g " + chainPrefix);
    }
}
