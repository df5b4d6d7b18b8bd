package dev.tortie.dataplane.bpf.sys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Zeroed native memory for one {@code union bpf_attr} (or an info struct), written field by field at explicit byte
 * offsets in host order, as the kernel reads it. Pointer fields are {@code __aligned_u64} addresses; the buffers they
 * point to are kept reachable by the attr for as long as it is.
 *
 * <p>The size passed to bpf(2) is the end of the last field a command uses: the kernel zero-fills what is shorter than
 * its own union and insists that anything longer be zero.
 */
final class Attr {
    private final Pointer memory;
    private final int size;
    private final List<Object> keepAlive = new ArrayList<>(4);

    private Attr(int size) {
        this.size = size;
        this.memory = Memory.allocateDirect(Native.RUNTIME, size, true);
    }

    static Attr of(int size) {
        return new Attr(size);
    }

    Pointer pointer() {
        return memory;
    }

    int size() {
        return size;
    }

    Attr u8(int offset, int value) {
        check(offset, 1);
        memory.putByte(offset, (byte) value);
        return this;
    }

    Attr u32(int offset, int value) {
        check(offset, 4);
        memory.putInt(offset, value);
        return this;
    }

    Attr u64(int offset, long value) {
        check(offset, 8);
        memory.putLongLong(offset, value);
        return this;
    }

    /** A pointer field: the buffer's address (0 for null); the buffer stays reachable with this attr. */
    Attr ptr(int offset, Pointer buffer) {
        if (buffer != null) {
            keepAlive.add(buffer);
        }
        return u64(offset, buffer == null ? 0 : buffer.address());
    }

    /** A {@code char[len]} field (e.g. an object name), NUL-padded. */
    Attr chars(int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= length) {
            throw new IllegalArgumentException("'" + value + "' longer than " + (length - 1) + " characters");
        }
        check(offset, length);
        memory.put(offset, bytes, 0, bytes.length);
        return this;
    }

    int u32(int offset) {
        check(offset, 4);
        return memory.getInt(offset);
    }

    long u64(int offset) {
        check(offset, 8);
        return memory.getLongLong(offset);
    }

    byte[] bytes(int offset, int length) {
        check(offset, length);
        byte[] out = new byte[length];
        memory.get(offset, out, 0, length);
        return out;
    }

    /** A NUL-terminated string in a {@code char[length]} field. */
    String chars(int offset, int length) {
        byte[] raw = bytes(offset, length);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }

    private void check(int offset, int width) {
        if (offset < 0 || offset + width > size) {
            throw new IndexOutOfBoundsException("field at " + offset + "+" + width + " outside attr of " + size);
        }
    }

    /** Native memory holding {@code bytes} (or zeroed memory of {@code length} when bytes is null). */
    static Pointer buffer(byte[] bytes, int length) {
        Pointer p = Memory.allocateDirect(Native.RUNTIME, Math.max(1, length), true);
        if (bytes != null) {
            p.put(0, bytes, 0, Math.min(bytes.length, length));
        }
        return p;
    }

    /** A NUL-terminated copy of {@code s} in native memory. */
    static Pointer cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(Native.RUNTIME, bytes.length + 1, true);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }
}
