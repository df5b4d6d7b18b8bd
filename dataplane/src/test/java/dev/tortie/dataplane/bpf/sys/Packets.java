package dev.tortie.dataplane.bpf.sys;

import dev.tortie.engine.net.IpAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Hand-built Ethernet frames for test runs (checksums are left 0: the programs under test do not check them). */
final class Packets {
    static final int TCP = 6;
    static final int UDP = 17;

    private Packets() {}

    static byte[] tcp(String src, String dst, int srcPort, int dstPort) {
        return ipv4(src, dst, TCP, srcPort, dstPort, 5, 0);
    }

    static byte[] udp(String src, String dst, int srcPort, int dstPort) {
        return ipv4(src, dst, UDP, srcPort, dstPort, 5, 0);
    }

    /**
     * An IPv4 frame with an L4 header of 20 bytes (TCP) or 8 bytes (UDP).
     *
     * @param ihl IP header length in 32-bit words (5 without options)
     * @param fragmentOffset in 8-byte units; non-zero makes a non-first fragment
     */
    static byte[] ipv4(String src, String dst, int protocol, int srcPort, int dstPort, int ihl, int fragmentOffset) {
        int l4 = protocol == UDP ? 8 : 20;
        int ipLen = ihl * 4;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLen + l4); // network order
        ethernet(b, 0x0800);
        b.put((byte) (0x40 | ihl)).put((byte) 0).putShort((short) (ipLen + l4));
        b.putShort((short) 0x1234).putShort((short) (fragmentOffset & 0x1fff));
        b.put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.put(IpAddress.parse(src).toBytes()).put(IpAddress.parse(dst).toBytes());
        for (int i = 20; i < ipLen; i++) {
            b.put((byte) 1); // NOP options
        }
        b.putShort((short) srcPort).putShort((short) dstPort);
        if (protocol == UDP) {
            b.putShort((short) l4).putShort((short) 0);
        } else {
            b.putInt(1)
                    .putInt(0)
                    .put((byte) 0x50)
                    .put((byte) 0x02)
                    .putShort((short) 64240)
                    .putInt(0); // SYN
        }
        return b.array();
    }

    /** The first {@code length} bytes of a frame. */
    static byte[] truncated(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }

    static byte[] arpRequest() {
        ByteBuffer b = ByteBuffer.allocate(42);
        ethernet(b, 0x0806);
        b.putShort((short) 1)
                .putShort((short) 0x0800)
                .put((byte) 6)
                .put((byte) 4)
                .putShort((short) 1);
        return b.array();
    }

    static byte[] ipv6Udp() {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8);
        ethernet(b, 0x86dd);
        b.putInt(0x60000000).putShort((short) 8).put((byte) UDP).put((byte) 64);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, int etherType) {
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) etherType);
    }
}
