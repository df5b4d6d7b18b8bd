package dev.tortie.dataplane.flowlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.bpf.polprog.FlowEvents;
import dev.tortie.engine.model.Direction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingBufferReaderTest {
    private static final Map<Long, String> IDS = Map.of(42L, "gnp/block-quarantined/egress/0");

    @Test
    void aRecordBecomesAFlowEventWithItsRuleAndWallClockTime() {
        byte[] record = FlowEvents.encode(
                new FlowEvents.Event(42L, 0x0a41010b, 0x0a41020a, 40000, 5432, 17, true, true, 9_000_000_000L));
        FlowEvents.Event decoded = FlowEvents.decode(record);
        // 250 ms ago on the monotonic clock
        FlowEvent e = RingBufferReader.toFlowEvent(decoded, IDS::get, 1_700_000_000_000L, 9_250_000_000L);
        assertThat(e)
                .isEqualTo(new FlowEvent(
                        1_699_999_999_750L,
                        42L,
                        "gnp/block-quarantined/egress/0",
                        FlowVerdict.DENY,
                        Direction.EGRESS,
                        0x0a41010b,
                        0x0a41020a,
                        40000,
                        5432,
                        17));
        assertThat(e.toString())
                .isEqualTo("deny egress UDP 10.65.1.11:40000 -> 10.65.2.10:5432 by gnp/block-quarantined/egress/0");
    }

    @Test
    void unknownIdsAndImplausibleTimes() {
        FlowEvents.Event ev = new FlowEvents.Event(0xffL, 1, 2, 0, 0, 1, false, false, 1L);
        FlowEvent e = RingBufferReader.toFlowEvent(ev, IDS::get, 1_700_000_000_000L, 500_000_000_000L);
        assertThat(e.ruleId()).isEqualTo("0x00000000000000ff");
        assertThat(e.timeMillis()).isZero(); // 500 s old: the aggregator's clock instead
        assertThat(e.verdict()).isEqualTo(FlowVerdict.ALLOW);
        assertThat(e.direction()).isEqualTo(Direction.INGRESS);
    }
}
