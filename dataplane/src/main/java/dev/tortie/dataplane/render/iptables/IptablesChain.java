package dev.tortie.dataplane.render.iptables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A chain tortie owns, with a Felix-style chained hash per rule: the hash of rule i covers the chain name and every
 * rule up to i, so comparing the hash lists read back from the kernel tells whether a chain is exactly as rendered
 * (any edit, insertion, deletion or reordering changes a hash or the count).
 */
public final class IptablesChain {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final String name;
    private final String description;
    private final List<IptablesRule> rules;
    private final List<String> hashes;

    public IptablesChain(String name, String description, List<IptablesRule> rules) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.description = Objects.requireNonNull(description, "description == null");
        if (name.length() > ChainNames.MAX_LENGTH) {
            throw new IllegalArgumentException("chain name longer than 28 characters: " + name);
        }
        this.rules = List.copyOf(rules);
        this.hashes = List.copyOf(ruleHashes(name, this.rules));
    }

    /** Chained SHA-224 over the chain name and each rule's arguments and id, 16 base64url characters per rule. */
    static List<String> ruleHashes(String chain, List<IptablesRule> rules) {
        List<String> out = new ArrayList<>(rules.size());
        MessageDigest sha224;
        try {
            sha224 = MessageDigest.getInstance("SHA-224");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-224", e);
        }
        byte[] h = sha224.digest(("tortie-chain:" + chain).getBytes(StandardCharsets.UTF_8));
        for (IptablesRule r : rules) {
            sha224.update(h);
            sha224.update((r.spec() + "|" + (r.ruleId() == null ? "" : r.ruleId())).getBytes(StandardCharsets.UTF_8));
            h = sha224.digest();
            out.add(URL.encodeToString(h).substring(0, ChainNames.HASH_LENGTH));
        }
        return out;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<IptablesRule> rules() {
        return rules;
    }

    public List<String> hashes() {
        return hashes;
    }

    /** The comment of rule {@code i}: {@code tortie:<hash>} plus the rule id when it has one. */
    public String comment(int i) {
        return ChainNames.comment(hashes.get(i), rules.get(i).ruleId());
    }

    /** The {@code -A} line of rule {@code i}, comment first (as Felix writes it). */
    public String appendLine(int i) {
        return "-A " + name + " -m comment --comment \"" + comment(i) + "\" "
                + rules.get(i).spec();
    }

    /** Every {@code -A} line, in order. */
    public List<String> appendLines() {
        List<String> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            out.add(appendLine(i));
        }
        return out;
    }

    /** Every chain this one jumps or goes to. */
    public List<String> targets() {
        List<String> out = new ArrayList<>();
        for (IptablesRule r : rules) {
            List<String> a = r.args();
            for (int i = 0; i + 1 < a.size(); i++) {
                if ((a.get(i).equals("-j") || a.get(i).equals("-g")) && ChainNames.owned(a.get(i + 1))) {
                    out.add(a.get(i + 1));
                }
            }
        }
        return out;
    }

    /** Every IP set this chain's rules match on. */
    public List<String> referencedSets() {
        List<String> out = new ArrayList<>();
        for (IptablesRule r : rules) {
            List<String> a = r.args();
            for (int i = 0; i + 1 < a.size(); i++) {
                if (a.get(i).equals("--match-set")) {
                    out.add(a.get(i + 1));
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IptablesChain c
                && name.equals(c.name)
                && rules.equals(c.rules)
                && description.equals(c.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, rules);
    }

    @Override
    public String toString() {
        return name + " (" + rules.size() + " rules)";
    }
}
