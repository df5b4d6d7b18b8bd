package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;

/**
 * The maps every policy program shares, by the symbolic names the programs load them with (the loader binds the names
 * to fds). One instance of each serves all endpoints of a node, as Calico's {@code cali_v4_ip_sets}, {@code
 * cali_rule_ctrs} and {@code cali_v4_ct} do.
 *
 * <pre>
 * name            type        key                         value
 * tt_ipsets_v4    lpm_trie    {@link Ipv4SetKey} (20 B)          u32 1 (presence)
 * tt_rule_ctrs    percpu_hash u64 rule id (host order)    u64 packets, u64 bytes (host order, per CPU)
 * tt_ct_v4        lru_hash    {@link Conntrack} key (16 B)       {@link Conntrack} value (16 B)
 * tt_flows        ringbuf     -                           {@link FlowEvents} records (32 B), one per policy decision
 * tt_flow_lost    percpu_hash u64 rule id (host order)    u64 events the full ring could not take (per CPU)
 * </pre>
 */
public final class PolicyMaps {
    public static final String IP_SETS = "tt_ipsets_v4";
    public static final int IP_SETS_KEY_SIZE = Ipv4SetKey.SIZE;
    public static final int IP_SETS_VALUE_SIZE = 4;

    public static final String COUNTERS = "tt_rule_ctrs";
    public static final int COUNTERS_KEY_SIZE = 8;
    /** {@code u64 packets} at 0, {@code u64 bytes} at 8. */
    public static final int COUNTERS_VALUE_SIZE = 16;

    public static final String CONNTRACK = "tt_ct_v4";

    public static final String FLOWS = "tt_flows";

    public static final String FLOWS_LOST = "tt_flow_lost";
    public static final int FLOWS_LOST_KEY_SIZE = 8;
    public static final int FLOWS_LOST_VALUE_SIZE = 8;

    private PolicyMaps() {}
}
