package dev.tortie.dataplane.render.iptables;

import dev.tortie.engine.ir.Hashes;
import dev.tortie.engine.model.Direction;
import java.util.Locale;
import java.util.Objects;

/**
 * The NFLOG prefix of a deciding rule: {@code tortie:<A|D><I|E>:<16 hex>}, e.g. {@code tortie:DI:8c3f0e2a91b4d756} =
 * Deny, Ingress, rule id number 0x8c3f0e2a91b4d756.
 *
 * <p>Calico's scheme ({@code <A|D|P><P|R><I|E><index>|<policyId>}, reference d.10) spells out the policy, but tortie's
 * rule ids ({@code knp/app-b/allow-a/ingress/0}, {@code endpoint/<ns>/<pod>/ingress/no-profile}) overflow the 64 bytes
 * NFLOG carries. So the prefix carries the verdict and direction letters for people reading raw captures, and the 64-bit
 * rule id (FNV-1a of the id text, {@link Hashes#fnv64a}): the same number the eBPF programs record, so both dataplanes
 * attribute flows identically. The rendered {@link Ruleset#nflogRuleIds()} maps the number back to the id text. 26
 * characters, well inside NFLOG's 64.
 *
 * @param allow Allow (true) or Deny (false)
 * @param direction the policy direction of the deciding rule
 * @param numericId FNV-1a of the rule id text
 */
public record NflogPrefix(boolean allow, Direction direction, long numericId) {
    /** Every tortie NFLOG prefix starts with this. */
    public static final String TAG = "tortie:";

    public static final int LENGTH = TAG.length() + 3 + 16;

    public NflogPrefix {
        Objects.requireNonNull(direction, "direction == null");
    }

    /** The prefix of rule {@code ruleId}. */
    public static NflogPrefix of(String ruleId, boolean allow, Direction direction) {
        return new NflogPrefix(allow, direction, Hashes.fnv64a(ruleId));
    }

    /** {@code tortie:<A|D><I|E>:<16 hex>}. */
    public String text() {
        return String.format(Locale.ROOT, "%s%c%c:%016x", TAG, allow ? 'A' : 'D', direction.letter(), numericId);
    }

    /** The prefix in {@code text} (trailing NULs and spaces ignored), or null when it is not one of tortie's. */
    public static NflogPrefix parse(String text) {
        if (text == null) {
            return null;
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == 0 || text.charAt(end - 1) == ' ')) {
            end--;
        }
        if (end != LENGTH || !text.startsWith(TAG) || text.charAt(TAG.length() + 2) != ':') {
            return null;
        }
        char verdict = text.charAt(TAG.length());
        char dir = text.charAt(TAG.length() + 1);
        if (verdict != 'A' && verdict != 'D') {
            return null;
        }
        Direction direction = dir == 'I' ? Direction.INGRESS : dir == 'E' ? Direction.EGRESS : null;
        if (direction == null) {
            return null;
        }
        long id = 0;
        for (int i = TAG.length() + 3; i < end; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || Character.isUpperCase(text.charAt(i))) {
                return null;
            }
            id = (id << 4) | digit;
        }
        return new NflogPrefix(verdict == 'A', direction, id);
    }

    @Override
    public String toString() {
        return text();
    }
}
