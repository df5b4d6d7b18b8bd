package dev.tortie.dataplane.render.iptables;

import dev.tortie.dataplane.render.ipset.KernelSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The filter-table state tortie wants on a node: its chains in a fixed order, the single jump it inserts at the top
 * of the kernel's FORWARD chain, and the auxiliary IP sets its rules match on (CIDR lists). Immutable.
 */
public final class Ruleset {
    /** The kernel chain tortie hooks into, with exactly one rule at position 1. */
    public static final String KERNEL_CHAIN = "FORWARD";

    private final Map<String, IptablesChain> chains;
    private final IptablesChain forwardHook;
    private final List<KernelSet> auxiliarySets;
    private final List<String> notes;
    private final Map<String, String> ruleIdsByCommentId;
    private final Map<Long, String> nflogRuleIds;

    Ruleset(List<IptablesChain> chains, List<KernelSet> auxiliarySets, List<String> notes) {
        this(chains, auxiliarySets, notes, Map.of());
    }

    Ruleset(
            List<IptablesChain> chains,
            List<KernelSet> auxiliarySets,
            List<String> notes,
            Map<Long, String> nflogRuleIds) {
        Map<String, IptablesChain> map = new LinkedHashMap<>();
        Map<String, String> ids = new TreeMap<>();
        for (IptablesChain c : chains) {
            if (map.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate chain " + c.name());
            }
            for (IptablesRule r : c.rules()) {
                if (r.ruleId() != null) {
                    ids.put(ChainNames.commentId(r.ruleId()), r.ruleId());
                }
            }
        }
        if (!map.containsKey(ChainNames.FORWARD)) {
            throw new IllegalArgumentException("a ruleset needs " + ChainNames.FORWARD);
        }
        this.chains = Collections.unmodifiableMap(map);
        this.forwardHook = new IptablesChain(
                KERNEL_CHAIN,
                "kernel chain: tortie inserts one jump at position 1",
                List.of(IptablesRule.of("enter tortie", "-j", ChainNames.FORWARD)));
        this.auxiliarySets = List.copyOf(auxiliarySets);
        this.notes = List.copyOf(notes);
        this.ruleIdsByCommentId = Collections.unmodifiableMap(ids);
        this.nflogRuleIds = Collections.unmodifiableMap(new TreeMap<>(nflogRuleIds));
    }

    /** Chains in render order: tortie-FORWARD, dispatch, per-endpoint, per-policy, per-profile. */
    public List<IptablesChain> chains() {
        return List.copyOf(chains.values());
    }

    public Map<String, IptablesChain> chainsByName() {
        return chains;
    }

    public IptablesChain chain(String name) {
        return chains.get(name);
    }

    /** The FORWARD jump as a one-rule pseudo chain named FORWARD (its hash identifies the jump). */
    public IptablesChain forwardHook() {
        return forwardHook;
    }

    /** The {@code -I FORWARD 1 ...} line that hooks tortie in. */
    public String forwardInsertLine() {
        return "-I " + KERNEL_CHAIN + " 1 -m comment --comment \"" + forwardHook.comment(0) + "\" "
                + forwardHook.rules().get(0).spec();
    }

    /** IP sets the rules need besides the program's own (hash:net sets for CIDR lists). */
    public List<KernelSet> auxiliarySets() {
        return auxiliarySets;
    }

    /** Rules that were not rendered and why (IPv6-only rules, rules that can never match). */
    public List<String> notes() {
        return notes;
    }

    /** The full rule id for the id text in a comment (differs only for ids too long for a comment). */
    public String ruleIdForComment(String commentId) {
        return ruleIdsByCommentId.getOrDefault(commentId, commentId);
    }

    /**
     * The rule id of each NFLOG prefix number ({@link NflogPrefix#numericId()}) the rules log with: the flow-log
     * reader's map from prefix back to rule. Empty when flow logs are off.
     */
    public Map<Long, String> nflogRuleIds() {
        return nflogRuleIds;
    }

    /** The rule id an NFLOG prefix names, or null when no rule of this ruleset logs with it. */
    public String ruleIdForNflog(NflogPrefix prefix) {
        return nflogRuleIds.get(prefix.numericId());
    }

    public int ruleCount() {
        int n = 0;
        for (IptablesChain c : chains.values()) {
            n += c.rules().size();
        }
        return n + 1;
    }

    /** Every IP set name a rule matches on. */
    public List<String> referencedSets() {
        List<String> out = new ArrayList<>();
        for (IptablesChain c : chains.values()) {
            for (String s : c.referencedSets()) {
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * {@code iptables-restore --noflush} input (filter table) that programs this ruleset on a node without tortie
     * state: declares every chain, appends every rule, inserts the FORWARD jump. The driver applies deltas instead.
     */
    public String toRestoreText() {
        StringBuilder sb = new StringBuilder("*filter\n");
        for (IptablesChain c : chains.values()) {
            sb.append(':').append(c.name()).append(" - [0:0]\n");
        }
        for (IptablesChain c : chains.values()) {
            for (String line : c.appendLines()) {
                sb.append(line).append('\n');
            }
        }
        sb.append(forwardInsertLine()).append('\n');
        sb.append("COMMIT\n");
        return sb.toString();
    }

    /** For humans: every chain with numbered rules, each annotated with its rule id (if any) and purpose. */
    public String toListing() {
        StringBuilder sb = new StringBuilder();
        sb.append("# tortie iptables ruleset (filter table): ")
                .append(chains.size())
                .append(" chains, ")
                .append(ruleCount())
                .append(" rules, ")
                .append(auxiliarySets.size())
                .append(" auxiliary sets\n");
        appendListing(sb, forwardHook);
        for (IptablesChain c : chains.values()) {
            appendListing(sb, c);
        }
        for (String note : notes) {
            sb.append("# not rendered: ").append(note).append('\n');
        }
        return sb.toString();
    }

    private static void appendListing(StringBuilder sb, IptablesChain c) {
        sb.append('\n').append(c.name());
        if (!c.description().isEmpty()) {
            sb.append("  # ").append(c.description());
        }
        sb.append('\n');
        List<IptablesRule> rules = c.rules();
        for (int i = 0; i < rules.size(); i++) {
            IptablesRule r = rules.get(i);
            String spec = r.spec();
            sb.append(String.format("%4d  %s", i + 1, spec));
            String note = (r.ruleId() == null ? "" : "[" + r.ruleId() + "] ") + r.description();
            if (!note.isEmpty()) {
                int pad = Math.max(2, 72 - spec.length());
                sb.append(" ".repeat(pad)).append("# ").append(note);
            }
            sb.append('\n');
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ruleset r
                && chains.equals(r.chains)
                && auxiliarySets.equals(r.auxiliarySets)
                && notes.equals(r.notes)
                && nflogRuleIds.equals(r.nflogRuleIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chains, auxiliarySets);
    }
}
