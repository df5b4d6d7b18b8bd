package dev.tortie.dataplane.flowlog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The nfnetlink_log wire format (include/uapi/linux/netfilter/nfnetlink_log.h, linux/netlink.h): the configuration
 * request that binds a group, and the parser of what the kernel sends back. Pure, so both are tested on byte arrays.
 *
 * <pre>
 * struct nlmsghdr (16 bytes, host order)     0 u32 nlmsg_len (header included)   4 u16 nlmsg_type
 *                                            6 u16 nlmsg_flags                  8 u32 nlmsg_seq    12 u32 nlmsg_pid
 *   type NLMSG_ERROR (2): struct nlmsgerr    16 s32 error (0 = ACK, else -errno)  20 the request's nlmsghdr ...
 *   type (NFNL_SUBSYS_ULOG 4 &lt;&lt; 8) | NFULNL_MSG_PACKET 0 / NFULNL_MSG_CONFIG 1:
 * struct nfgenmsg (4 bytes)                 16 u8 nfgen_family   17 u8 version (0)   18 be16 res_id (= the group)
 * attributes from 20, each 4-byte aligned:  struct nlattr { u16 nla_len (header included); u16 nla_type (low 14 bits) }
 *
 * config attributes                          payload
 *   NFULA_CFG_CMD      1   struct nfulnl_msg_config_cmd  { u8 command }  BIND 1, UNBIND 2
 *   NFULA_CFG_MODE     2   struct nfulnl_msg_config_mode { be32 copy_range; u8 copy_mode; u8 pad } (packed, 6 bytes)
 *                          copy_mode: NONE 0, META 1, PACKET 2
 *   NFULA_CFG_NLBUFSIZ 3   be32 bytes the kernel batches into one netlink message
 *   NFULA_CFG_TIMEOUT  4   be32 flush timeout, 1/100 s
 *   NFULA_CFG_QTHRESH  5   be32 packets queued before a flush (capped by the rule's --nflog-threshold)
 *   NFULA_CFG_FLAGS    6   be16 NFULNL_CFG_F_SEQ 1 (per-group sequence numbers), F_SEQ_GLOBAL 2, F_CONNTRACK 4
 * packet attributes
 *   NFULA_PACKET_HDR   1   struct nfulnl_msg_packet_hdr { be16 hw_protocol; u8 hook; u8 pad }
 *   NFULA_TIMESTAMP    3   struct nfulnl_msg_packet_timestamp { be64 sec; be64 usec }
 *   NFULA_PAYLOAD      9   the packet from its network header on, at most the copy range / --nflog-size
 *   NFULA_PREFIX      10   the rule's --nflog-prefix, NUL-terminated
 *   NFULA_SEQ         12   be32 the group's sequence number (with F_SEQ): a gap = messages the kernel dropped
 *   (MARK 2, IFINDEX_* 4-7, HWADDR 8, UID 11, SEQ_GLOBAL 13, GID 14, HW* 15-17, CT 18-19, VLAN 20, L2HDR 21: ignored)
 * </pre>
 */
public final class NflogMessages {
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLM_F_REQUEST = 1;
    public static final int NLM_F_ACK = 4;

    public static final int NFNL_SUBSYS_ULOG = 4;
    public static final int TYPE_PACKET = NFNL_SUBSYS_ULOG << 8;
    public static final int TYPE_CONFIG = (NFNL_SUBSYS_ULOG << 8) | 1;

    public static final int NFULA_CFG_CMD = 1;
    public static final int NFULA_CFG_MODE = 2;
    public static final int NFULA_CFG_NLBUFSIZ = 3;
    public static final int NFULA_CFG_TIMEOUT = 4;
    public static final int NFULA_CFG_QTHRESH = 5;
    public static final int NFULA_CFG_FLAGS = 6;
    public static final int CMD_BIND = 1;
    public static final int CMD_UNBIND = 2;
    public static final int COPY_PACKET = 2;
    public static final int CFG_F_SEQ = 1;

    public static final int NFULA_PACKET_HDR = 1;
    public static final int NFULA_TIMESTAMP = 3;
    public static final int NFULA_PAYLOAD = 9;
    public static final int NFULA_PREFIX = 10;
    public static final int NFULA_SEQ = 12;

    private static final int NLA_TYPE_MASK = 0x3fff;

    private NflogMessages() {}

    /**
     * The request that binds {@code group} to the sending socket and configures it: packet copies of {@code copyRange}
     * bytes, {@code bufferBytes} per kernel message, flush after {@code flushCentis} hundredths of a second or {@code
     * batch} packets, sequence numbers on. With NLM_F_ACK: the kernel answers NLMSG_ERROR with 0 or -errno (EBUSY /
     * EPERM: another socket has the group).
     */
    public static byte[] bindRequest(int seq, int group, int copyRange, int bufferBytes, int flushCentis, int batch) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        header(b, TYPE_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq, group);
        int at = attr(b, NFULA_CFG_CMD, 1);
        b.put((byte) CMD_BIND);
        end(b, at);
        at = attr(b, NFULA_CFG_MODE, 6);
        b.order(ByteOrder.BIG_ENDIAN).putInt(copyRange).order(ByteOrder.nativeOrder());
        b.put((byte) COPY_PACKET).put((byte) 0);
        end(b, at);
        be32Attr(b, NFULA_CFG_NLBUFSIZ, bufferBytes);
        be32Attr(b, NFULA_CFG_TIMEOUT, flushCentis);
        be32Attr(b, NFULA_CFG_QTHRESH, batch);
        at = attr(b, NFULA_CFG_FLAGS, 2);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) CFG_F_SEQ).order(ByteOrder.nativeOrder());
        end(b, at);
        return finish(b);
    }

    /** The request that unbinds {@code group} (closing the socket does the same). */
    public static byte[] unbindRequest(int seq, int group) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        header(b, TYPE_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq, group);
        int at = attr(b, NFULA_CFG_CMD, 1);
        b.put((byte) CMD_UNBIND);
        end(b, at);
        return finish(b);
    }

    private static void header(ByteBuffer b, int type, int flags, int seq, int group) {
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        b.put((byte) 0).put((byte) 0); // AF_UNSPEC, NFNETLINK_V0
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) group).order(ByteOrder.nativeOrder());
    }

    /** Writes an attribute header; returns where it starts so {@link #end} can pad. */
    private static int attr(ByteBuffer b, int type, int payloadLength) {
        int at = b.position();
        b.putShort((short) (4 + payloadLength)).putShort((short) type);
        return at;
    }

    private static void end(ByteBuffer b, int at) {
        while ((b.position() - at) % 4 != 0) {
            b.put((byte) 0);
        }
    }

    private static void be32Attr(ByteBuffer b, int type, int value) {
        attr(b, type, 4);
        b.order(ByteOrder.BIG_ENDIAN).putInt(value).order(ByteOrder.nativeOrder());
    }

    private static byte[] finish(ByteBuffer b) {
        int length = b.position();
        b.putInt(0, length);
        return Arrays.copyOf(b.array(), length);
    }

    /**
     * One logged packet.
     *
     * @param group the NFLOG group (res_id)
     * @param prefix the rule's prefix (without the NUL), or "" when absent
     * @param seq the group's sequence number, or -1 without NFULA_SEQ
     * @param timestampMillis the kernel's wall-clock time of the packet, or 0 without NFULA_TIMESTAMP
     * @param payload the copied bytes of the packet from its IP header on (empty without NFULA_PAYLOAD)
     */
    public record Packet(int group, String prefix, long seq, long timestampMillis, byte[] payload) {}

    /** What {@link #parse} finds in a datagram. */
    public interface Handler {
        void packet(Packet packet);

        /** An NLMSG_ERROR: {@code error} 0 acknowledges request {@code seq}, otherwise it is minus the errno. */
        void ack(int seq, int error);

        /** Anything else (NLMSG_OVERRUN, messages of other types, truncated messages). */
        default void other(int type) {}
    }

    /** Parses every netlink message in {@code data[0, length)} (one recv) and hands them to {@code handler}. */
    public static void parse(byte[] data, int length, Handler handler) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + NLMSG_HDRLEN <= length) {
            int len = b.getInt(at);
            int type = b.getShort(at + 4) & 0xffff;
            int seq = b.getInt(at + 8);
            if (len < NLMSG_HDRLEN || at + len > length) {
                handler.other(type);
                return;
            }
            if (type == NLMSG_ERROR) {
                handler.ack(seq, len >= NLMSG_HDRLEN + 4 ? b.getInt(at + NLMSG_HDRLEN) : 0);
            } else if (type == TYPE_PACKET && len >= NLMSG_HDRLEN + 4) {
                handler.packet(packet(data, b, at, len));
            } else {
                handler.other(type);
            }
            at += align4(len);
        }
    }

    private static Packet packet(byte[] data, ByteBuffer b, int at, int len) {
        int group = ((data[at + 18] & 0xff) << 8) | (data[at + 19] & 0xff);
        String prefix = "";
        long seq = -1;
        long timestamp = 0;
        byte[] payload = new byte[0];
        int end = at + len;
        int a = at + NLMSG_HDRLEN + 4;
        while (a + 4 <= end) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & NLA_TYPE_MASK;
            if (alen < 4 || a + alen > end) {
                break;
            }
            int p = a + 4;
            int plen = alen - 4;
            switch (atype) {
                case NFULA_PREFIX -> {
                    int n = 0;
                    while (n < plen && data[p + n] != 0) {
                        n++;
                    }
                    prefix = new String(data, p, n, StandardCharsets.US_ASCII);
                }
                case NFULA_SEQ -> {
                    if (plen >= 4) {
                        seq = PacketHeaders.u32(data, p) & 0xffffffffL;
                    }
                }
                case NFULA_TIMESTAMP -> {
                    if (plen >= 16) {
                        long sec = ByteBuffer.wrap(data, p, 16)
                                .order(ByteOrder.BIG_ENDIAN)
                                .getLong();
                        long usec = ByteBuffer.wrap(data, p + 8, 8)
                                .order(ByteOrder.BIG_ENDIAN)
                                .getLong();
                        timestamp = sec * 1000 + usec / 1000;
                    }
                }
                case NFULA_PAYLOAD -> payload = Arrays.copyOfRange(data, p, p + plen);
                default -> {
                    // not needed
                }
            }
            a += align4(alen);
        }
        return new Packet(group, prefix, seq, timestamp, payload);
    }

    static int align4(int n) {
        return (n + 3) & ~3;
    }
}
