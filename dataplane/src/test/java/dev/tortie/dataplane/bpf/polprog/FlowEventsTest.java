package dev.tortie.dataplane.bpf.polprog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FlowEventsTest {
    @Test
    void recordLayoutAsTheProgramWritesIt() {
        FlowEvents.Event e = new FlowEvents.Event(
                0x8c3f0e2a91b4d756L, 0x0a41010b, 0x0a41020a, 40000, 5432, 6, true, true, 123_456_789L);
        byte[] record = FlowEvents.encode(e);
        assertThat(record).hasSize(32);
        ByteBuffer host = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
        assertThat(host.getLong(0)).isEqualTo(0x8c3f0e2a91b4d756L);
        // addresses and ports in network order, as the packet carries them
        assertThat(record[8]).isEqualTo((byte) 10);
        assertThat(record[11]).isEqualTo((byte) 11);
        assertThat(record[16]).isEqualTo((byte) 0x9c);
        assertThat(record[17]).isEqualTo((byte) 0x40);
        assertThat(record[18]).isEqualTo((byte) 0x15);
        assertThat(record[19]).isEqualTo((byte) 0x38);
        assertThat(record[20]).isEqualTo((byte) 6);
        assertThat(record[21]).isEqualTo((byte) FlowEvents.VERDICT_DENY);
        assertThat(record[22]).isEqualTo((byte) FlowEvents.DIRECTION_EGRESS);
        assertThat(host.getLong(24)).isEqualTo(123_456_789L);
        assertThat(FlowEvents.decode(record)).isEqualTo(e);
    }

    @Test
    void allowIngressAndWrongSizes() {
        FlowEvents.Event e = new FlowEvents.Event(1, 2, 3, 0, 0, 1, false, false, 5);
        assertThat(FlowEvents.decode(FlowEvents.encode(e))).isEqualTo(e);
        assertThat(FlowEvents.decode(new byte[31])).isNull();
        assertThat(FlowEvents.decode(new byte[40])).isNull();
    }
}
