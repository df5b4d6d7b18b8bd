package dev.tortie.dataplane.flowlog;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * Aggregated flow decisions: every event with the same source, destination, destination port, protocol, deciding rule,
 * verdict and direction in one interval (or, for a merged query, in the whole queried window).
 *
 * @param protocol IP protocol number
 * @param ruleId the deciding rule, e.g. {@code knp/app-b/allow-a/ingress/0}, {@code tier/default/ingress/end}, {@code
 *     pro/kns.app-a/egress/0}, {@code endpoint/app-b/web/ingress/no-profile}
 * @param start start of the interval the record covers (the first bucket's start for merged records)
 * @param firstSeen first event
 * @param lastSeen last event
 * @param packets events counted (first packets of connections, plus packets the policy saw again such as retransmitted
 *     SYNs of a denied connection)
 */
public record FlowRecord(
        IpAddress src,
        IpAddress dst,
        int dstPort,
        int protocol,
        String ruleId,
        FlowVerdict verdict,
        Direction direction,
        Instant start,
        Instant firstSeen,
        Instant lastSeen,
        long packets) {
    public FlowRecord {
        Objects.requireNonNull(src, "src == null");
        Objects.requireNonNull(dst, "dst == null");
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(verdict, "verdict == null");
        Objects.requireNonNull(direction, "direction == null");
        Objects.requireNonNull(start, "start == null");
        Objects.requireNonNull(firstSeen, "firstSeen == null");
        Objects.requireNonNull(lastSeen, "lastSeen == null");
    }

    /** The policy (or tier, profile, endpoint) part of the rule id: see {@link #policyOf(String)}. */
    public String policy() {
        return policyOf(ruleId);
    }

    /** Calico's spelling of the protocol: TCP, UDP, ICMP, ... or the number. */
    public String protocolName() {
        return FlowEvent.protocolName(protocol);
    }

    /** The protocol as the engine's value, or null for 0. */
    public Protocol protocolValue() {
        return protocol >= 1 && protocol <= 255 ? new Protocol(protocol) : null;
    }

    /**
     * What a rule id belongs to: everything before its direction segment. {@code knp/app-b/allow-a/ingress/0} belongs
     * to {@code knp/app-b/allow-a}, {@code tier/default/ingress/end} to {@code tier/default}, {@code
     * endpoint/app-b/web/ingress/no-profile} to {@code endpoint/app-b/web}, {@code dataplane/unknown-interface/egress}
     * to {@code dataplane/unknown-interface}. An id without a direction segment belongs to itself.
     */
    public static String policyOf(String ruleId) {
        int end = ruleId.length();
        while (end > 0) {
            int slash = ruleId.lastIndexOf('/', end - 1);
            String segment = ruleId.substring(slash + 1, end);
            if (segment.equals("ingress") || segment.equals("egress")) {
                return slash <= 0 ? ruleId : ruleId.substring(0, slash);
            }
            if (slash < 0) {
                break;
            }
            end = slash;
        }
        return ruleId;
    }

    @Override
    public String toString() {
        return verdict.lowerName() + " " + direction.lowerName() + " " + src + " -> " + dst + " " + protocolName()
                + (dstPort == 0 ? "" : "/" + dstPort) + " by " + ruleId + " x" + packets;
    }
}
