package dev.tortie.engine.ir;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PolicyId;
import java.util.Objects;

/**
 * A stable rule identity: policy, direction and index, printed as {@code knp/app-b/allow-a/ingress/0}, with a short
 * hash used where kernel names are length-limited (iptables comments, NFLOG prefixes) and a 64-bit form for BPF
 * counters.
 */
public record RuleId(PolicyId policy, Direction direction, int index) implements Comparable<RuleId> {
    public RuleId {
        Objects.requireNonNull(policy, "policy == null");
        Objects.requireNonNull(direction, "direction == null");
    }

    @Override
    public String toString() {
        return policy + "/" + direction.lowerName() + "/" + index;
    }

    /** 16 base64url characters of SHA-224 over {@link #toString()}. */
    public String hash() {
        return Hashes.shortHash(toString(), 16);
    }

    public long numericId() {
        return Hashes.fnv64a(toString());
    }

    @Override
    public int compareTo(RuleId other) {
        int c = policy.compareTo(other.policy);
        if (c != 0) {
            return c;
        }
        c = direction.compareTo(other.direction);
        return c != 0 ? c : Integer.compare(index, other.index);
    }
}
