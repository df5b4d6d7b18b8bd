package dev.tortie.dataplane.render.iptables;

import dev.tortie.engine.ir.Hashes;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PolicyId;
import java.util.regex.Pattern;

/**
 * Names of tortie's iptables chains and the text of its rule comments. Every chain tortie owns starts with {@link
 * #PREFIX}; names are at most 28 characters (iptables' limit as Felix counts it); a name that would be longer, or
 * carries characters unsafe in a chain name, becomes {@code prefix + "_" + hash}.
 */
public final class ChainNames {
    public static final String PREFIX = "tortie-";
    public static final int MAX_LENGTH = 28;

    public static final String FORWARD = PREFIX + "FORWARD";
    public static final String FROM_WORKLOAD_DISPATCH = PREFIX + "from-wl-dispatch";
    public static final String TO_WORKLOAD_DISPATCH = PREFIX + "to-wl-dispatch";

    /** Every tortie rule comment starts with this, then 16 hash characters, then optionally a space and the rule id. */
    public static final String COMMENT_PREFIX = "tortie:";

    public static final int HASH_LENGTH = 16;
    /** iptables' comment limit is 256 bytes including the terminating NUL. */
    public static final int MAX_COMMENT_LENGTH = 255;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

    private ChainNames() {}

    public static boolean owned(String chain) {
        return chain.startsWith(PREFIX);
    }

    /** {@code tortie-tw-<iface>}: traffic to the workload, i.e. its ingress policy. */
    public static String toWorkload(String iface) {
        return limited(PREFIX + "tw-", iface);
    }

    /** {@code tortie-fw-<iface>}: traffic from the workload, i.e. its egress policy. */
    public static String fromWorkload(String iface) {
        return limited(PREFIX + "fw-", iface);
    }

    /** {@code tortie-pi-<hash>} (ingress) or {@code tortie-po-<hash>} (egress) of a policy id. */
    public static String policy(PolicyId id, Direction direction) {
        String prefix = PREFIX + (direction == Direction.INGRESS ? "pi-" : "po-");
        return prefix + Hashes.shortHash(id.toString(), MAX_LENGTH - prefix.length());
    }

    /** {@code tortie-pri-<name>} (ingress) or {@code tortie-pro-<name>} (egress) of a profile, e.g. kns.app-a. */
    public static String profile(String name, Direction direction) {
        return limited(PREFIX + (direction == Direction.INGRESS ? "pri-" : "pro-"), name);
    }

    /** Sub-chain of a dispatch chain for interfaces whose next character after the prefix is {@code key}. */
    public static String dispatchBin(String dispatchChain, String key) {
        return limited(dispatchChain + "-", key);
    }

    /** {@code prefix + id} when it fits and is safe, else {@code prefix + "_" + hash(id)} filling 28 characters. */
    public static String limited(String prefix, String id) {
        String name = prefix + id;
        if (name.length() <= MAX_LENGTH && SAFE.matcher(id).matches()) {
            return name;
        }
        int room = MAX_LENGTH - prefix.length() - 1;
        if (room < 4) {
            throw new IllegalArgumentException("chain prefix too long: " + prefix);
        }
        return prefix + "_" + Hashes.shortHash(id, room);
    }

    /**
     * The rule id as it appears in a comment: unchanged when it fits, else its first 180 characters, {@code ~} and a
     * hash of the whole id (the ruleset maps it back).
     */
    public static String commentId(String ruleId) {
        int room = MAX_COMMENT_LENGTH - COMMENT_PREFIX.length() - HASH_LENGTH - 1;
        String clean = ruleId.replace('"', '\'').replace('\n', ' ');
        if (clean.length() <= room) {
            return clean;
        }
        return clean.substring(0, 180) + "~" + Hashes.shortHash(ruleId, HASH_LENGTH);
    }

    /** The full comment of a rule. */
    public static String comment(String hash, String ruleId) {
        return COMMENT_PREFIX + hash + (ruleId == null ? "" : " " + commentId(ruleId));
    }
}
