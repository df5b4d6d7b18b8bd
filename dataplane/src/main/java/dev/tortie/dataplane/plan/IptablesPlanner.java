package dev.tortie.dataplane.plan;

import dev.tortie.dataplane.render.iptables.ChainNames;
import dev.tortie.dataplane.render.iptables.IptablesChain;
import dev.tortie.dataplane.render.iptables.Ruleset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the minimal filter-table change from what the kernel has to a {@link Ruleset}, as one transaction:
 *
 * <ol>
 *   <li>declare every new, changed and stale tortie chain ({@code :name - [0:0]} creates a chain or flushes it);
 *   <li>delete misplaced, duplicate or stale tortie rules in kernel chains (by their exact saved spec);
 *   <li>append the rules of new and changed chains (a changed chain is rewritten whole: iptables has no cheaper
 *       atomic edit, and its counters restart);
 *   <li>insert the FORWARD jump at position 1 if it is not exactly there, exactly once;
 *   <li>delete stale chains ({@code -X}), now empty and unreferenced.
 * </ol>
 *
 * Unchanged chains (same chained hashes) are not touched, so their counters survive. iptables-restore applies the
 * whole text or nothing.
 */
public final class IptablesPlanner {
    /** Comment hash of the rules that stand in for a chain during a set-type repair. */
    public static final String QUARANTINE_HASH = "quarantine______";

    private IptablesPlanner() {}

    public static IptablesPlan plan(Ruleset desired, ObservedTable observed) {
        return plan(desired, observed, Set.of());
    }

    /** @param forceRewrite chains to rewrite even when their hashes agree (they reference a recreated set) */
    public static IptablesPlan plan(Ruleset desired, ObservedTable observed, Set<String> forceRewrite) {
        List<String> declare = new ArrayList<>();
        List<String> deleteRules = new ArrayList<>();
        List<String> append = new ArrayList<>();
        List<String> insert = new ArrayList<>();
        List<String> deleteChains = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> rewritten = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> hook = new ArrayList<>();

        Map<String, List<ObservedRule>> have = observed.chains();
        for (IptablesChain chain : desired.chains()) {
            List<ObservedRule> current = have.get(chain.name());
            if (current != null && !forceRewrite.contains(chain.name()) && sameHashes(current, chain.hashes())) {
                continue;
            }
            declare.add(":" + chain.name() + " - [0:0]");
            append.addAll(chain.appendLines());
            (current == null ? created : rewritten).add(chain.name());
        }
        for (String name : have.keySet()) {
            if (desired.chain(name) == null) {
                declare.add(":" + name + " - [0:0]");
                deleteChains.add("-X " + name);
                deleted.add(name);
            }
        }

        String hookHash = desired.forwardHook().hashes().get(0);
        List<ObservedTable.KernelRule> ours = observed.kernelRules(Ruleset.KERNEL_CHAIN);
        boolean hookInPlace = ours.size() == 1
                && ours.get(0).position() == 0
                && hookHash.equals(ours.get(0).rule().hash());
        if (!hookInPlace) {
            for (ObservedTable.KernelRule r : ours) {
                deleteRules.add(deleteLine(r.rule()));
            }
            insert.add(desired.forwardInsertLine());
            hook.add(
                    ours.isEmpty()
                            ? "jump from FORWARD inserted at position 1"
                            : "jump from FORWARD repaired (" + ours.size() + " tortie rule(s) there, first at position "
                                    + (ours.get(0).position() + 1) + ")");
        }
        for (ObservedTable.KernelRule r : observed.kernelRules()) {
            if (!r.chain().equals(Ruleset.KERNEL_CHAIN)) {
                deleteRules.add(deleteLine(r.rule()));
                hook.add("stale tortie rule removed from " + r.chain());
            }
        }
        if (declare.isEmpty() && deleteRules.isEmpty() && insert.isEmpty()) {
            return new IptablesPlan(null, created, rewritten, deleted, hook);
        }
        return new IptablesPlan(
                transaction(declare, deleteRules, append, insert, deleteChains), created, rewritten, deleted, hook);
    }

    /** Deletes everything tortie owns in the filter table: kernel-chain rules, then its chains. */
    public static IptablesPlan removal(ObservedTable observed) {
        List<String> declare = new ArrayList<>();
        List<String> deleteRules = new ArrayList<>();
        List<String> deleteChains = new ArrayList<>();
        List<String> hook = new ArrayList<>();
        for (ObservedTable.KernelRule r : observed.kernelRules()) {
            deleteRules.add(deleteLine(r.rule()));
            hook.add("tortie rule removed from " + r.chain());
        }
        for (String name : observed.chains().keySet()) {
            declare.add(":" + name + " - [0:0]");
            deleteChains.add("-X " + name);
        }
        if (declare.isEmpty() && deleteRules.isEmpty()) {
            return new IptablesPlan(null, List.of(), List.of(), List.of(), List.of());
        }
        return new IptablesPlan(
                transaction(declare, deleteRules, List.of(), List.of(), deleteChains),
                List.of(),
                List.of(),
                List.copyOf(observed.chains().keySet()),
                hook);
    }

    /**
     * A transaction that replaces each chain's rules by a single DROP: used before a set that those chains match on
     * must be destroyed and recreated (its type changed), so the chains fail closed for the moment it takes.
     */
    public static String quarantine(Collection<String> chains) {
        List<String> declare = new ArrayList<>();
        List<String> append = new ArrayList<>();
        for (String c : chains) {
            declare.add(":" + c + " - [0:0]");
            append.add("-A " + c + " -m comment --comment \"" + ChainNames.COMMENT_PREFIX + QUARANTINE_HASH
                    + " set-repair\" -j DROP");
        }
        return transaction(declare, List.of(), append, List.of(), List.of());
    }

    static boolean sameHashes(List<ObservedRule> observed, List<String> hashes) {
        if (observed.size() != hashes.size()) {
            return false;
        }
        for (int i = 0; i < hashes.size(); i++) {
            if (!hashes.get(i).equals(observed.get(i).hash())) {
                return false;
            }
        }
        return true;
    }

    private static String deleteLine(ObservedRule rule) {
        return "-D" + rule.line().substring(2);
    }

    private static String transaction(
            List<String> declare,
            List<String> deleteRules,
            List<String> append,
            List<String> insert,
            List<String> deleteChains) {
        StringBuilder sb = new StringBuilder("*filter\n");
        for (List<String> part : List.of(declare, deleteRules, append, insert, deleteChains)) {
            for (String line : part) {
                sb.append(line).append('\n');
            }
        }
        return sb.append("COMMIT\n").toString();
    }
}
