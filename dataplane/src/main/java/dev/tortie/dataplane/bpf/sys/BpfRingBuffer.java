package dev.tortie.dataplane.bpf.sys;

import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The user-space side of a {@code BPF_MAP_TYPE_RINGBUF} map (kernel 5.8+), read through mmap as libbpf's {@code
 * ring_buffer__poll} does: no syscall per record, one {@code poll(2)} per wake-up.
 *
 * <pre>
 * mmap of the map fd                              (page = getpagesize(), size = max_entries, a power of 2)
 *   offset 0      1 page   read-write   u64 consumer_pos at 0: bytes consumed so far (user space advances it)
 *   offset page   1 page   read-only    u64 producer_pos at 0: bytes committed or reserved so far (the kernel's)
 *   offset 2 page 2 x size read-only    the data area, mapped twice back to back, so a record that wraps around the
 *                                       end is contiguous in memory
 * record at data[pos &amp; (size - 1)], 8-byte aligned
 *   0  u32 len       host order; bit 31 BUSY (reserved, not yet committed: stop here), bit 30 DISCARD (skip it)
 *   4  u32 pg_off    the kernel's bookkeeping
 *   8  len bytes     the sample; the next record starts at pos + round_up(8 + len, 8)
 * </pre>
 *
 * Memory ordering: the kernel publishes a record by clearing BUSY with a release store after writing it, and
 * producer_pos with a release store; this side loads both, then issues an acquire fence before reading the sample, and a
 * release fence before storing consumer_pos (so the kernel never reuses space still being read). jnr's loads and
 * stores are plain, so the fences ({@link VarHandle#acquireFence()}, {@link VarHandle#releaseFence()}) supply the
 * ordering (no-ops on x86, barriers on arm64).
 *
 * <p>Failing mmap or poll calls throw {@link IllegalStateException} with the errno. One consumer thread at a time; {@link #close()} unmaps (after the consumer stopped). The map must stay open while
 * mapped (the mapping holds a kernel reference of its own, so closing the fd first is safe, but pointless).
 */
public final class BpfRingBuffer implements AutoCloseable {
    static final int BUSY_BIT = 1 << 31;
    static final int DISCARD_BIT = 1 << 30;
    static final int HEADER_SIZE = 8;

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final short POLLIN = 1;

    /** Where the positions and records are; the mmap view, or a test's fake. */
    interface RingMemory {
        long producerPos();

        long consumerPos();

        void consumerPos(long value);

        /** The u32 header word of the record at data offset {@code at} ({@code 0 <= at < size}). */
        int header(long at);

        /** Copies {@code into.length} sample bytes starting at data offset {@code at}, wrapping at the end. */
        void copy(long at, byte[] into);
    }

    private final BpfMap map;
    private final long size;
    private final long pageSize;
    private final Pointer consumerPage;
    private final Pointer producerArea;
    private final Pointer pollFd;
    private final RingMemory memory;
    private boolean closed;

    private BpfRingBuffer(BpfMap map, long size, long pageSize, Pointer consumerPage, Pointer producerArea) {
        this.map = map;
        this.size = size;
        this.pageSize = pageSize;
        this.consumerPage = consumerPage;
        this.producerArea = producerArea;
        this.pollFd = Memory.allocateDirect(Native.RUNTIME, 8, true);
        pollFd.putInt(0, map.fd());
        pollFd.putShort(4, POLLIN);
        this.memory = new MappedMemory();
    }

    /** Maps the ring buffer {@code map} (its consumer page read-write, producer page and data read-only). */
    public static BpfRingBuffer map(BpfMap map) {
        if (map.spec().type() != MapType.RINGBUF) {
            throw new IllegalArgumentException(map.describe() + " is not a ring buffer");
        }
        long size = map.spec().maxEntries();
        long page = Native.LIBC.getpagesize();
        Pointer consumer = Native.LIBC.mmap(null, page, PROT_READ | PROT_WRITE, MAP_SHARED, map.fd(), 0);
        if (failed(consumer)) {
            throw new IllegalStateException(
                    "mmap (consumer page of " + map.describe() + "): " + Errno.describe(Native.errno()));
        }
        Pointer producer = Native.LIBC.mmap(null, page + 2 * size, PROT_READ, MAP_SHARED, map.fd(), page);
        if (failed(producer)) {
            int errno = Native.errno();
            Native.LIBC.munmap(consumer, page);
            throw new IllegalStateException(
                    "mmap (producer page and data of " + map.describe() + "): " + Errno.describe(errno));
        }
        return new BpfRingBuffer(map, size, page, consumer, producer);
    }

    private static boolean failed(Pointer p) {
        return p == null || p.address() == -1L || p.address() == 0L;
    }

    /** The data area's size in bytes. */
    public long size() {
        return size;
    }

    /** Bytes written but not consumed yet. */
    public long pending() {
        return memory.producerPos() - memory.consumerPos();
    }

    /** Waits up to {@code timeoutMillis} until the kernel signals data (poll(2) on the map fd); false on timeout. */
    public boolean await(int timeoutMillis) {
        pollFd.putShort(6, (short) 0);
        int n = Native.LIBC.poll(pollFd, 1, timeoutMillis);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Errno.EINTR) {
                return false;
            }
            throw new IllegalStateException("poll (" + map.describe() + "): " + Errno.describe(errno));
        }
        return n > 0;
    }

    /**
     * Hands every committed record to {@code sink} (a fresh array each), up to {@code limit}, advancing the consumer
     * position after each; returns how many were handed over (discarded records are skipped and not counted).
     */
    public int consume(Consumer<byte[]> sink, int limit) {
        return consume(memory, size - 1, sink, limit);
    }

    /** The consumer loop, on any {@link RingMemory} (libbpf's ringbuf_process_ring). */
    static int consume(RingMemory m, long mask, Consumer<byte[]> sink, int limit) {
        long cons = m.consumerPos();
        int handed = 0;
        while (handed < limit) {
            long prod = m.producerPos();
            VarHandle.acquireFence();
            if (cons >= prod) {
                break;
            }
            int len = m.header(cons & mask);
            VarHandle.acquireFence();
            if ((len & BUSY_BIT) != 0) {
                break; // reserved, not committed yet
            }
            int sample = len & ~(BUSY_BIT | DISCARD_BIT);
            long next = cons + ((HEADER_SIZE + sample + 7) & ~7L);
            if ((len & DISCARD_BIT) == 0) {
                byte[] record = new byte[sample];
                m.copy((cons + HEADER_SIZE) & mask, record);
                sink.accept(record);
                handed++;
            }
            cons = next;
            VarHandle.releaseFence();
            m.consumerPos(cons);
        }
        return handed;
    }

    private final class MappedMemory implements RingMemory {
        @Override
        public long producerPos() {
            return producerArea.getLong(0);
        }

        @Override
        public long consumerPos() {
            return consumerPage.getLong(0);
        }

        @Override
        public void consumerPos(long value) {
            consumerPage.putLong(0, value);
        }

        @Override
        public int header(long at) {
            return producerArea.getInt(pageSize + at);
        }

        @Override
        public void copy(long at, byte[] into) {
            // The data area is mapped twice, so a wrapping record is contiguous from at.
            producerArea.get(pageSize + at, into, 0, into.length);
        }
    }

    /** Unmaps the ring (the map itself is the caller's to close). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.LIBC.munmap(producerArea, pageSize + 2 * size);
            Native.LIBC.munmap(consumerPage, pageSize);
        }
    }

    @Override
    public String toString() {
        return "BpfRingBuffer{" + map.describe() + ", " + size + " bytes}";
    }
}
