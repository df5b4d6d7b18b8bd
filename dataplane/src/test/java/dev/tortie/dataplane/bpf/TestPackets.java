package dev.tortie.dataplane.bpf;

import dev.tortie.engine.net.IpAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Hand-built Ethernet frames for BPF_PROG_TEST_RUN (checksums 0: the programs do not check them). */
public final class TestPackets {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private TestPackets() {}

    public static byte[] tcp(IpAddress src, IpAddress dst, int srcPort, int dstPort, int flags) {
        ByteBuffer l4 = ByteBuffer.allocate(20);
        l4.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(flags == SYN ? 0 : 1);
        l4.put((byte) 0x50).put((byte) flags).putShort((short) 64240).putInt(0);
        return ipv4(src, dst, 6, l4.array(), 0);
    }

    public static byte[] udp(IpAddress src, IpAddress dst, int srcPort, int dstPort) {
        ByteBuffer l4 = ByteBuffer.allocate(12);
        l4.putShort((short) srcPort)
                .putShort((short) dstPort)
                .putShort((short) 12)
                .putShort((short) 0);
        l4.putInt(0x74657374);
        return ipv4(src, dst, 17, l4.array(), 0);
    }

    /** SCTP common header (ports, tag, checksum) only. */
    public static byte[] sctp(IpAddress src, IpAddress dst, int srcPort, int dstPort) {
        ByteBuffer l4 = ByteBuffer.allocate(12);
        l4.putShort((short) srcPort).putShort((short) dstPort).putInt(7).putInt(0);
        return ipv4(src, dst, 132, l4.array(), 0);
    }

    /** An ICMP message with an 8-byte header: type, code, checksum 0, identifier, sequence 1. */
    public static byte[] icmp(IpAddress src, IpAddress dst, int type, int code, int identifier) {
        ByteBuffer l4 = ByteBuffer.allocate(16);
        l4.put((byte) type)
                .put((byte) code)
                .putShort((short) 0)
                .putShort((short) identifier)
                .putShort((short) 1);
        l4.putLong(0x0102030405060708L);
        return ipv4(src, dst, 1, l4.array(), 0);
    }

    /** An ICMP error quoting {@code quoted} (an Ethernet frame: its IP header and first 8 payload bytes). */
    public static byte[] icmpError(IpAddress src, IpAddress dst, int type, int code, byte[] quoted) {
        int quoteLength = Math.min(quoted.length - 14, 28);
        ByteBuffer l4 = ByteBuffer.allocate(8 + quoteLength);
        l4.put((byte) type).put((byte) code).putShort((short) 0).putInt(0);
        l4.put(quoted, 14, quoteLength);
        return ipv4(src, dst, 1, l4.array(), 0);
    }

    /** Any protocol with a small payload (no L4 header the program reads). */
    public static byte[] other(IpAddress src, IpAddress dst, int protocol) {
        return ipv4(src, dst, protocol, new byte[8], 0);
    }

    /** A non-first fragment (offset in 8-byte units). */
    public static byte[] fragment(IpAddress src, IpAddress dst, int protocol, int offset) {
        return ipv4(src, dst, protocol, new byte[16], offset);
    }

    public static byte[] ipv4(IpAddress src, IpAddress dst, int protocol, byte[] l4, int fragmentOffset) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4.length);
        ethernet(b, 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length));
        b.putShort((short) 0x1234).putShort((short) (fragmentOffset & 0x1fff));
        b.put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.put(src.toBytes()).put(dst.toBytes());
        b.put(l4);
        return b.array();
    }

    public static byte[] arp() {
        ByteBuffer b = ByteBuffer.allocate(42);
        ethernet(b, 0x0806);
        b.putShort((short) 1)
                .putShort((short) 0x0800)
                .put((byte) 6)
                .put((byte) 4)
                .putShort((short) 1);
        return b.array();
    }

    public static byte[] ipv6Udp() {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8);
        ethernet(b, 0x86dd);
        b.putInt(0x60000000).putShort((short) 8).put((byte) 17).put((byte) 64);
        return b.array();
    }

    public static byte[] ethertype(int etherType) {
        ByteBuffer b = ByteBuffer.allocate(60);
        ethernet(b, etherType);
        return b.array();
    }

    public static byte[] truncated(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }

    private static void ethernet(ByteBuffer b, int etherType) {
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) etherType);
    }
}
