package dev.tortie.dataplane.flowlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.render.iptables.NflogPrefix;
import dev.tortie.engine.model.Direction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nfnetlink_log codec on bytes captured from this kernel (6.18, x86-64, little endian): a network namespace with
 * {@code iptables -A OUTPUT -p udp --dport 9999 -j NFLOG --nflog-group 1 --nflog-prefix tortie:DE:0123456789abcdef
 * --nflog-size 80} (and one with a foreign prefix for port 9998), a socket bound with {@link
 * NflogMessages#bindRequest}, one datagram to 127.0.0.1:9999 and one to :9998, and a second socket binding the same
 * group.
 */
class NflogMessagesTest {
    private static final HexFormat HEX = HexFormat.of();

    /** bindRequest(seq 1, group 1, copy 80, buffer 65536, flush 10 cs, batch 1). */
    static final String REQUEST = "480000000104050001000000000000000000000105000100010000000a00020000000050020000000800"
            + "030000010000080004000000000a08000500000000010600060000010000";

    static final String ACK = "240000000200000101000000795300000000000048000000010405000100000000000000";

    static final String PACKET = "800000000004000000000000000000000200000108000100080003001f000a00746f727469653a4445"
            + "3a303132333435363738396162636465660000080005000000000108000b000000000008000e000000000008000c00000000002200"
            + "09004500001e9a7540004011a2577f0000017f000001c58e270f000afe1d68690000";

    static final String FOREIGN = "7400000000040000000000000000000002000001080001000800030011000a00736f6d656f6e652d65"
            + "6c736500000000080005000000000108000b000000000008000e000000000008000c0000000001220009004500001e9a7640004011"
            + "a2567f0000017f000001c58e270e000afe1d68690000";

    /** The kernel's answer to a second socket binding group 1: NLMSG_ERROR with -EPERM. */
    static final String TAKEN = "5c00000002000000070000004abcd1ecffffffff48000000010405000700000000000000000000010500"
            + "0100010000000a00020000000050020000000800030000010000080004000000000a08000500000000010600060000010000";

    private static final class Recorder implements NflogMessages.Handler {
        final List<NflogMessages.Packet> packets = new ArrayList<>();
        final List<int[]> acks = new ArrayList<>();
        final List<Integer> others = new ArrayList<>();

        @Override
        public void packet(NflogMessages.Packet packet) {
            packets.add(packet);
        }

        @Override
        public void ack(int seq, int error) {
            acks.add(new int[] {seq, error});
        }

        @Override
        public void other(int type) {
            others.add(type);
        }
    }

    private static Recorder parse(String hex) {
        byte[] data = HEX.parseHex(hex);
        Recorder r = new Recorder();
        NflogMessages.parse(data, data.length, r);
        return r;
    }

    @Test
    void theBindRequestIsWhatTheKernelAccepted() {
        byte[] request = NflogMessages.bindRequest(1, 1, 80, 65536, 10, 1);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertThat(HEX.formatHex(request)).isEqualTo(REQUEST);
        }
        ByteBuffer b = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(request.length).isEqualTo(72);
        assertThat(b.getShort(4)).isEqualTo((short) NflogMessages.TYPE_CONFIG);
        assertThat(b.getShort(6)).isEqualTo((short) (NflogMessages.NLM_F_REQUEST | NflogMessages.NLM_F_ACK));
        assertThat(b.order(ByteOrder.BIG_ENDIAN).getShort(18)).isEqualTo((short) 1); // res_id = group
    }

    @Test
    void anAcknowledgementCarriesTheRequestsSequenceAndNoError() {
        Recorder r = parse(ACK);
        assertThat(r.acks).hasSize(1);
        assertThat(r.acks.get(0)).containsExactly(1, 0);
        assertThat(r.packets).isEmpty();
    }

    @Test
    void aTakenGroupIsAnErrorWithMinusErrno() {
        Recorder r = parse(TAKEN);
        assertThat(r.acks.get(0)).containsExactly(7, -1); // EPERM
    }

    @Test
    void aLoggedPacketHasItsGroupPrefixSequenceAndHeaders() {
        Recorder r = parse(PACKET);
        assertThat(r.packets).hasSize(1);
        NflogMessages.Packet p = r.packets.get(0);
        assertThat(p.group()).isEqualTo(1);
        assertThat(p.prefix()).isEqualTo("tortie:DE:0123456789abcdef");
        assertThat(p.seq()).isEqualTo(0);
        assertThat(p.timestampMillis()).isZero(); // OUTPUT hook: no timestamp
        assertThat(p.payload()).hasSize(30); // the whole datagram: shorter than --nflog-size
        NflogPrefix prefix = NflogPrefix.parse(p.prefix());
        assertThat(prefix.allow()).isFalse();
        assertThat(prefix.direction()).isEqualTo(Direction.EGRESS);
        assertThat(prefix.numericId()).isEqualTo(0x0123456789abcdefL);
        PacketHeaders h = PacketHeaders.parseIpv4(p.payload(), 0, p.payload().length);
        assertThat(h).isEqualTo(new PacketHeaders(0x7f000001, 0x7f000001, 17, 0xc58e, 9999));
    }

    @Test
    void aBatchOfMessagesIsParsedInOrderAndForeignPrefixesAreHandedOver() {
        Recorder r = parse(PACKET + FOREIGN);
        assertThat(r.packets)
                .extracting(NflogMessages.Packet::prefix)
                .containsExactly("tortie:DE:0123456789abcdef", "someone-else");
        assertThat(r.packets).extracting(NflogMessages.Packet::seq).containsExactly(0L, 1L);
        assertThat(NflogPrefix.parse("someone-else")).isNull();
    }

    @Test
    void aTruncatedDatagramStopsCleanly() {
        byte[] data = HEX.parseHex(PACKET);
        Recorder r = new Recorder();
        NflogMessages.parse(data, 60, r);
        assertThat(r.packets).isEmpty();
        assertThat(r.others).containsExactly(NflogMessages.TYPE_PACKET);
    }

    @Test
    void theForwardHooksTimestampIsRead() {
        byte[] base = HEX.parseHex(PACKET);
        // append NFULA_TIMESTAMP {be64 sec 1700000000, be64 usec 250000} and fix the length
        ByteBuffer b = ByteBuffer.allocate(base.length + 20).order(ByteOrder.nativeOrder());
        b.put(base);
        b.putShort((short) 20).putShort((short) NflogMessages.NFULA_TIMESTAMP);
        b.order(ByteOrder.BIG_ENDIAN).putLong(1_700_000_000L).putLong(250_000L);
        b.order(ByteOrder.nativeOrder()).putInt(0, base.length + 20);
        Recorder r = new Recorder();
        NflogMessages.parse(b.array(), b.capacity(), r);
        assertThat(r.packets.get(0).timestampMillis()).isEqualTo(1_700_000_000_250L);
    }
}
