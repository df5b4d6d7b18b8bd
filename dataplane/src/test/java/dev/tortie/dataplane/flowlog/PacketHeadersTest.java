package dev.tortie.dataplane.flowlog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketHeadersTest {
    private static byte[] ipv4(int ihlWords, int protocol, int fragmentOffset, int length) {
        byte[] p = new byte[length];
        p[0] = (byte) (0x40 | ihlWords);
        p[6] = (byte) (fragmentOffset >> 8);
        p[7] = (byte) fragmentOffset;
        p[9] = (byte) protocol;
        p[12] = 10;
        p[13] = 65;
        p[14] = 1;
        p[15] = 11;
        p[16] = 10;
        p[17] = 65;
        p[18] = 2;
        p[19] = 10;
        int l4 = ihlWords * 4;
        if (l4 + 4 <= length) {
            p[l4] = (byte) 0x9c;
            p[l4 + 1] = 0x40; // 40000
            p[l4 + 2] = 0x15;
            p[l4 + 3] = 0x38; // 5432
        }
        return p;
    }

    @Test
    void addressesProtocolAndPorts() {
        assertThat(PacketHeaders.parseIpv4(ipv4(5, 6, 0, 40), 0, 40))
                .isEqualTo(new PacketHeaders(0x0a41010b, 0x0a41020a, 6, 40000, 5432));
    }

    @Test
    void optionsMoveTheL4Header() {
        assertThat(PacketHeaders.parseIpv4(ipv4(15, 17, 0, 64), 0, 64).dstPort())
                .isEqualTo(5432);
    }

    @Test
    void noPortsForNonFirstFragmentsShortCopiesAndPortlessProtocols() {
        assertThat(PacketHeaders.parseIpv4(ipv4(5, 6, 0x20, 40), 0, 40).dstPort())
                .isZero();
        assertThat(PacketHeaders.parseIpv4(ipv4(5, 6, 0, 22), 0, 22).dstPort()).isZero();
        assertThat(PacketHeaders.parseIpv4(ipv4(5, 1, 0, 40), 0, 40).dstPort()).isZero();
        assertThat(PacketHeaders.parseIpv4(ipv4(5, 132, 0, 40), 0, 40).srcPort())
                .isEqualTo(40000);
    }

    @Test
    void notIpv4IsNull() {
        byte[] v6 = new byte[40];
        v6[0] = 0x60;
        assertThat(PacketHeaders.parseIpv4(v6, 0, 40)).isNull();
        assertThat(PacketHeaders.parseIpv4(ipv4(4, 6, 0, 40), 0, 40)).isNull();
        assertThat(PacketHeaders.parseIpv4(new byte[10], 0, 10)).isNull();
    }
}
