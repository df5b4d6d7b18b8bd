package dev.tortie.dataplane.bpf;

import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.model.Protocol;

/** The frame a program sees for an evaluator {@link Packet} (TCP as a SYN; ICMP with identifier 0x4242). */
public final class Flows {
    private Flows() {}

    public static byte[] frame(Packet p) {
        int proto = p.protocol().number();
        if (proto == Protocol.TCP.number()) {
            return TestPackets.tcp(p.src(), p.dst(), p.srcPort(), p.dstPort(), TestPackets.SYN);
        }
        if (proto == Protocol.UDP.number()) {
            return TestPackets.udp(p.src(), p.dst(), p.srcPort(), p.dstPort());
        }
        if (proto == Protocol.SCTP.number()) {
            return TestPackets.sctp(p.src(), p.dst(), p.srcPort(), p.dstPort());
        }
        if (p.protocol().isIcmp()) {
            byte[] f = TestPackets.icmp(p.src(), p.dst(), p.icmpType(), p.icmpCode(), 0x4242);
            f[14 + 9] = (byte) proto; // ICMP or (oddly, over IPv4) ICMPv6: both carry type and code
            return f;
        }
        return TestPackets.other(p.src(), p.dst(), proto);
    }

    /** {@code tcp 10.0.0.1:1234 -> 10.0.0.2:80} for messages. */
    public static String describe(Packet p) {
        if (p.protocol().isIcmp()) {
            return p.protocol().kernelName() + " " + p.src() + " -> " + p.dst() + " type " + p.icmpType() + " code "
                    + p.icmpCode();
        }
        return p.protocol().kernelName() + " " + p.src() + ":" + p.srcPort() + " -> " + p.dst() + ":" + p.dstPort();
    }
}
