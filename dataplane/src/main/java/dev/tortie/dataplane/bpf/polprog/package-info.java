/**
 * The policy program builder: one endpoint's IR for one direction compiled into a TC program with exactly the
 * evaluator's semantics, plus the layouts of the maps the programs share (IP-set trie, per-rule counters, connection
 * table).
 *
 * <p>Pure: imports {@code bpf.asm}, {@code bpf.ipsets} and the engine's ir/model/net values only; no {@code bpf.sys},
 * no I/O. Loading and attaching is the driver's ({@code dev.tortie.dataplane.bpf.BpfDataplane}).
 *
 * <h2>Program layout</h2>
 *
 * <pre>
 * prologue   parse Ethernet (ARP: accept; IPv6, other ethertypes: drop), IPv4 (bad header: drop; non-first
 *            fragment: accept), L4 (TCP/UDP/SCTP ports, TCP flags, ICMP type/code; truncated: drop); copy every
 *            field policy reads to the stack; build the connection key
 * conntrack  look the connection up: an entry that approves this packet's direction accepts it ("established")
 * policy     tier by tier, policy by policy, rule by rule: each rule is a fall-through chain of tests, a failing test
 *            jumps to the next rule; Allow/Deny hand the rule's id to the footer; Pass counts and jumps to the end of
 *            the tier; Log counts and continues; the end of a Deny tier hands the end-of-tier id to "deny"
 * profiles   in order: Allow accepts, Deny/Pass end the profile, Log counts
 * no profile the endpoint's no-profile id to "deny"
 * footer     accept / deny (policy decisions): write a flow event to the tt_flows ring buffer (or count it lost);
 *            then, as accept_untracked / drop (decisions outside policy): write the deciding id to skb->cb[0..1],
 *            count packets and bytes under it, approve the connection (accept only), return TC_ACT_OK (0) or
 *            TC_ACT_SHOT (2)
 * </pre>
 *
 * <h2>Flow events</h2>
 *
 * With {@code Options.flowEvents} (the default) every decision policy makes, allow or deny, also goes to the flow log:
 * the footer builds a {@link dev.tortie.dataplane.bpf.polprog.FlowEvents} record on the stack (rule id, addresses,
 * ports, protocol, verdict, direction, {@code bpf_ktime_get_ns}) and hands it to {@code bpf_ringbuf_output} (kernel
 * 5.8+). Only packets that reach policy do: established and related traffic, ARP, fragments, IPv6 and malformed packets
 * are decided before it. When the ring is full the helper fails at once and the event is counted under its rule id in
 * the per-CPU {@code tt_flow_lost} map, so the datapath never waits and no loss goes uncounted.
 *
 * Matches compile inline: protocol (and not), CIDR lists (any of; negated: none of) as masked 32-bit compares, port
 * ranges as one subtract-and-compare each, ICMP type/code; IP-set membership (selector sets and named ports) is one
 * lookup in the shared LPM trie keyed {prefix 120, set id, address, port, protocol}: a selector set's members are stored
 * with the prefix of their CIDR and match any port, a named-port member with the full prefix. As in the evaluator, a
 * port match (also a negated one) needs a protocol with ports, and an ICMP match an ICMP protocol. Rules that cannot
 * match IPv4 ({@code ipVersion 6}, only IPv6 CIDRs) and instructions no path reaches are left out, with a comment.
 *
 * <p>Registers: r6 the skb throughout; r7/r8/r9 data, data_end and the L4 header in the prologue, the connection entry
 * in the conntrack code, the verdict in the footer; r1 carries the deciding id into the footer. Stack: the packet fields
 * at offsets that are not multiples of 8 (the verifier then keeps them as plain bytes, so the states reaching each rule
 * from different paths compare equal and verification stays linear in the number of rules), the LPM key, the
 * connection key and value, the counter key.
 *
 * <h2>Connection state</h2>
 *
 * One LRU hash ({@link dev.tortie.dataplane.bpf.polprog.Conntrack}) shared by all programs, one entry per connection,
 * keyed by the 5-tuple in a direction-independent order. The entry records which side opened the connection and two
 * approvals: {@code SRC_APPROVED}, set by the opener's egress program when its policy allowed the first packet, and
 * {@code DST_APPROVED}, set by the responder's ingress program. Each program looks the packet up before policy: a
 * packet oriented like the opener needs this program's own approval (egress: SRC, ingress: DST), a reply needs the
 * approval of the same endpoint's other program (the reverse direction's program wrote it: a reply entering the opener
 * needs SRC, a reply leaving the responder needs DST). When both ends are endpoints of this node (the entry's {@code
 * SRC_LOCAL}/{@code DST_LOCAL} flags, from the local-endpoints pseudo set in the trie) both approvals are needed, as
 * kernel conntrack only confirms a connection whose first packet got all the way through. So replies of an allowed flow
 * pass both programs on their path, an unsolicited packet in the reverse direction (another tuple, or the same tuple
 * before both sides allowed the flow) is policed normally, and a flow one side denied leaves no usable approval. A
 * packet policy allowed against an entry not established for it starts the entry over as its opener. TCP: a RST marks
 * the entry, which then
 * expires after 2 s without refresh; FINs from both sides shorten it to 30 s; a pure SYN on a closed entry starts a new
 * connection through policy. Entries otherwise expire after 1 h (TCP), 60 s (UDP, other), 5 s (ICMP echo) of
 * inactivity; the LRU bounds memory. ICMP errors (unreachable, time exceeded, parameter problem) are "related": looked
 * up with the tuple of the packet they quote, travelling against it. Kernel conntrack (bpf_ct_lookup kfuncs) was not
 * used: it needs BTF-typed kfunc calls the assembler does not emit and ties policy to netfilter's state.
 *
 * <h2>Non-IPv4 traffic</h2>
 *
 * ARP is accepted (pods resolve their gateway). IPv6 is dropped whether or not the endpoint has an IPv6 address: the
 * programs police IPv4 only and fail closed (the driver warns about endpoints with IPv6 addresses). Other ethertypes and
 * malformed IPv4 are dropped; non-first fragments are accepted (they carry no ports and cannot be reassembled without
 * the first fragment, which was policed). Each of these decisions is recorded and counted under a per-endpoint id,
 * {@link dev.tortie.dataplane.bpf.polprog.EndpointIds}.
 *
 * <h2>Limits</h2>
 *
 * Far jumps (to the footer, to the end of a long tier) are relayed by trampoline blocks every 16,000 slots, so program
 * length is never limited by 16-bit jump offsets. The verifier's limit is the binding one: it keeps at most 8,192
 * pending branch states, and each rule leaves (tests - 1) pending until the whole rest of the program is explored, so a
 * program of roughly 2,700 three-test rules (or about 8,000 one-test rules) is rejected with "The sequence of 8193
 * jumps is too complex" (Calico splits into tail-called sub-programs there; tortie reports it and keeps the previous
 * program).
 */
package dev.tortie.dataplane.bpf.polprog;
