package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.engine.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection-state map the policy programs share: one entry per connection, keyed by its 5-tuple in a
 * direction-independent (normalised) order, recording which endpoint programs approved it. See the package
 * documentation for the design.
 *
 * <pre>
 * key (16 bytes)                            value (16 bytes)
 *  0  u32 address a  network order           0  u64 expires   bpf_ktime_get_ns() deadline, host order
 *  4  u32 address b  network order           8  u32 flags     host order, bits below
 *  8  u16 port a     network order          12  u32 reserved  0
 * 10  u16 port b     network order
 * 12  u8  protocol, 3 bytes pad 0
 * </pre>
 *
 * Side a is the smaller of (address, port) and (address', port') compared as the raw network-order words, so both
 * directions of a connection build the same key. TCP, UDP and SCTP use their ports; ICMP echo uses the echo
 * identifier as both ports (request and reply then share the entry); other protocols use port 0. An ICMP error
 * (destination unreachable, time exceeded, parameter problem) is looked up with the tuple of the packet it quotes:
 * it is "related" to that connection and travels against the quoted packet's direction.
 */
public final class Conntrack {
    public static final int KEY_SIZE = 16;
    public static final int VALUE_SIZE = 16;

    public static final int KEY_ADDR_A = 0;
    public static final int KEY_ADDR_B = 4;
    public static final int KEY_PORT_A = 8;
    public static final int KEY_PORT_B = 10;
    public static final int KEY_PROTO = 12;

    public static final int VALUE_EXPIRES = 0;
    public static final int VALUE_FLAGS = 8;

    /** The connection's opener (its first packet's source) is side b of the key. */
    public static final int OPENER_B = 0x01;
    /** The opener's egress program allowed the connection (replies may enter the opener). */
    public static final int SRC_APPROVED = 0x02;
    /** The responder's ingress program allowed the connection (replies may leave the responder). */
    public static final int DST_APPROVED = 0x04;
    /** A TCP RST was seen: the entry expires after {@link #RST_TIMEOUT_NS} and is never refreshed again. */
    public static final int RST_SEEN = 0x08;
    /** Side a sent a TCP FIN. */
    public static final int FIN_A = 0x10;
    /** Side b sent a TCP FIN. */
    public static final int FIN_B = 0x20;

    public static final int FIN_BOTH = FIN_A | FIN_B;
    /** The opener is an endpoint of this node (its egress program polices the connection). */
    public static final int SRC_LOCAL = 0x40;
    /** The responder is an endpoint of this node (its ingress program polices the connection). */
    public static final int DST_LOCAL = 0x80;

    public static final int BOTH_LOCAL = SRC_LOCAL | DST_LOCAL;
    public static final int BOTH_APPROVED = SRC_APPROVED | DST_APPROVED;

    public static final long TCP_TIMEOUT_NS = 3600L * 1_000_000_000L;
    public static final long UDP_TIMEOUT_NS = 60L * 1_000_000_000L;
    public static final long ICMP_TIMEOUT_NS = 5L * 1_000_000_000L;
    public static final long OTHER_TIMEOUT_NS = 60L * 1_000_000_000L;
    /** After FINs from both sides: long enough for the last ACK and retransmissions. */
    public static final long FIN_TIMEOUT_NS = 30L * 1_000_000_000L;
    /** After a RST: long enough for the RST itself to cross the node (both endpoint programs on its path). */
    public static final long RST_TIMEOUT_NS = 2L * 1_000_000_000L;

    private Conntrack() {}

    /** One decoded entry, for dumps and tests. */
    public record Entry(
            int protocol, IpAddress addressA, int portA, IpAddress addressB, int portB, long expiresNs, int flags) {
        public boolean has(int flag) {
            return (flags & flag) == flag;
        }

        @Override
        public String toString() {
            List<String> names = new ArrayList<>();
            String[] known = {
                "opener=b", "src-approved", "dst-approved", "rst", "fin-a", "fin-b", "src-local", "dst-local"
            };
            for (int bit = 0; bit < known.length; bit++) {
                if ((flags & (1 << bit)) != 0) {
                    names.add(known[bit]);
                }
            }
            return String.format(
                    "proto %d %s:%d <-> %s:%d expires %d [%s]",
                    protocol, addressA, portA, addressB, portB, expiresNs, String.join(",", names));
        }
    }

    /** Decodes a key and value as read from the map. */
    public static Entry decode(byte[] key, byte[] value) {
        ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        return new Entry(
                k.get(KEY_PROTO) & 0xff,
                IpAddress.ofV4(k.getInt(KEY_ADDR_A)),
                k.getShort(KEY_PORT_A) & 0xffff,
                IpAddress.ofV4(k.getInt(KEY_ADDR_B)),
                k.getShort(KEY_PORT_B) & 0xffff,
                v.getLong(VALUE_EXPIRES),
                v.getInt(VALUE_FLAGS));
    }

    /** The key a program builds for a packet {@code src:srcPort -> dst:dstPort} (either direction gives the same). */
    public static byte[] key(int protocol, IpAddress src, int srcPort, IpAddress dst, int dstPort) {
        long s = src.v4Bits() & 0xffffffffL;
        long d = dst.v4Bits() & 0xffffffffL;
        // The program compares the words as loaded on a little-endian host: byte-swapped network order.
        long sLoaded = Integer.reverseBytes((int) s) & 0xffffffffL;
        long dLoaded = Integer.reverseBytes((int) d) & 0xffffffffL;
        int spLoaded = Short.reverseBytes((short) srcPort) & 0xffff;
        int dpLoaded = Short.reverseBytes((short) dstPort) & 0xffff;
        boolean srcFirst = sLoaded < dLoaded || (sLoaded == dLoaded && spLoaded <= dpLoaded);
        ByteBuffer k = ByteBuffer.allocate(KEY_SIZE).order(ByteOrder.BIG_ENDIAN);
        k.putInt(KEY_ADDR_A, (int) (srcFirst ? s : d));
        k.putInt(KEY_ADDR_B, (int) (srcFirst ? d : s));
        k.putShort(KEY_PORT_A, (short) (srcFirst ? srcPort : dstPort));
        k.putShort(KEY_PORT_B, (short) (srcFirst ? dstPort : srcPort));
        k.put(KEY_PROTO, (byte) protocol);
        return k.array();
    }
}
