package dev.tortie.dataplane.bpf.asm;

/**
 * The kernel helpers a policy program uses, with their stable numbers from {@code enum bpf_func_id} in
 * include/uapi/linux/bpf.h. Other helpers can be called by number.
 */
public enum Helper {
    MAP_LOOKUP_ELEM(1, "bpf_map_lookup_elem"),
    MAP_UPDATE_ELEM(2, "bpf_map_update_elem"),
    MAP_DELETE_ELEM(3, "bpf_map_delete_elem"),
    KTIME_GET_NS(5, "bpf_ktime_get_ns"),
    TRACE_PRINTK(6, "bpf_trace_printk"),
    GET_SMP_PROCESSOR_ID(8, "bpf_get_smp_processor_id"),
    SKB_STORE_BYTES(9, "bpf_skb_store_bytes"),
    TAIL_CALL(12, "bpf_tail_call"),
    SKB_LOAD_BYTES(26, "bpf_skb_load_bytes"),
    /** Kernel 5.8+: copies a record into a ring buffer map; 0, or -EAGAIN when the ring is full. */
    RINGBUF_OUTPUT(130, "bpf_ringbuf_output");

    private final int id;
    private final String functionName;

    Helper(int id, String functionName) {
        this.id = id;
        this.functionName = functionName;
    }

    public int id() {
        return id;
    }

    public String functionName() {
        return functionName;
    }

    /** The helper with this number, or null when it is not one of these. */
    public static Helper byId(int id) {
        for (Helper h : values()) {
            if (h.id == id) {
                return h;
            }
        }
        return null;
    }
}
