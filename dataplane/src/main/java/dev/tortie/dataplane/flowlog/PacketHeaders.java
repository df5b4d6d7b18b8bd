package dev.tortie.dataplane.flowlog;

/**
 * The fields a flow record needs from the start of an IPv4 packet (what NFLOG copies: {@code --nflog-size} bytes from
 * the IP header on).
 *
 * <pre>
 * IPv4 header (RFC 791), network byte order
 *  0  u8  version (high 4 bits, 4) and IHL (low 4 bits, header length in 32-bit words, 5-15)
 *  6  u16 flags (3 bits) and fragment offset (13 bits): non-zero offset = not the first fragment, no L4 header
 *  9  u8  protocol
 * 12  u32 source address
 * 16  u32 destination address
 * IHL*4: L4 header; TCP, UDP, UDP-Lite and SCTP start with u16 source port, u16 destination port
 * </pre>
 *
 * @param srcIp source address bits
 * @param dstIp destination address bits
 * @param protocol IP protocol number
 * @param srcPort source port (0 without ports, for a non-first fragment, or when the copy is too short)
 * @param dstPort destination port (likewise)
 */
public record PacketHeaders(int srcIp, int dstIp, int protocol, int srcPort, int dstPort) {
    /** The headers of the IPv4 packet in {@code data[offset, offset + length)}, or null when it is not IPv4. */
    public static PacketHeaders parseIpv4(byte[] data, int offset, int length) {
        if (length < 20 || offset < 0 || offset + length > data.length) {
            return null;
        }
        int versionIhl = data[offset] & 0xff;
        int ihl = (versionIhl & 0x0f) * 4;
        if ((versionIhl >>> 4) != 4 || ihl < 20) {
            return null;
        }
        int protocol = data[offset + 9] & 0xff;
        int src = u32(data, offset + 12);
        int dst = u32(data, offset + 16);
        int fragmentOffset = u16(data, offset + 6) & 0x1fff;
        int sport = 0;
        int dport = 0;
        boolean ports = protocol == 6 || protocol == 17 || protocol == 132 || protocol == 136;
        if (ports && fragmentOffset == 0 && length >= ihl + 4) {
            sport = u16(data, offset + ihl);
            dport = u16(data, offset + ihl + 2);
        }
        return new PacketHeaders(src, dst, protocol, sport, dport);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static int u32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
