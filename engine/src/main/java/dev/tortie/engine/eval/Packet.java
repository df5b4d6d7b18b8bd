package dev.tortie.engine.eval;

import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.util.Objects;

/**
 * The first packet of a connection, as policy sees it.
 *
 * @param srcPort 0 when unknown (an ephemeral port); a rule with source ports then does not match
 * @param icmpType -1 unless ICMP
 */
public record Packet(
        IpAddress src, IpAddress dst, Protocol protocol, int srcPort, int dstPort, int icmpType, int icmpCode) {
    public Packet {
        Objects.requireNonNull(src, "src == null");
        Objects.requireNonNull(dst, "dst == null");
        Objects.requireNonNull(protocol, "protocol == null");
    }

    public static Packet of(IpAddress src, IpAddress dst, Protocol protocol, int dstPort) {
        return new Packet(src, dst, protocol, 0, dstPort, -1, -1);
    }

    public static Packet icmp(IpAddress src, IpAddress dst, Protocol protocol, int type, int code) {
        return new Packet(src, dst, protocol, 0, 0, type, code);
    }
}
