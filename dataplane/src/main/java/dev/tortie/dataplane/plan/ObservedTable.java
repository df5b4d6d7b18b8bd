package dev.tortie.dataplane.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter table as far as tortie cares: every chain it owns (by prefix) with its rules, and the rules tortie owns in
 * kernel chains (with their position in that chain, 0-based).
 */
public final class ObservedTable {
    /** A tortie rule found in a kernel chain (FORWARD, INPUT, ...) at {@code position}. */
    public record KernelRule(String chain, int position, ObservedRule rule) {}

    private final Map<String, List<ObservedRule>> chains;
    private final List<KernelRule> kernelRules;
    private final Map<String, Integer> kernelChainSizes;

    public ObservedTable(
            Map<String, List<ObservedRule>> chains,
            List<KernelRule> kernelRules,
            Map<String, Integer> kernelChainSizes) {
        Map<String, List<ObservedRule>> copy = new LinkedHashMap<>();
        chains.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.chains = Collections.unmodifiableMap(copy);
        this.kernelRules = List.copyOf(kernelRules);
        this.kernelChainSizes = Map.copyOf(kernelChainSizes);
    }

    public static ObservedTable empty() {
        return new ObservedTable(Map.of(), List.of(), Map.of());
    }

    /** Tortie-owned chains in the order iptables-save declared them. */
    public Map<String, List<ObservedRule>> chains() {
        return chains;
    }

    public List<KernelRule> kernelRules() {
        return kernelRules;
    }

    /** Tortie rules in one kernel chain, by position. */
    public List<KernelRule> kernelRules(String chain) {
        return kernelRules.stream().filter(r -> r.chain().equals(chain)).toList();
    }

    /** How many rules a kernel chain has in total (for reports). */
    public int kernelChainSize(String chain) {
        return kernelChainSizes.getOrDefault(chain, 0);
    }

    public boolean isEmpty() {
        return chains.isEmpty() && kernelRules.isEmpty();
    }

    public int ruleCount() {
        int n = kernelRules.size();
        for (List<ObservedRule> rules : chains.values()) {
            n += rules.size();
        }
        return n;
    }
}
