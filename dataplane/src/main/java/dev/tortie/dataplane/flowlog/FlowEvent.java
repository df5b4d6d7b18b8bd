package dev.tortie.dataplane.flowlog;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * One flow decision as a reader took it from the kernel: the first packet of a connection (or a packet the policy saw
 * again, such as a retransmitted SYN of a denied connection) and the rule that decided it. IPv4 only, like both
 * dataplanes.
 *
 * @param timeMillis when the kernel decided (wall clock, ms), or 0 when unknown (the aggregator then uses its clock)
 * @param numericRuleId the 64-bit rule id: FNV-1a of the rule id text ({@code engine.ir.Hashes.fnv64a}), the same on
 *     both dataplanes
 * @param ruleId the rule id text, e.g. {@code knp/app-b/allow-a/ingress/0}; {@code 0x<16 hex>} when the reader could
 *     not resolve the number (a rule of a program that is gone)
 * @param direction the policy direction of the endpoint whose rule decided
 * @param srcIp source address (IPv4 bits, as {@link IpAddress#v4Bits()})
 * @param dstIp destination address (IPv4 bits)
 * @param srcPort source port (0 for protocols without ports)
 * @param dstPort destination port (0 for protocols without ports)
 * @param protocol IP protocol number
 */
public record FlowEvent(
        long timeMillis,
        long numericRuleId,
        String ruleId,
        FlowVerdict verdict,
        Direction direction,
        int srcIp,
        int dstIp,
        int srcPort,
        int dstPort,
        int protocol) {
    public FlowEvent {
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(verdict, "verdict == null");
        Objects.requireNonNull(direction, "direction == null");
        if (srcPort < 0 || srcPort > 65535 || dstPort < 0 || dstPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + srcPort + " -> " + dstPort);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol + " out of range 0-255");
        }
    }

    public IpAddress src() {
        return IpAddress.ofV4(srcIp);
    }

    public IpAddress dst() {
        return IpAddress.ofV4(dstIp);
    }

    /** The text used for a rule id no program or ruleset names: {@code 0x} and 16 hex digits. */
    public static String unknownRuleId(long numericRuleId) {
        return String.format(Locale.ROOT, "0x%016x", numericRuleId);
    }

    /** Calico's spelling of a protocol number (TCP, UDP, ICMP, ... or the number). */
    static String protocolName(int protocol) {
        return protocol >= 1 && protocol <= 255 ? new Protocol(protocol).displayName() : Integer.toString(protocol);
    }

    @Override
    public String toString() {
        return verdict.lowerName() + " " + direction.lowerName() + " " + protocolName(protocol) + " " + src() + ":"
                + srcPort + " -> " + dst() + ":" + dstPort + " by " + ruleId;
    }
}
