package dev.tortie.dataplane.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consumer loop on a fake ring laid out as the kernel lays it out (libbpf's ringbuf_process_ring). */
class BpfRingBufferTest {
    /** A 64-byte data area with producer and consumer positions, written the way the kernel writes records. */
    private static final class FakeRing implements BpfRingBuffer.RingMemory {
        final int size = 64;
        final ByteBuffer data = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        long producer;
        long consumer;
        final List<Long> consumerStores = new ArrayList<>();

        /** Reserves and (unless busy) commits a record of {@code sample}; returns its position. */
        long write(byte[] sample, boolean busy, boolean discard) {
            long at = producer;
            int len = sample.length | (busy ? BpfRingBuffer.BUSY_BIT : 0) | (discard ? BpfRingBuffer.DISCARD_BIT : 0);
            data.putInt((int) (at & (size - 1)), len);
            data.putInt((int) ((at + 4) & (size - 1)), 0);
            for (int i = 0; i < sample.length; i++) {
                data.put((int) ((at + 8 + i) & (size - 1)), sample[i]);
            }
            producer = at + ((8 + sample.length + 7) & ~7L);
            return at;
        }

        void commit(long at) {
            int i = (int) (at & (size - 1));
            data.putInt(i, data.getInt(i) & ~BpfRingBuffer.BUSY_BIT);
        }

        @Override
        public long producerPos() {
            return producer;
        }

        @Override
        public long consumerPos() {
            return consumer;
        }

        @Override
        public void consumerPos(long value) {
            consumer = value;
            consumerStores.add(value);
        }

        @Override
        public int header(long at) {
            return data.getInt((int) at);
        }

        @Override
        public void copy(long at, byte[] into) {
            for (int i = 0; i < into.length; i++) {
                into[i] = data.get((int) ((at + i) & (size - 1)));
            }
        }
    }

    private static byte[] bytes(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private static List<byte[]> drain(FakeRing ring, int limit) {
        List<byte[]> out = new ArrayList<>();
        BpfRingBuffer.consume(ring, ring.size - 1, out::add, limit);
        return out;
    }

    @Test
    void committedRecordsInOrderWithEightByteAlignment() {
        FakeRing ring = new FakeRing();
        ring.write(bytes(3, 1), false, false); // 8 + 3 -> 16
        ring.write(bytes(8, 2), false, false); // 8 + 8 -> 16
        List<byte[]> got = drain(ring, 100);
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).containsExactly(1, 1, 1);
        assertThat(got.get(1)).hasSize(8).containsOnly(2);
        assertThat(ring.consumerStores).containsExactly(16L, 32L);
        assertThat(drain(ring, 100)).isEmpty();
    }

    @Test
    void stopsAtAReservedRecordAndResumesOnceCommitted() {
        FakeRing ring = new FakeRing();
        ring.write(bytes(4, 1), false, false);
        long busy = ring.write(bytes(4, 2), true, false);
        ring.write(bytes(4, 3), false, false);
        assertThat(drain(ring, 100)).hasSize(1);
        assertThat(ring.consumer).isEqualTo(16);
        ring.commit(busy);
        assertThat(drain(ring, 100)).extracting(b -> (int) b[0]).containsExactly(2, 3);
    }

    @Test
    void discardedRecordsAreSkippedButConsumed() {
        FakeRing ring = new FakeRing();
        ring.write(bytes(4, 1), false, true);
        ring.write(bytes(4, 2), false, false);
        List<byte[]> got = drain(ring, 100);
        assertThat(got).extracting(b -> (int) b[0]).containsExactly(2);
        assertThat(ring.consumer).isEqualTo(32);
    }

    @Test
    void recordsWrapAroundTheEndOfTheDataArea() {
        FakeRing ring = new FakeRing();
        for (int i = 0; i < 3; i++) {
            ring.write(bytes(8, 9), false, false); // 48 bytes
        }
        assertThat(drain(ring, 100)).hasSize(3);
        ring.write(bytes(24, 7), false, false); // header at 48, sample 56..80 wraps to 0..16
        List<byte[]> got = drain(ring, 100);
        assertThat(got).singleElement().satisfies(b -> assertThat(b).hasSize(24).containsOnly(7));
        assertThat(ring.consumer).isEqualTo(80);
    }

    @Test
    void aLimitLeavesTheRestForTheNextCall() {
        FakeRing ring = new FakeRing();
        ring.write(bytes(1, 1), false, false);
        ring.write(bytes(1, 2), false, false);
        ring.write(bytes(1, 3), false, false);
        assertThat(drain(ring, 2)).hasSize(2);
        assertThat(drain(ring, 2)).extracting(b -> (int) b[0]).containsExactly(3);
    }

    @Test
    void ringBufferSpecsAreChecked() {
        MapSpec spec = MapSpec.ringBuffer("tt_flows", 1 << 20);
        assertThat(spec.type()).isEqualTo(MapType.RINGBUF);
        assertThat(spec.keySize()).isZero();
        assertThat(spec.toString()).isEqualTo("map tt_flows (ringbuf 1048576 bytes)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MapSpec.ringBuffer("tt_flows", 6000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MapSpec.ringBuffer("tt_flows", 2048))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MapType.of(27)).isEqualTo(MapType.RINGBUF);
    }
}
