package dev.tortie.dataplane.bpf.sys;

/** Map types used by tortie, numbered as {@code enum bpf_map_type}. */
public enum MapType {
    HASH(1, "hash"),
    ARRAY(2, "array"),
    PROG_ARRAY(3, "prog_array"),
    PERCPU_HASH(5, "percpu_hash"),
    PERCPU_ARRAY(6, "percpu_array"),
    LRU_HASH(9, "lru_hash"),
    LPM_TRIE(11, "lpm_trie"),
    /** Kernel 5.8+: a multi-producer ring of variable-length records read through mmap (no keys or values). */
    RINGBUF(27, "ringbuf");

    private final int number;
    private final String kernelName;

    MapType(int number, String kernelName) {
        this.number = number;
        this.kernelName = kernelName;
    }

    public int number() {
        return number;
    }

    /** The name bpftool prints. */
    public String kernelName() {
        return kernelName;
    }

    /** Values are per possible CPU: lookups return one (8-byte aligned) value per CPU. */
    public boolean isPerCpu() {
        return this == PERCPU_ARRAY || this == PERCPU_HASH;
    }

    public static MapType of(int number) {
        for (MapType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException("map type " + number + " is not supported here");
    }
}
