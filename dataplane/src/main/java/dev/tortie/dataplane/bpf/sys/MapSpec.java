package dev.tortie.dataplane.bpf.sys;

import java.util.Objects;

/**
 * What BPF_MAP_CREATE needs. Names follow the kernel's rules for object names: at most 15 characters of
 * {@code [A-Za-z0-9_.]}.
 *
 * @param flags {@code map_flags}, e.g. {@link #F_NO_PREALLOC}
 */
public record MapSpec(MapType type, String name, int keySize, int valueSize, int maxEntries, int flags) {
    /** Allocate elements on demand; required for LPM tries. */
    public static final int F_NO_PREALLOC = 1;

    public MapSpec {
        Objects.requireNonNull(type, "type == null");
        checkName(name);
        if (type == MapType.RINGBUF) {
            if (keySize != 0 || valueSize != 0) {
                throw new IllegalArgumentException("map " + name + ": a ring buffer has no keys or values (sizes 0)");
            }
            if (Integer.bitCount(maxEntries) != 1 || maxEntries < 4096) {
                throw new IllegalArgumentException("map " + name + ": a ring buffer's size " + maxEntries
                        + " must be a power of 2 of at least a page (4096)");
            }
        } else if (keySize <= 0 || valueSize <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("map " + name + ": key size, value size and max entries must be > 0");
        }
        if (type == MapType.LPM_TRIE) {
            if (keySize <= 4 || keySize > 4 + 256) {
                throw new IllegalArgumentException(
                        "map " + name + ": an LPM trie key is a u32 prefix length plus 1-256 data bytes");
            }
            if ((flags & F_NO_PREALLOC) == 0) {
                throw new IllegalArgumentException("map " + name + ": an LPM trie needs F_NO_PREALLOC");
            }
        }
        if ((type == MapType.ARRAY || type == MapType.PERCPU_ARRAY || type == MapType.PROG_ARRAY) && keySize != 4) {
            throw new IllegalArgumentException("map " + name + ": array keys are 4 bytes");
        }
        if (type == MapType.PROG_ARRAY && valueSize != 4) {
            throw new IllegalArgumentException("map " + name + ": prog array values are 4-byte program fds");
        }
    }

    public static MapSpec hash(String name, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(MapType.HASH, name, keySize, valueSize, maxEntries, 0);
    }

    public static MapSpec perCpuHash(String name, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(MapType.PERCPU_HASH, name, keySize, valueSize, maxEntries, 0);
    }

    /** A hash that evicts the least recently used entries when full (for connection state). */
    public static MapSpec lruHash(String name, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(MapType.LRU_HASH, name, keySize, valueSize, maxEntries, 0);
    }

    public static MapSpec array(String name, int valueSize, int maxEntries) {
        return new MapSpec(MapType.ARRAY, name, 4, valueSize, maxEntries, 0);
    }

    public static MapSpec perCpuArray(String name, int valueSize, int maxEntries) {
        return new MapSpec(MapType.PERCPU_ARRAY, name, 4, valueSize, maxEntries, 0);
    }

    /** An LPM trie; {@code keySize} includes the 4-byte prefix length. */
    public static MapSpec lpmTrie(String name, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(MapType.LPM_TRIE, name, keySize, valueSize, maxEntries, F_NO_PREALLOC);
    }

    /**
     * A ring buffer of {@code bytes} (a power of 2, at least a page) for records programs write with {@code
     * bpf_ringbuf_output} and user space reads through {@link BpfRingBuffer}.
     */
    public static MapSpec ringBuffer(String name, int bytes) {
        return new MapSpec(MapType.RINGBUF, name, 0, 0, bytes, 0);
    }

    /** A program array for tail calls (key: u32 index, value: program fd). */
    public static MapSpec progArray(String name, int maxEntries) {
        return new MapSpec(MapType.PROG_ARRAY, name, 4, 4, maxEntries, 0);
    }

    @Override
    public String toString() {
        if (type == MapType.RINGBUF) {
            return "map " + name + " (ringbuf " + maxEntries + " bytes)";
        }
        return "map " + name + " (" + type.kernelName() + " " + keySize + "/" + valueSize + " x " + maxEntries + ")";
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "name == null");
        if (name.length() > 15
                || !name.chars()
                        .allMatch(c -> (c >= 'a' && c <= 'z')
                                || (c >= 'A' && c <= 'Z')
                                || (c >= '0' && c <= '9')
                                || c == '_'
                                || c == '.')) {
            throw new IllegalArgumentException(
                    "invalid BPF object name '" + name + "': at most 15 characters of [A-Za-z0-9_.]");
        }
    }
}
