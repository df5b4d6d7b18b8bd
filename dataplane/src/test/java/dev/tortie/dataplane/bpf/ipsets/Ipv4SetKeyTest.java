package dev.tortie.dataplane.bpf.ipsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.engine.ir.Hashes;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ipv4SetKeyTest {
    private static final long SET = 0x0102030405060708L;

    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Test
    void namedPortMemberLayout() {
        Ipv4SetKey key = Ipv4SetKey.member(SET, "10.65.0.5,tcp:80");
        assertThat(key.prefixLen()).isEqualTo(120);
        String prefix = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "78 00 00 00" : "00 00 00 78";
        // prefixlen | set id (BE) | 10.65.0.5 | port 80 (BE) | tcp | pad
        assertThat(hex(key.encode())).isEqualTo(prefix + " 01 02 03 04 05 06 07 08 0a 41 00 05 00 50 06 00");
    }

    @Test
    void cidrMemberCoversSetIdAndNetworkBits() {
        Ipv4SetKey key = Ipv4SetKey.member(SET, "10.99.0.0/16");
        assertThat(key.prefixLen()).isEqualTo(64 + 16);
        assertThat(hex(key.encode())).endsWith("01 02 03 04 05 06 07 08 0a 63 00 00 00 00 00 00");
        assertThat(Ipv4SetKey.member(SET, "10.65.0.5").prefixLen()).isEqualTo(96);
        assertThat(Ipv4SetKey.member(SET, "0.0.0.0/0").prefixLen()).isEqualTo(64);
    }

    @Test
    void decodeInvertsEncode() {
        for (String member : new String[] {"10.65.0.5,udp:53", "192.0.2.0/24", "10.0.0.1/32", "0.0.0.0/0"}) {
            Ipv4SetKey key = Ipv4SetKey.member(SET, member);
            assertThat(Ipv4SetKey.decode(key.encode())).isEqualTo(key);
        }
    }

    @Test
    void setIdsComeFromTheIrSetId() {
        assertThat(Ipv4SetKey.setIdOf("s:abc")).isEqualTo(Hashes.fnv64a("s:abc"));
        assertThat(Ipv4SetKey.setIdOf("s:abc")).isNotEqualTo(Ipv4SetKey.setIdOf("s:abd"));
    }

    @Test
    void rejectsMalformedMembersAndKeys() {
        assertThatThrownBy(() -> Ipv4SetKey.member(SET, "10.0.0.1,80"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected addr,proto:port");
        assertThatThrownBy(() -> Ipv4SetKey.member(SET, "10.0.0.1,tcp:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid port");
        assertThatThrownBy(() -> Ipv4SetKey.member(SET, "fd00::1/128"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> new Ipv4SetKey(80, SET, 0x0a000001, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> new Ipv4SetKey(96, SET, 0x0a000001, 80, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only full-length keys");
        assertThatThrownBy(() -> Ipv4SetKey.decode(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readableToString() {
        assertThat(Ipv4SetKey.member(SET, "10.65.0.5,tcp:80"))
                .hasToString("set 0102030405060708 10.65.0.5/32,6:80 (prefixlen 120)");
    }
}
