package dev.tortie.dataplane.flowlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.engine.model.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowLogTest {
    /** A source that records its lifecycle and feeds one event on start. */
    private static final class FakeSource implements FlowSource {
        final String name;
        final boolean fail;
        final List<String> calls;

        FakeSource(String name, boolean fail, List<String> calls) {
            this.name = name;
            this.fail = fail;
            this.calls = calls;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(FlowAggregator sink) {
            if (fail) {
                throw new FlowLogException(name + ": cannot open");
            }
            calls.add("start " + name);
            sink.add(new FlowEvent(0, 7, "knp/a/b/ingress/0", FlowVerdict.DENY, Direction.INGRESS, 1, 2, 3, 4, 6));
        }

        @Override
        public Map<String, Long> counters() {
            return Map.of("messages", 1L);
        }

        @Override
        public String problem() {
            return name.equals("broken") ? "reader stopped: EBADF" : null;
        }

        @Override
        public void close() {
            calls.add("close " + name);
        }
    }

    @Test
    void startFeedsQueryAndStatsThenCloseStopsTheSources() {
        List<String> calls = new ArrayList<>();
        FlowLog log = FlowLog.of(
                "fake",
                FlowLogConfig.defaults(),
                new MutableClock(1_700_000_000_000L),
                () -> List.of(new FakeSource("a", false, calls), new FakeSource("broken", false, calls)));
        assertThat(log.enabled()).isTrue();
        assertThat(log.running()).isFalse();
        assertThat(log.start()).isSameAs(log);
        log.start(); // idempotent
        assertThat(calls).containsExactly("start a", "start broken");
        assertThat(log.query(FlowQuery.builder().denied().build())).hasSize(1);
        FlowLogStats stats = log.stats();
        assertThat(stats.running()).isTrue();
        assertThat(stats.eventsSeen()).isEqualTo(2);
        assertThat(stats.records()).isEqualTo(1);
        assertThat(stats.sourceCounters()).containsEntry("a: messages", 1L);
        assertThat(stats.problems()).containsExactly("broken: reader stopped: EBADF");
        assertThat(stats.dropped()).isZero();
        log.close();
        log.close();
        assertThat(calls).containsExactly("start a", "start broken", "close a", "close broken");
        assertThat(log.running()).isFalse();
        assertThat(log.query(FlowQuery.all())).hasSize(1); // records outlive the readers
        log.start(); // fresh readers
        assertThat(calls).endsWith("start a", "start broken");
    }

    @Test
    void aSourceThatCannotStartLeavesNoneRunning() {
        List<String> calls = new ArrayList<>();
        FlowLog log = FlowLog.of(
                "fake",
                FlowLogConfig.defaults(),
                new MutableClock(0),
                () -> List.of(new FakeSource("a", false, calls), new FakeSource("b", true, calls)));
        assertThatThrownBy(log::start).isInstanceOf(FlowLogException.class).hasMessageContaining("b: cannot open");
        assertThat(calls).containsExactly("start a", "close a");
        assertThat(log.running()).isFalse();
    }

    @Test
    void disabledFlowLogsStartQuietlyAndSayWhy() {
        FlowLog off = FlowLog.of("iptables (nflog)", FlowLogConfig.disabled(), new MutableClock(0), List::of);
        assertThat(off.enabled()).isFalse();
        off.start();
        assertThat(off.running()).isFalse();
        assertThat(off.query(FlowQuery.all())).isEmpty();
        assertThat(off.stats().problems()).singleElement().asString().contains("flowLogs.enabled = false");

        Dataplane legacy = new Dataplane() {
            @Override
            public dev.tortie.dataplane.ApplyReport apply(dev.tortie.engine.ir.NodeProgram program) {
                throw new UnsupportedOperationException();
            }

            @Override
            public dev.tortie.dataplane.ApplyReport reconcile() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, dev.tortie.dataplane.RuleCounters> readCounters() {
                return Map.of();
            }

            @Override
            public dev.tortie.dataplane.ApplyReport remove() {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(legacy.flowLog().enabled()).isFalse();
        assertThat(legacy.flowLog().disabledReason()).contains("records no flow logs");
    }

    @Test
    void flowLogsAreOnByDefaultAndCanBeSwitchedOff() {
        assertThat(DataplaneConfig.defaults().flowLogs()).isEqualTo(FlowLogConfig.defaults());
        DataplaneConfig off = DataplaneConfig.builder().flowLogsEnabled(false).build();
        assertThat(off.flowLogs().enabled()).isFalse();
        assertThat(off.toBuilder().build()).isEqualTo(off);
    }
}
