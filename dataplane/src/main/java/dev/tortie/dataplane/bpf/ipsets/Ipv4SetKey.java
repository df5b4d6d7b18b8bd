package dev.tortie.dataplane.bpf.ipsets;

import dev.tortie.engine.ir.Hashes;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A key of the IPv4 IP-set LPM trie, laid out as Calico's {@code cali_v4_ip_sets} key (felix/bpf/ipsets): all sets
 * share one trie, so the set id is part of the key and the prefix always covers it.
 *
 * <pre>
 * offset size  field
 *      0    4  prefixlen  host order; bits of the data below that must match (the trie's bpf_lpm_trie_key header)
 *      4    8  set id     big-endian, so the trie compares it most significant bit first
 *     12    4  address    IPv4, network order (as in the packet)
 *     16    2  port       network order (as in the packet); 0 for CIDR members
 *     18    1  protocol   IP protocol number; 0 for CIDR members
 *     19    1  pad        0, never covered by a prefix
 * </pre>
 *
 * A CIDR member {@code a.b.c.d/n} of set {@code s} is stored with prefixlen {@code 64 + n}; a named-port member
 * {@code (addr, proto, port)} with prefixlen {@value #FULL_PREFIX_LEN} (set id + address + port + protocol). A program
 * looks up with prefixlen {@value #FULL_PREFIX_LEN} and the packet's address, port and protocol, so one lookup answers
 * both kinds. Unlike Calico, which stores the port in host order, the port stays in network order so the program copies
 * it from the packet without a byte swap.
 */
public record Ipv4SetKey(int prefixLen, long setId, int address, int port, int protocol) {
    public static final int SIZE = 20;
    public static final int OFFSET_PREFIX_LEN = 0;
    public static final int OFFSET_SET_ID = 4;
    public static final int OFFSET_ADDRESS = 12;
    public static final int OFFSET_PORT = 16;
    public static final int OFFSET_PROTOCOL = 18;
    public static final int OFFSET_PAD = 19;
    public static final int SET_ID_BITS = 64;
    /** Set id, address, port and protocol: what a lookup and a named-port member use. */
    public static final int FULL_PREFIX_LEN = SET_ID_BITS + 32 + 16 + 8;

    public Ipv4SetKey {
        if (prefixLen < SET_ID_BITS || prefixLen > FULL_PREFIX_LEN) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLen + " out of range " + SET_ID_BITS + "-" + FULL_PREFIX_LEN);
        }
        if (prefixLen < FULL_PREFIX_LEN && (port != 0 || protocol != 0)) {
            throw new IllegalArgumentException("only full-length keys carry a port and protocol");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " out of range 0-65535");
        }
        if (protocol < 0 || protocol > 0xff) {
            throw new IllegalArgumentException("protocol " + protocol + " out of range 0-255");
        }
        int addressBits = Math.min(32, prefixLen - SET_ID_BITS);
        if (addressBits < 32 && (address & ~mask(addressBits)) != 0) {
            throw new IllegalArgumentException("address has host bits set beyond /" + addressBits);
        }
    }

    /** The numeric set id for an IR set id ({@code s:...} or {@code n:...}): its 64-bit FNV-1a hash. */
    public static long setIdOf(String irSetId) {
        Objects.requireNonNull(irSetId, "irSetId == null");
        return Hashes.fnv64a(irSetId);
    }

    /** A CIDR (or /32 endpoint) member of a selector set. */
    public static Ipv4SetKey cidr(long setId, Cidr cidr) {
        requireV4(cidr.network());
        return new Ipv4SetKey(
                SET_ID_BITS + cidr.prefixLength(), setId, cidr.network().v4Bits(), 0, 0);
    }

    /** A named-port member, or the key a program builds to look a packet up. */
    public static Ipv4SetKey full(long setId, IpAddress address, Protocol protocol, int port) {
        requireV4(address);
        return new Ipv4SetKey(FULL_PREFIX_LEN, setId, address.v4Bits(), port, protocol.number());
    }

    /**
     * A member in ipset syntax as {@code IpSetContent} lists it: {@code 10.65.0.5/32}, {@code 10.0.0.0/8}, a bare
     * address, or {@code 10.65.0.5,tcp:80}.
     */
    public static Ipv4SetKey member(long setId, String member) {
        Objects.requireNonNull(member, "member == null");
        int comma = member.indexOf(',');
        if (comma < 0) {
            return cidr(setId, Cidr.parseCidrOrIp(member));
        }
        String portPart = member.substring(comma + 1);
        int colon = portPart.indexOf(':');
        Protocol protocol = colon < 0 ? null : Protocol.tryParse(portPart.substring(0, colon));
        if (protocol == null) {
            throw new IllegalArgumentException("invalid set member '" + member + "': expected addr,proto:port");
        }
        int port;
        try {
            port = Integer.parseInt(portPart.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in set member '" + member + "'", e);
        }
        return full(setId, IpAddress.parse(member.substring(0, comma)), protocol, port);
    }

    /** The 20-byte key in the layout above. */
    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.order(ByteOrder.nativeOrder()).putInt(OFFSET_PREFIX_LEN, prefixLen);
        buf.order(ByteOrder.BIG_ENDIAN);
        buf.putLong(OFFSET_SET_ID, setId);
        buf.putInt(OFFSET_ADDRESS, address);
        buf.putShort(OFFSET_PORT, (short) port);
        buf.put(OFFSET_PROTOCOL, (byte) protocol);
        return buf.array();
    }

    public static Ipv4SetKey decode(byte[] key) {
        if (key.length != SIZE) {
            throw new IllegalArgumentException("key length " + key.length + ", expected " + SIZE);
        }
        ByteBuffer buf = ByteBuffer.wrap(key);
        int prefixLen = buf.order(ByteOrder.nativeOrder()).getInt(OFFSET_PREFIX_LEN);
        buf.order(ByteOrder.BIG_ENDIAN);
        return new Ipv4SetKey(
                prefixLen,
                buf.getLong(OFFSET_SET_ID),
                buf.getInt(OFFSET_ADDRESS),
                buf.getShort(OFFSET_PORT) & 0xffff,
                buf.get(OFFSET_PROTOCOL) & 0xff);
    }

    @Override
    public String toString() {
        String addr = IpAddress.ofV4(address) + "/" + Math.min(32, prefixLen - SET_ID_BITS);
        String rest = prefixLen == FULL_PREFIX_LEN ? "," + protocol + ":" + port : "";
        return String.format("set %016x %s%s (prefixlen %d)", setId, addr, rest, prefixLen);
    }

    private static int mask(int bits) {
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    private static void requireV4(IpAddress address) {
        if (address.isV6()) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
    }
}
