package dev.tortie.dataplane.flowlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FlowAggregatorTest {
    private static final long T0 = 1_700_000_000_000L; // a multiple of 5 s
    private static final String ALLOW_A = "knp/app-b/allow-a/ingress/0";
    private static final String END = "tier/default/ingress/end";
    private static final String QUARANTINE = "gnp/block-quarantined/egress/0";

    private final MutableClock clock = new MutableClock(T0);

    private FlowAggregator aggregator(int maxRecords) {
        return new FlowAggregator(Duration.ofSeconds(5), Duration.ofMinutes(15), maxRecords, clock);
    }

    private static int ip(String text) {
        return IpAddress.parse(text).v4Bits();
    }

    private static FlowEvent event(long time, String src, String dst, int port, String rule, FlowVerdict v) {
        Direction d = rule.contains("/egress/") ? Direction.EGRESS : Direction.INGRESS;
        return new FlowEvent(time, 1, rule, v, d, ip(src), ip(dst), 40_000, port, 6);
    }

    @Test
    void eventsOfOneFlowInOneBucketAreOneRecordWithFirstAndLastSeen() {
        FlowAggregator a = aggregator(100);
        clock.set(T0 + 4_500);
        assertThat(a.add(event(T0 + 100, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW)))
                .isTrue();
        a.add(event(T0 + 4_000, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0 + 50, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW)); // late, same bucket
        List<FlowRecord> records = a.query(FlowQuery.all());
        assertThat(records).hasSize(1);
        FlowRecord r = records.get(0);
        assertThat(r.packets()).isEqualTo(3);
        assertThat(r.firstSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 50));
        assertThat(r.lastSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 4_000));
        assertThat(r.start()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(r.src()).isEqualTo(IpAddress.parse("10.0.0.1"));
        assertThat(r.dstPort()).isEqualTo(80);
        assertThat(r.protocolName()).isEqualTo("TCP");
        assertThat(r.policy()).isEqualTo("knp/app-b/allow-a");
        assertThat(a.recordCount()).isEqualTo(1);
        assertThat(a.eventsSeen()).isEqualTo(3);
        assertThat(a.eventsRecorded()).isEqualTo(3);
    }

    @Test
    void everyKeyFieldSeparatesRecords() {
        FlowAggregator a = aggregator(100);
        FlowEvent base = new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.INGRESS, 1, 2, 40_000, 80, 6);
        a.add(base);
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.INGRESS, 1, 2, 40_001, 80, 6)); // same key
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.INGRESS, 9, 2, 40_000, 80, 6));
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.INGRESS, 1, 9, 40_000, 80, 6));
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.INGRESS, 1, 2, 40_000, 81, 6));
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.INGRESS, 1, 2, 40_000, 80, 17));
        a.add(new FlowEvent(T0, 2, END, FlowVerdict.ALLOW, Direction.INGRESS, 1, 2, 40_000, 80, 6));
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.DENY, Direction.INGRESS, 1, 2, 40_000, 80, 6));
        a.add(new FlowEvent(T0, 1, ALLOW_A, FlowVerdict.ALLOW, Direction.EGRESS, 1, 2, 40_000, 80, 6));
        assertThat(a.query(FlowQuery.all())).hasSize(8);
        assertThat(a.recordCount()).isEqualTo(8);
    }

    @Test
    void bucketsSplitByIntervalAndMergeInQueries() {
        FlowAggregator a = aggregator(100);
        clock.set(T0 + 8_000);
        a.add(event(T0 + 1_000, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0 + 6_000, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0 + 7_000, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        assertThat(a.bucketCount()).isEqualTo(2);
        List<FlowRecord> perBucket = a.query(FlowQuery.builder().perBucket(true).build());
        assertThat(perBucket).extracting(FlowRecord::packets).containsExactly(2L, 1L); // most recent first
        assertThat(perBucket)
                .extracting(FlowRecord::start)
                .containsExactly(Instant.ofEpochMilli(T0 + 5_000), Instant.ofEpochMilli(T0));
        List<FlowRecord> merged = a.query(FlowQuery.all());
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).packets()).isEqualTo(3);
        assertThat(merged.get(0).start()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(merged.get(0).firstSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 1_000));
        assertThat(merged.get(0).lastSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 7_000));
    }

    @Test
    void eventsWithoutATimeUseTheClockAndFutureTimesAreClamped() {
        FlowAggregator a = aggregator(100);
        a.add(event(0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0 + 60_000, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        FlowRecord r = a.query(FlowQuery.all()).get(0);
        assertThat(r.firstSeen()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(r.lastSeen()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(r.packets()).isEqualTo(2);
    }

    @Test
    void theWindowAgesBucketsOutWithoutCountingDrops() {
        FlowAggregator a = aggregator(100);
        a.add(event(T0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        clock.advance(Duration.ofMinutes(10));
        a.add(event(0, "10.0.0.1", "10.0.0.3", 80, ALLOW_A, FlowVerdict.ALLOW));
        clock.advance(Duration.ofMinutes(6)); // the first bucket left the window, the second did not
        assertThat(a.query(FlowQuery.all())).hasSize(1);
        a.expireNow();
        assertThat(a.recordCount()).isEqualTo(1);
        assertThat(a.bucketCount()).isEqualTo(1);
        assertThat(a.droppedByReason()).isEmpty();
        // an event older than the window is counted, not recorded
        assertThat(a.add(event(T0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW)))
                .isFalse();
        assertThat(a.droppedByReason()).containsEntry(FlowAggregator.TOO_OLD, 1L);
        assertThat(a.droppedByPolicy()).containsEntry("knp/app-b/allow-a", 1L);
    }

    @Test
    void whenFullTheOldestBucketIsEvictedAndItsPacketsCountedPerPolicy() {
        FlowAggregator a = aggregator(3);
        a.add(event(T0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0, "10.0.0.1", "10.0.0.3", 80, END, FlowVerdict.DENY));
        clock.advance(Duration.ofSeconds(5));
        a.add(event(0, "10.0.0.1", "10.0.0.4", 80, ALLOW_A, FlowVerdict.ALLOW));
        assertThat(a.recordCount()).isEqualTo(3);
        a.add(event(0, "10.0.0.1", "10.0.0.5", 80, ALLOW_A, FlowVerdict.ALLOW)); // evicts the first bucket
        assertThat(a.recordCount()).isEqualTo(2);
        assertThat(a.bucketCount()).isEqualTo(1);
        assertThat(a.droppedByReason()).containsExactly(Map.entry(FlowAggregator.EVICTED, 3L));
        assertThat(a.droppedByPolicy()).containsOnly(Map.entry("knp/app-b/allow-a", 2L), Map.entry("tier/default", 1L));
        assertThat(a.query(FlowQuery.all()))
                .extracting(r -> r.dst().toString())
                .containsExactlyInAnyOrder("10.0.0.4", "10.0.0.5");
        assertThat(a.highWater()).isEqualTo(3);
    }

    @Test
    void whenTheCurrentBucketAloneIsFullNewFlowsAreCountedNotRecorded() {
        FlowAggregator a = aggregator(2);
        a.add(event(T0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0, "10.0.0.1", "10.0.0.3", 80, ALLOW_A, FlowVerdict.ALLOW));
        assertThat(a.add(event(T0, "10.0.0.1", "10.0.0.4", 80, QUARANTINE, FlowVerdict.DENY)))
                .isFalse();
        assertThat(a.add(event(T0, "10.0.0.1", "10.0.0.5", 80, QUARANTINE, FlowVerdict.DENY)))
                .isFalse();
        // known flows still count
        assertThat(a.add(event(T0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW)))
                .isTrue();
        assertThat(a.droppedByReason()).containsExactly(Map.entry(FlowAggregator.FULL, 2L));
        assertThat(a.droppedByPolicy()).containsExactly(Map.entry("gnp/block-quarantined", 2L));
        assertThat(a.recordCount()).isEqualTo(2);
        assertThat(a.eventsSeen()).isEqualTo(5);
        assertThat(a.eventsRecorded()).isEqualTo(3);
        assertThat(a.estimatedBytes()).isEqualTo(2L * FlowAggregator.BYTES_PER_RECORD);
    }

    @Test
    void aLateEventForAnEvictedBucketDoesNotEvictNewerOnes() {
        FlowAggregator a = aggregator(1);
        clock.set(T0 + 5_000);
        a.add(event(0, "10.0.0.1", "10.0.0.2", 80, ALLOW_A, FlowVerdict.ALLOW));
        assertThat(a.add(event(T0 + 10, "10.0.0.1", "10.0.0.3", 80, END, FlowVerdict.DENY)))
                .isFalse();
        assertThat(a.droppedByReason()).containsExactly(Map.entry(FlowAggregator.FULL, 1L));
        assertThat(a.query(FlowQuery.all())).hasSize(1);
    }

    @Test
    void readersCountKernelLossesWithOrWithoutARule() {
        FlowAggregator a = aggregator(10);
        a.dropped(RingBufferReader.LOST, QUARANTINE, 7);
        a.dropped(NflogReader.LOST, null, 5);
        a.dropped(NflogReader.LOST, null, 0);
        assertThat(a.droppedByReason())
                .containsOnly(Map.entry(RingBufferReader.LOST, 7L), Map.entry(NflogReader.LOST, 5L));
        assertThat(a.droppedByPolicy()).containsOnly(Map.entry("gnp/block-quarantined", 7L));
    }

    @Test
    void filtersSelectByVerdictAddressPortProtocolRuleAndTime() {
        FlowAggregator a = aggregator(100);
        clock.set(T0 + 4_500);
        a.add(event(T0 + 1_000, "10.65.1.10", "10.65.2.10", 5432, ALLOW_A, FlowVerdict.ALLOW));
        a.add(event(T0 + 2_000, "10.65.1.11", "10.65.2.10", 5432, QUARANTINE, FlowVerdict.DENY));
        a.add(event(T0 + 3_000, "10.65.1.10", "10.65.2.10", 6379, END, FlowVerdict.DENY));
        a.add(new FlowEvent(
                T0 + 4_000,
                1,
                END,
                FlowVerdict.DENY,
                Direction.INGRESS,
                ip("10.65.3.10"),
                ip("10.65.2.10"),
                1,
                53,
                17));
        assertThat(dsts(a, FlowQuery.builder().denied().build())).containsExactly("53", "6379", "5432");
        assertThat(dsts(a, FlowQuery.builder().allowed().build())).containsExactly("5432");
        assertThat(dsts(a, FlowQuery.builder().from(Cidr.parse("10.65.1.0/24")).build()))
                .containsExactly("6379", "5432", "5432");
        assertThat(dsts(a, FlowQuery.builder().from(Cidr.parse("10.65.1.11/32")).build()))
                .containsExactly("5432");
        assertThat(dsts(a, FlowQuery.builder().to(Cidr.parse("10.65.3.0/24")).build()))
                .isEmpty();
        assertThat(dsts(a, FlowQuery.builder().dstPort(5432).build())).hasSize(2);
        assertThat(dsts(a, FlowQuery.builder().protocol(17).build())).containsExactly("53");
        assertThat(dsts(a, FlowQuery.builder().ruleIdPrefix("tier/").build())).containsExactly("53", "6379");
        assertThat(dsts(a, FlowQuery.builder().policy("gnp/block-quarantined").build()))
                .containsExactly("5432");
        assertThat(dsts(a, FlowQuery.builder().policy("gnp/block").build())).isEmpty();
        assertThat(dsts(a, FlowQuery.builder().direction(Direction.EGRESS).build()))
                .containsExactly("5432");
        assertThat(dsts(
                        a,
                        FlowQuery.builder()
                                .since(Instant.ofEpochMilli(T0 + 2_500))
                                .build()))
                .containsExactly("53", "6379");
        assertThat(dsts(a, FlowQuery.builder().limit(2).build())).containsExactly("53", "6379");
        assertThat(dsts(
                        a,
                        FlowQuery.builder()
                                .denied()
                                .to(Cidr.parse("10.65.2.10/32"))
                                .ruleIdPrefix("tier/")
                                .protocol(6)
                                .build()))
                .containsExactly("6379");
        assertThat(FlowQuery.builder()
                        .denied()
                        .from(Cidr.parse("10.0.0.0/8"))
                        .limit(3)
                        .build()
                        .toString())
                .isEqualTo("deny, from 10.0.0.0/8, limit 3");
        assertThat(FlowQuery.all().toString()).isEqualTo("all flows");
        assertThatThrownBy(
                        () -> FlowQuery.builder().from(Cidr.parse("fd00::/8")).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> dsts(FlowAggregator a, FlowQuery q) {
        List<String> out = new ArrayList<>();
        for (FlowRecord r : a.query(q)) {
            out.add(Integer.toString(r.dstPort()));
        }
        return out;
    }

    @Test
    void concurrentWritersAndReadersLoseNothingUncounted() throws Exception {
        FlowAggregator a = aggregator(500);
        int writers = 4;
        int perWriter = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong queries = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perWriter; i++) {
                    if (i % 10_000 == 0 && id == 0) {
                        clock.advance(Duration.ofSeconds(5));
                    }
                    a.add(new FlowEvent(
                            0, 1, QUARANTINE, FlowVerdict.DENY, Direction.EGRESS, id, i % 300, 1, i % 7, 17));
                }
            }));
        }
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                a.query(FlowQuery.builder().denied().build());
                queries.incrementAndGet();
            }
        });
        threads.forEach(Thread::start);
        reader.start();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        done.set(true);
        reader.join();
        long recorded =
                a.query(FlowQuery.all()).stream().mapToLong(FlowRecord::packets).sum();
        long dropped =
                a.droppedByReason().values().stream().mapToLong(Long::longValue).sum();
        assertThat(recorded + dropped).isEqualTo((long) writers * perWriter);
        assertThat(a.recordCount())
                .isLessThanOrEqualTo(500)
                .isEqualTo(a.query(FlowQuery.builder().perBucket(true).build()).size());
        assertThat(queries.get()).isPositive();
    }

    @Test
    void policyOfStripsTheDirectionAndWhatFollows() {
        assertThat(FlowRecord.policyOf("knp/app-b/allow-a/ingress/0")).isEqualTo("knp/app-b/allow-a");
        assertThat(FlowRecord.policyOf("tier/default/ingress/end")).isEqualTo("tier/default");
        assertThat(FlowRecord.policyOf("pro/kns.app-a/egress/0")).isEqualTo("pro/kns.app-a");
        assertThat(FlowRecord.policyOf("endpoint/app-b/web/ingress/no-profile")).isEqualTo("endpoint/app-b/web");
        assertThat(FlowRecord.policyOf("dataplane/unknown-interface/egress")).isEqualTo("dataplane/unknown-interface");
        assertThat(FlowRecord.policyOf("knp/ns/ingress/ingress/3")).isEqualTo("knp/ns/ingress");
        assertThat(FlowRecord.policyOf("0x0123456789abcdef")).isEqualTo("0x0123456789abcdef");
        assertThat(FlowRecord.policyOf("egress")).isEqualTo("egress");
    }

    @Test
    void configurationIsChecked() {
        assertThatThrownBy(() -> new FlowAggregator(Duration.ofSeconds(5), Duration.ofSeconds(1), 10, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowAggregator(Duration.ofSeconds(5), Duration.ofMinutes(1), 0, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowLogConfig.defaults().withGroups(1, 70_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowLogConfig.defaults().withKernelBatching(0, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowLogConfig.defaults().withReceiveBufferBytes(1024))
                .isInstanceOf(IllegalArgumentException.class);
        FlowLogConfig d = FlowLogConfig.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.group(Direction.INGRESS)).isEqualTo(1);
        assertThat(d.group(Direction.EGRESS)).isEqualTo(2);
        assertThat(FlowLogConfig.disabled().enabled()).isFalse();
    }
}
