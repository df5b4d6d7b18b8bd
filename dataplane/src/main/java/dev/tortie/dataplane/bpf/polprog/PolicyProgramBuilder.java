package dev.tortie.dataplane.bpf.polprog;

import static dev.tortie.dataplane.bpf.asm.Reg.R0;
import static dev.tortie.dataplane.bpf.asm.Reg.R1;
import static dev.tortie.dataplane.bpf.asm.Reg.R10;
import static dev.tortie.dataplane.bpf.asm.Reg.R2;
import static dev.tortie.dataplane.bpf.asm.Reg.R3;
import static dev.tortie.dataplane.bpf.asm.Reg.R4;
import static dev.tortie.dataplane.bpf.asm.Reg.R5;
import static dev.tortie.dataplane.bpf.asm.Reg.R6;
import static dev.tortie.dataplane.bpf.asm.Reg.R7;
import static dev.tortie.dataplane.bpf.asm.Reg.R8;
import static dev.tortie.dataplane.bpf.asm.Reg.R9;

import dev.tortie.dataplane.bpf.asm.AluOp;
import dev.tortie.dataplane.bpf.asm.Assembler;
import dev.tortie.dataplane.bpf.asm.Helper;
import dev.tortie.dataplane.bpf.asm.JmpOp;
import dev.tortie.dataplane.bpf.asm.Program;
import dev.tortie.dataplane.bpf.asm.Reg;
import dev.tortie.dataplane.bpf.asm.Size;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetEntries;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.Hashes;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Compiles one endpoint's {@link EndpointProgram} (one direction) into a TC program with the evaluator's semantics
 * (engine {@code ProgramEvaluator}): tiers in order; in a tier policies and rules in order; the first Allow, Deny or
 * Pass that matches ends the tier (Pass continues with the next tier), Log counts and continues; no decision means the
 * tier's default (Deny drops, Pass continues); then the profiles (an Allow accepts, Deny or Pass ends that profile);
 * else drop. See the package documentation for the layout, the registers and the stack.
 *
 * <p>Pure: the same input gives the same instructions (golden-tested); maps are referenced by the names in {@link
 * PolicyMaps}.
 */
public final class PolicyProgramBuilder {
    /** TC verdicts the program returns. */
    public static final int TC_ACT_OK = 0;

    public static final int TC_ACT_SHOT = 2;

    /** {@code struct __sk_buff} offsets. */
    static final int SKB_LEN = 0;

    static final int SKB_CB0 = 48;
    static final int SKB_CB1 = 52;
    static final int SKB_DATA = 76;
    static final int SKB_DATA_END = 80;

    // Stack layout (offsets from r10). The packet fields policy reads sit at offsets that are not multiples of 8, so
    // the verifier keeps them as plain bytes: every load gives a fresh unknown value and the states reaching a rule
    // from different paths stay equal (which keeps verification linear in the number of rules).
    static final int S_PROTO = -4;
    static final int S_SPORT = -12;
    static final int S_DPORT = -20;
    static final int S_ICMP_TYPE = -28;
    static final int S_ICMP_CODE = -36;
    static final int S_SADDR = -44;
    static final int S_DADDR = -52;
    static final int S_SADDR_BE = -60;
    static final int S_DADDR_BE = -68;
    static final int S_SPORT_BE = -74;
    static final int S_DPORT_BE = -78;
    static final int S_TCP_FLAGS = -81;
    static final int S_SWAPPED = -82;
    static final int S_CT_MODE = -83;
    static final int S_SYN = -84;
    static final int S_ID = -96;
    static final int S_NOW = -104;
    static final int S_TIMEOUT = -112;
    static final int CT_KEY = -128;
    static final int CT_VAL = -144;
    static final int CTR_VAL = -160;
    static final int LPM_KEY = -180;
    /** The flow event ({@link FlowEvents}, 32 bytes) built in the footer. */
    static final int EVENT = -216;

    /** Conntrack modes (S_CT_MODE). */
    static final int CT_TRACK = 0;

    static final int CT_RELATED = 1;
    static final int CT_UNTRACKED = 2;

    /** Footer verdicts (r9). */
    static final int V_ALLOW_TRACK = 0;

    static final int V_ALLOW = 1;
    static final int V_DROP = 2;

    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_ACK = 0x10;

    /** Policy allowed (a flow event, then count, approve the connection, accept). */
    static final String ACCEPT = "accept";
    /** Allowed outside policy: established, ARP, fragments (count, accept). */
    static final String ACCEPT_UNTRACKED = "accept_untracked";
    /** Policy denied: a rule, the end of a tier, no profile (a flow event, then count, drop). */
    static final String DENY = "deny";
    /** Dropped outside policy: IPv6, other ethertypes, malformed (count, drop). */
    static final String DROP = "drop";

    /**
     * Build options.
     *
     * @param conntrack track connections (replies of allowed flows pass before policy)
     * @param trampolineInterval slots between trampoline blocks that relay far jumps (accept, drop, end of tier), so
     *     no jump needs more than a 16-bit offset however long the program is
     * @param flowEvents write a {@link FlowEvents} record to the {@link PolicyMaps#FLOWS} ring buffer for every policy
     *     decision (the flow log; kernel 5.8+)
     */
    public record Options(boolean conntrack, int trampolineInterval, boolean flowEvents) {
        public Options {
            if (trampolineInterval < 64 || trampolineInterval > 30_000) {
                throw new IllegalArgumentException("trampoline interval " + trampolineInterval + " out of 64-30000");
            }
        }

        /** Options with flow events on. */
        public Options(boolean conntrack, int trampolineInterval) {
            this(conntrack, trampolineInterval, true);
        }

        public static Options defaults() {
            return new Options(true, 16_000, true);
        }

        public Options withConntrack(boolean value) {
            return new Options(value, trampolineInterval, flowEvents);
        }

        public Options withTrampolineInterval(int value) {
            return new Options(conntrack, value, flowEvents);
        }

        public Options withFlowEvents(boolean value) {
            return new Options(conntrack, trampolineInterval, value);
        }
    }

    private final EndpointProgram source;
    private final Options options;
    private final Assembler a;
    private final Map<Long, String> ids = new LinkedHashMap<>();
    private int wideInsns;
    private int labelCounter;
    private int region;
    private int regionStartSlot;
    private String openTierEnd;

    private PolicyProgramBuilder(EndpointProgram source, Options options) {
        this.source = source;
        this.options = options;
        this.a = new Assembler("tortie_policy");
    }

    /** The program enforcing {@code endpoint}'s policy in {@code direction}. */
    public static PolicyProgram build(LocalEndpoint endpoint, Direction direction) {
        return build(endpoint, direction, Options.defaults());
    }

    public static PolicyProgram build(LocalEndpoint endpoint, Direction direction, Options options) {
        Objects.requireNonNull(endpoint, "endpoint == null");
        return build(direction == Direction.INGRESS ? endpoint.ingress() : endpoint.egress(), options);
    }

    public static PolicyProgram build(EndpointProgram program, Options options) {
        Objects.requireNonNull(program, "program == null");
        Objects.requireNonNull(options, "options == null");
        return new PolicyProgramBuilder(program, options).run();
    }

    /** The program name for assembled instructions: {@code tti_} or {@code tte_} + 11 hex chars of their hash. */
    static String nameFor(Direction direction, Program program) {
        byte[] code = program.encode(mapName -> 0);
        byte[] digest = Hashes.sha224(code);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            hex.append(String.format("%02x", digest[i]));
        }
        return (direction == Direction.INGRESS ? "tti_" : "tte_") + hex.substring(0, 11);
    }

    private PolicyProgram run() {
        prologue();
        policy();
        footer();
        Program assembled = Reachability.strip(a.assemble());
        Program named = Program.of(nameFor(source.direction(), assembled), assembled.insns(), assembled.labels());
        return new PolicyProgram(source.endpoint(), source.direction(), Hook.forPolicy(source.direction()), named, ids);
    }

    // ------------------------------------------------------------------------------------------------ ids and jumps

    private long id(String text) {
        long numeric = Hashes.fnv64a(text);
        ids.putIfAbsent(numeric, text);
        return numeric;
    }

    private String specialId(String what) {
        return EndpointIds.of(source, what);
    }

    private String newLabel(String stem) {
        return stem + (labelCounter++);
    }

    /** The label a jump from the current region uses to reach {@code target} (directly or through trampolines). */
    private String far(String target) {
        return "far" + region + "_" + target;
    }

    /** Places {@code target} (and its alias for the current region) at the next instruction. */
    private void farLabel(String target) {
        a.label(target).label(far(target));
    }

    private int slots() {
        return a.size() + wideInsns;
    }

    private void ldImm64(Reg dst, long value) {
        a.ldImm64(dst, value);
        wideInsns++;
    }

    private void ldMap(Reg dst, String map) {
        a.ldMap(dst, map);
        wideInsns++;
    }

    /** {@code r1 = id; goto target}: the deciding point hands its id to the footer. */
    private void decide(String idText, String target) {
        long numeric = id(idText);
        a.comment(String.format("-> %s [%s 0x%016x]", target.replace('_', ' '), idText, numeric));
        ldImm64(R1, numeric);
        a.ja(far(target));
    }

    /**
     * Between rules: when the region since the last block is long enough, emits a block of unconditional jumps that
     * relay the far targets one block further (the last block's relays reach the real labels), and starts a new
     * region.
     */
    private void trampolinesIfDue() {
        if (slots() - regionStartSlot < options.trampolineInterval()) {
            return;
        }
        String skip = newLabel("trampolines_end");
        a.comment("trampolines: relay far jumps of region " + region + " (16-bit jump offsets)");
        a.ja(skip);
        List<String> targets = new ArrayList<>(List.of(ACCEPT, ACCEPT_UNTRACKED, DENY, DROP));
        if (openTierEnd != null) {
            targets.add(openTierEnd);
        }
        for (String target : targets) {
            a.label(far(target));
            a.ja("far" + (region + 1) + "_" + target);
        }
        region++;
        regionStartSlot = slots();
        a.label(skip);
    }

    // ------------------------------------------------------------------------------------------------ prologue

    private void stackU32(int off, Reg src) {
        a.stx(Size.W, R10, off, src);
    }

    private void loadU32(Reg dst, int off) {
        a.ldx(Size.W, dst, R10, off);
    }

    private void prologue() {
        String ep = source.endpoint() + " " + source.direction().lowerName();
        a.comment("policy program of " + ep + " ("
                        + Hook.forPolicy(source.direction()).tcName() + " hook)")
                .comment("r6 = skb, r7 = data, r8 = data_end, r9 = L4 header")
                .mov64(R6, R1)
                .ldx(Size.W, R7, R6, SKB_DATA)
                .ldx(Size.W, R8, R6, SKB_DATA_END);
        a.comment("Ethernet: IPv4 is policed; ARP passes; IPv6 and other ethertypes drop")
                .mov64(R2, R7)
                .add64(R2, 14)
                .jgt(R2, R8, "malformed")
                .ldx(Size.H, R2, R7, 12)
                .be16(R2)
                .jeq(R2, 0x0800, "ipv4")
                .jeq(R2, 0x0806, "arp")
                .jeq(R2, 0x86dd, "ipv6");
        decide(specialId(EndpointIds.OTHER_ETHERTYPE), DROP);
        a.label("arp");
        decide(specialId(EndpointIds.ARP), ACCEPT_UNTRACKED);
        a.label("ipv6");
        decide(specialId(EndpointIds.IPV6), DROP);
        a.label("malformed");
        decide(specialId(EndpointIds.MALFORMED), DROP);
        a.label("fragment");
        decide(specialId(EndpointIds.FRAGMENT), ACCEPT_UNTRACKED);

        a.label("ipv4")
                .comment("IPv4 header: version 4, IHL >= 5, r9 = L4 header")
                .mov64(R2, R7)
                .add64(R2, 34)
                .jgt(R2, R8, "malformed")
                .ldx(Size.B, R3, R7, 14)
                .mov64(R2, R3)
                .rsh64(R2, 4)
                .jne(R2, 4, "malformed")
                .and64(R3, 0x0f)
                .jlt(R3, 5, "malformed")
                .lsh64(R3, 2)
                .mov64(R9, R7)
                .add64(R9, 14)
                .add64(R9, R3);
        a.comment("non-first fragments carry no L4 header")
                .ldx(Size.H, R2, R7, 20)
                .be16(R2)
                .and64(R2, 0x1fff)
                .jne(R2, 0, "fragment");
        a.comment("addresses: network order for keys, host order for CIDR tests")
                .ldx(Size.W, R2, R7, 26);
        stackU32(S_SADDR_BE, R2);
        a.be32(R2);
        stackU32(S_SADDR, R2);
        a.ldx(Size.W, R2, R7, 30);
        stackU32(S_DADDR_BE, R2);
        a.be32(R2);
        stackU32(S_DADDR, R2);
        a.comment("L4 fields default to 0").mov64(R2, 0);
        stackU32(S_SPORT, R2);
        stackU32(S_DPORT, R2);
        stackU32(S_ICMP_TYPE, R2);
        stackU32(S_ICMP_CODE, R2);
        a.stx(Size.H, R10, S_SPORT_BE, R2)
                .stx(Size.H, R10, S_DPORT_BE, R2)
                .stx(Size.B, R10, S_TCP_FLAGS, R2)
                .stx(Size.B, R10, S_SYN, R2)
                .stx(Size.B, R10, S_SWAPPED, R2)
                .stx(Size.B, R10, S_CT_MODE, R2);
        a.comment("IP-set lookup key: prefix length " + Ipv4SetKey.FULL_PREFIX_LEN + ", the packet's protocol")
                .mov64(R3, Ipv4SetKey.FULL_PREFIX_LEN);
        stackU32(LPM_KEY + Ipv4SetKey.OFFSET_PREFIX_LEN, R3);
        stackU32(LPM_KEY + Ipv4SetKey.OFFSET_SET_ID, R2);
        stackU32(LPM_KEY + Ipv4SetKey.OFFSET_SET_ID + 4, R2);
        stackU32(LPM_KEY + Ipv4SetKey.OFFSET_ADDRESS, R2);
        a.stx(Size.H, R10, LPM_KEY + Ipv4SetKey.OFFSET_PORT, R2).stx(Size.B, R10, LPM_KEY + Ipv4SetKey.OFFSET_PAD, R2);
        a.ldx(Size.B, R4, R7, 23);
        stackU32(S_PROTO, R4);
        a.stx(Size.B, R10, LPM_KEY + Ipv4SetKey.OFFSET_PROTOCOL, R4);
        if (options.conntrack()) {
            a.comment("conntrack key: protocol, pad; default timeout");
            stackU32(CT_KEY + 12, R2);
            a.stx(Size.B, R10, CT_KEY + Conntrack.KEY_PROTO, R4);
            ldImm64(R2, Conntrack.OTHER_TIMEOUT_NS);
            a.stx(Size.DW, R10, S_TIMEOUT, R2);
        }
        a.comment("r4 = protocol")
                .jeq(R4, 6, "tcp")
                .jeq(R4, 17, "udp")
                .jeq(R4, 132, "ports")
                .jeq(R4, 1, "icmp")
                .jeq(R4, 58, "icmp_fields")
                .ja("tuple");

        a.label("tcp")
                .comment("TCP: ports and flags (a pure SYN opens a connection)")
                .mov64(R2, R9)
                .add64(R2, 14)
                .jgt(R2, R8, "malformed")
                .ldx(Size.B, R2, R9, 13)
                .stx(Size.B, R10, S_TCP_FLAGS, R2)
                .and64(R2, TCP_SYN | TCP_ACK)
                .jne(R2, TCP_SYN, "tcp_timeout")
                .mov64(R2, 1)
                .stx(Size.B, R10, S_SYN, R2);
        a.label("tcp_timeout");
        if (options.conntrack()) {
            ldImm64(R2, Conntrack.TCP_TIMEOUT_NS);
            a.stx(Size.DW, R10, S_TIMEOUT, R2);
        }
        a.ja("ports");
        a.label("udp");
        if (options.conntrack()) {
            ldImm64(R2, Conntrack.UDP_TIMEOUT_NS);
            a.stx(Size.DW, R10, S_TIMEOUT, R2);
        }
        a.label("ports")
                .comment("TCP, UDP, SCTP: ports")
                .mov64(R2, R9)
                .add64(R2, 4)
                .jgt(R2, R8, "malformed");
        a.ldx(Size.H, R2, R9, 0).stx(Size.H, R10, S_SPORT_BE, R2).be16(R2);
        stackU32(S_SPORT, R2);
        a.ldx(Size.H, R2, R9, 2).stx(Size.H, R10, S_DPORT_BE, R2).be16(R2);
        stackU32(S_DPORT, R2);
        a.ja("tuple");

        a.label("icmp");
        if (options.conntrack()) {
            ldImm64(R2, Conntrack.ICMP_TIMEOUT_NS);
            a.stx(Size.DW, R10, S_TIMEOUT, R2);
        }
        a.label("icmp_fields")
                .comment("ICMP: type and code")
                .mov64(R2, R9)
                .add64(R2, 8)
                .jgt(R2, R8, "malformed")
                .ldx(Size.B, R2, R9, 0);
        stackU32(S_ICMP_TYPE, R2);
        a.ldx(Size.B, R3, R9, 1);
        stackU32(S_ICMP_CODE, R3);
        if (!options.conntrack()) {
            a.ja("policy");
        } else {
            a.jne(R4, 1, "tuple")
                    .jeq(R2, 0, "icmp_echo")
                    .jeq(R2, 8, "icmp_echo")
                    .jeq(R2, 3, "icmp_error")
                    .jeq(R2, 11, "icmp_error")
                    .jeq(R2, 12, "icmp_error")
                    .ja("tuple");
            a.label("icmp_echo")
                    .comment("echo request and reply share the entry: the identifier is both ports")
                    .ldx(Size.W, R1, R10, S_SADDR_BE)
                    .ldx(Size.W, R2, R10, S_DADDR_BE)
                    .ldx(Size.H, R3, R9, 4)
                    .mov64(R4, R3)
                    .mov64(R5, 1);
            ctKey(false);
            a.ja("ct_check");

            a.label("icmp_error")
                    .comment("ICMP error: related to the connection of the packet it quotes (untracked if unreadable)")
                    .mov64(R2, 1)
                    .stx(Size.B, R10, S_CT_MODE, R2)
                    .mov64(R2, R9)
                    .add64(R2, 8 + 20)
                    .jgt(R2, R8, "icmp_untracked")
                    .ldx(Size.B, R3, R9, 8)
                    .and64(R3, 0x0f)
                    .jlt(R3, 5, "icmp_untracked")
                    .lsh64(R3, 2)
                    .ldx(Size.B, R5, R9, 8 + 9)
                    .ldx(Size.W, R1, R9, 8 + 12)
                    .ldx(Size.W, R2, R9, 8 + 16)
                    .add64(R9, 8)
                    .add64(R9, R3)
                    .mov64(R3, 0)
                    .mov64(R4, 0)
                    .jeq(R5, 6, "inner_ports")
                    .jeq(R5, 17, "inner_ports")
                    .jeq(R5, 132, "inner_ports")
                    .jne(R5, 1, "inner_tuple")
                    .mov64(R0, R9)
                    .add64(R0, 8)
                    .jgt(R0, R8, "icmp_untracked")
                    .ldx(Size.B, R0, R9, 0)
                    .jeq(R0, 8, "inner_echo")
                    .jne(R0, 0, "inner_tuple");
            a.label("inner_echo").ldx(Size.H, R3, R9, 4).mov64(R4, R3).ja("inner_tuple");
            a.label("inner_ports")
                    .mov64(R0, R9)
                    .add64(R0, 4)
                    .jgt(R0, R8, "icmp_untracked")
                    .ldx(Size.H, R3, R9, 0)
                    .ldx(Size.H, R4, R9, 2);
            a.label("inner_tuple").comment("the error travels against the quoted packet: flip the orientation");
            ctKey(true);
            a.ja("ct_check");
            a.label("icmp_untracked").mov64(R2, CT_UNTRACKED).stx(Size.B, R10, S_CT_MODE, R2);
            a.ja("policy");
        }

        a.label("tuple");
        if (options.conntrack()) {
            a.comment("connection key from the packet's 5-tuple")
                    .ldx(Size.W, R1, R10, S_SADDR_BE)
                    .ldx(Size.W, R2, R10, S_DADDR_BE)
                    .ldx(Size.H, R3, R10, S_SPORT_BE)
                    .ldx(Size.H, R4, R10, S_DPORT_BE)
                    .ldx(Size.W, R5, R10, S_PROTO);
            ctKey(false);
            conntrackCheck();
        }
    }

    /**
     * Fills the conntrack key from r1/r2 (addresses, network order), r3/r4 (ports, network order), r5 (protocol) and
     * records in S_SWAPPED whether the packet's source is side b ({@code flip} inverts it for ICMP errors).
     */
    private void ctKey(boolean flip) {
        String src = newLabel("key_src_first");
        String done = newLabel("key_done");
        String dst = newLabel("key_dst_first");
        a.stx(Size.B, R10, CT_KEY + Conntrack.KEY_PROTO, R5)
                .jmp(JmpOp.JLT, R1, R2, src)
                .jgt(R1, R2, dst)
                .jmp(JmpOp.JLE, R3, R4, src);
        a.label(dst);
        stackU32(CT_KEY + Conntrack.KEY_ADDR_A, R2);
        stackU32(CT_KEY + Conntrack.KEY_ADDR_B, R1);
        a.stx(Size.H, R10, CT_KEY + Conntrack.KEY_PORT_A, R4)
                .stx(Size.H, R10, CT_KEY + Conntrack.KEY_PORT_B, R3)
                .mov64(R0, flip ? 0 : 1)
                .stx(Size.B, R10, S_SWAPPED, R0)
                .ja(done);
        a.label(src);
        stackU32(CT_KEY + Conntrack.KEY_ADDR_A, R1);
        stackU32(CT_KEY + Conntrack.KEY_ADDR_B, R2);
        a.stx(Size.H, R10, CT_KEY + Conntrack.KEY_PORT_A, R3)
                .stx(Size.H, R10, CT_KEY + Conntrack.KEY_PORT_B, R4)
                .mov64(R0, flip ? 1 : 0)
                .stx(Size.B, R10, S_SWAPPED, R0);
        a.label(done);
    }

    private int ownBit() {
        return source.direction() == Direction.EGRESS ? Conntrack.SRC_APPROVED : Conntrack.DST_APPROVED;
    }

    private int otherBit() {
        return source.direction() == Direction.EGRESS ? Conntrack.DST_APPROVED : Conntrack.SRC_APPROVED;
    }

    /** Before policy: a live entry this endpoint approved (for this packet's direction) accepts the packet. */
    private void conntrackCheck() {
        a.label("ct_check")
                .comment("conntrack: an entry that approves this packet's direction accepts it before policy");
        ldMap(R1, PolicyMaps.CONNTRACK);
        a.mov64(R2, R10)
                .add64(R2, CT_KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "policy")
                .mov64(R9, R0)
                .call(Helper.KTIME_GET_NS)
                .stx(Size.DW, R10, S_NOW, R0)
                .ldx(Size.DW, R1, R9, Conntrack.VALUE_EXPIRES)
                .comment("expired")
                .jmp(JmpOp.JLT, R1, R0, "policy")
                .ldx(Size.W, R3, R9, Conntrack.VALUE_FLAGS)
                .comment("a pure SYN on a closed connection starts a new one")
                .ldx(Size.B, R4, R10, S_SYN)
                .jeq(R4, 0, "ct_direction")
                .mov64(R4, R3)
                .and64(R4, Conntrack.RST_SEEN)
                .jne(R4, 0, "policy")
                .mov64(R4, R3)
                .and64(R4, Conntrack.FIN_BOTH)
                .jeq(R4, Conntrack.FIN_BOTH, "policy");
        a.label("ct_direction")
                .comment(String.format(
                        "forward (packet oriented like the opener) needs 0x%x, reply needs 0x%x", ownBit(), otherBit()))
                .mov64(R4, R3)
                .and64(R4, Conntrack.OPENER_B)
                .ldx(Size.B, R5, R10, S_SWAPPED)
                .mov64(R2, otherBit())
                .jne(R4, R5, "ct_required")
                .mov64(R2, ownBit());
        a.label("ct_required")
                .comment("between two local endpoints both must have approved")
                .mov64(R4, R3)
                .and64(R4, Conntrack.BOTH_LOCAL)
                .jne(R4, Conntrack.BOTH_LOCAL, "ct_approved")
                .mov64(R2, Conntrack.BOTH_APPROVED);
        a.label("ct_approved").mov64(R4, R3).and64(R4, R2).jne(R4, R2, "policy");
        a.comment("established: TCP RST and FIN bookkeeping, then refresh (related ICMP errors change nothing)")
                .ldx(Size.B, R1, R10, S_CT_MODE)
                .jne(R1, CT_TRACK, "ct_established")
                .ldx(Size.B, R1, R10, S_TCP_FLAGS)
                .mov64(R2, R1)
                .and64(R2, TCP_RST)
                .jeq(R2, 0, "ct_fin")
                .mov64(R2, R3)
                .and64(R2, Conntrack.RST_SEEN)
                .jne(R2, 0, "ct_established")
                .or64(R3, Conntrack.RST_SEEN)
                .stx(Size.W, R9, Conntrack.VALUE_FLAGS, R3)
                .ldx(Size.DW, R1, R10, S_NOW);
        ldImm64(R2, Conntrack.RST_TIMEOUT_NS);
        a.add64(R1, R2).stx(Size.DW, R9, Conntrack.VALUE_EXPIRES, R1).ja("ct_established");
        a.label("ct_fin")
                .mov64(R2, R1)
                .and64(R2, TCP_FIN)
                .jeq(R2, 0, "ct_refresh")
                .mov64(R2, Conntrack.FIN_A)
                .ldx(Size.B, R4, R10, S_SWAPPED)
                .jeq(R4, 0, "ct_fin_side")
                .mov64(R2, Conntrack.FIN_B);
        a.label("ct_fin_side")
                .or64(R3, R2)
                .stx(Size.W, R9, Conntrack.VALUE_FLAGS, R3)
                .mov64(R2, R3)
                .and64(R2, Conntrack.FIN_BOTH)
                .jne(R2, Conntrack.FIN_BOTH, "ct_refresh")
                .ldx(Size.DW, R1, R10, S_NOW);
        ldImm64(R2, Conntrack.FIN_TIMEOUT_NS);
        a.add64(R1, R2).stx(Size.DW, R9, Conntrack.VALUE_EXPIRES, R1).ja("ct_established");
        a.label("ct_refresh");
        refreshUnlessClosing(R9, R3, "ct_established");
        a.label("ct_established");
        decide(specialId(EndpointIds.ESTABLISHED), ACCEPT_UNTRACKED);
    }

    /** {@code entry.expires = now + timeout} unless {@code flags} say the connection is closing. */
    private void refreshUnlessClosing(Reg entry, Reg flags, String done) {
        a.mov64(R2, flags)
                .and64(R2, Conntrack.RST_SEEN)
                .jne(R2, 0, done)
                .mov64(R2, flags)
                .and64(R2, Conntrack.FIN_BOTH)
                .jeq(R2, Conntrack.FIN_BOTH, done)
                .ldx(Size.DW, R1, R10, S_NOW)
                .ldx(Size.DW, R2, R10, S_TIMEOUT)
                .add64(R1, R2)
                .stx(Size.DW, entry, Conntrack.VALUE_EXPIRES, R1);
    }

    // ------------------------------------------------------------------------------------------------ policy

    private void policy() {
        a.label("policy");
        int tierIndex = 0;
        for (IrTier tier : source.tiers()) {
            String end = "tier" + tierIndex + "_end";
            openTierEnd = end;
            a.comment("tier " + tier.name() + " (default " + tier.defaultAction() + ")");
            for (IrPolicy policy : tier.policies()) {
                a.comment("policy " + policy.id());
                for (IrRule rule : policy.rules()) {
                    trampolinesIfDue();
                    rule(rule, end, false, null);
                }
            }
            trampolinesIfDue();
            if (tier.defaultAction() == Action.PASS) {
                a.comment("end of tier " + tier.name() + ": Pass");
            } else {
                a.comment("end of tier " + tier.name() + ": Deny");
                decide(tier.endOfTierId(), DENY);
            }
            openTierEnd = null;
            farLabel(end);
            tierIndex++;
        }
        int profileIndex = 0;
        for (IrProfile profile : source.profiles()) {
            String end = "profile" + profileIndex + "_end";
            a.comment("profile " + profile.name() + (profile.rules().isEmpty() ? " (no rules)" : ""));
            for (IrRule rule : profile.rules()) {
                trampolinesIfDue();
                rule(rule, null, true, end);
            }
            if (!profile.rules().isEmpty()) {
                a.label(end);
            }
            profileIndex++;
        }
        trampolinesIfDue();
        a.comment("no tier decided and no profile allowed");
        decide(source.noProfileId(), DENY);
    }

    /**
     * One rule: a fall-through sequence of tests, each jumping to the next rule when it fails, then the action.
     *
     * @param tierEnd the label Pass jumps to (tiers)
     * @param inProfile profile semantics: Deny and Pass end the profile ({@code profileEnd})
     */
    private void rule(IrRule rule, String tierEnd, boolean inProfile, String profileEnd) {
        long numeric = id(rule.id().toString());
        a.comment(String.format(
                "rule %s %s [0x%016x]%s",
                rule.id(),
                rule.action(),
                numeric,
                rule.summary() == null || rule.summary().isEmpty() ? "" : ": " + rule.summary()));
        String never = staticallyFalse(rule);
        if (never != null) {
            a.comment("  never matches in the IPv4 program: " + never);
            return;
        }
        String next = newLabel("rule_next");
        boolean nextUsed = false;
        Protocol knownProtocol = null;
        for (Match m : rule.matches()) {
            if (m instanceof Match.IpVersion) {
                continue; // IPv4 here; version 6 was ruled out above
            }
            if (m instanceof Match.ProtocolIs p) {
                a.comment("  protocol " + (p.negated() ? "not " : "")
                        + p.protocol().displayName());
                loadU32(R1, S_PROTO);
                if (p.negated()) {
                    a.jeq(R1, p.protocol().number(), next);
                } else {
                    a.jne(R1, p.protocol().number(), next);
                    knownProtocol = p.protocol();
                }
                nextUsed = true;
            } else if (m instanceof Match.Cidrs c) {
                nextUsed |= cidrs(c, next);
            } else if (m instanceof Match.InIpSet s) {
                a.comment(String.format(
                        "  %s %sin set %s [0x%016x]",
                        s.side().shortName(), s.negated() ? "not " : "", s.setId(), Ipv4SetKey.setIdOf(s.setId())));
                setLookup(s.setId(), s.side(), false);
                a.jmp(s.negated() ? JmpOp.JNE : JmpOp.JEQ, R0, 0, next);
                nextUsed = true;
            } else if (m instanceof Match.Ports p) {
                nextUsed |= ports(p, next, knownProtocol);
            } else if (m instanceof Match.Icmp i) {
                icmp(i, next, knownProtocol);
                nextUsed = true;
            } else {
                throw new IllegalStateException("unknown match " + m);
            }
        }
        switch (rule.action()) {
            case ALLOW:
                decide(rule.id().toString(), ACCEPT);
                break;
            case DENY:
                if (inProfile) {
                    a.comment("  Deny in a profile: count, then end the profile");
                    count(numeric);
                    a.ja(profileEnd);
                } else {
                    decide(rule.id().toString(), DENY);
                }
                break;
            case PASS:
                a.comment(
                        inProfile
                                ? "  Pass in a profile: count, then end the profile"
                                : "  Pass: count, then continue with the next tier");
                count(numeric);
                a.ja(inProfile ? profileEnd : far(tierEnd));
                break;
            case LOG:
                a.comment("  Log: count, then continue");
                count(numeric);
                break;
            default:
                throw new IllegalStateException("unknown action " + rule.action());
        }
        if (nextUsed) {
            a.label(next);
        }
    }

    /** Why a rule can never match an IPv4 packet, or null. */
    private static String staticallyFalse(IrRule rule) {
        for (Match m : rule.matches()) {
            if (m instanceof Match.IpVersion v && v.version() != 4) {
                return "ipVersion " + v.version();
            }
            if (m instanceof Match.Cidrs c && !c.negated() && c.cidrs().stream().allMatch(Cidr::isV6)) {
                return "only IPv6 CIDRs " + c.cidrs();
            }
            if (m instanceof Match.Cidrs c
                    && c.negated()
                    && c.cidrs().stream().anyMatch(x -> !x.isV6() && x.prefixLength() == 0)) {
                return "not in " + c.cidrs();
            }
            if (m instanceof Match.Ports p
                    && p.negated()
                    && p.ranges().stream().anyMatch(r -> r.min() == 0 && r.max() == 65535)) {
                return "not in ports " + p.ranges();
            }
        }
        return null;
    }

    /** Emits a CIDR test; returns whether it jumps to {@code next}. */
    private boolean cidrs(Match.Cidrs c, String next) {
        List<Cidr> v4 = c.cidrs().stream().filter(x -> !x.isV6()).toList();
        String side = c.side().shortName();
        a.comment("  " + side + " " + (c.negated() ? "not in " : "in ") + v4
                + (v4.size() == c.cidrs().size() ? "" : " (IPv6 CIDRs left out)"));
        if (v4.isEmpty()) {
            return false; // negated with nothing to exclude (positive-empty was ruled out)
        }
        if (!c.negated() && v4.stream().anyMatch(x -> x.prefixLength() == 0)) {
            return false; // 0.0.0.0/0
        }
        loadU32(R2, c.side() == Side.SOURCE ? S_SADDR : S_DADDR);
        String hit = c.negated() ? next : newLabel("cidr_hit");
        for (int i = 0; i < v4.size(); i++) {
            Cidr cidr = v4.get(i);
            boolean last = i == v4.size() - 1;
            Reg tested = R2;
            if (cidr.prefixLength() < 32) {
                a.mov32(R1, R2).alu32(AluOp.AND, R1, mask(cidr.prefixLength()));
                tested = R1;
            }
            int network = cidr.network().v4Bits();
            if (!c.negated() && last) {
                a.jmp32(JmpOp.JNE, tested, network, next);
            } else {
                a.jmp32(JmpOp.JEQ, tested, network, hit);
            }
        }
        if (!c.negated() && v4.size() > 1) {
            a.label(hit);
        }
        return true;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /**
     * {@code r0 = bpf_map_lookup_elem(ip_sets, {set, address on side[, port on side]})}. The prefix length and the
     * protocol are in the key since the prologue.
     */
    private void setLookup(String setId, Side side, boolean withPort) {
        long numeric = Ipv4SetKey.setIdOf(setId);
        a.st(Size.W, R10, LPM_KEY + Ipv4SetKey.OFFSET_SET_ID, Integer.reverseBytes((int) (numeric >>> 32)))
                .st(Size.W, R10, LPM_KEY + Ipv4SetKey.OFFSET_SET_ID + 4, Integer.reverseBytes((int) numeric));
        loadU32(R1, side == Side.SOURCE ? S_SADDR_BE : S_DADDR_BE);
        stackU32(LPM_KEY + Ipv4SetKey.OFFSET_ADDRESS, R1);
        if (withPort) {
            a.ldx(Size.H, R1, R10, side == Side.SOURCE ? S_SPORT_BE : S_DPORT_BE)
                    .stx(Size.H, R10, LPM_KEY + Ipv4SetKey.OFFSET_PORT, R1);
        }
        ldMap(R1, PolicyMaps.IP_SETS);
        a.mov64(R2, R10).add64(R2, LPM_KEY).call(Helper.MAP_LOOKUP_ELEM);
    }

    /** Port test: the protocol must carry ports (also when negated, as in the evaluator); returns true (uses next). */
    private boolean ports(Match.Ports p, String next, Protocol knownProtocol) {
        String side = p.side() == Side.SOURCE ? "src" : "dst";
        List<String> parts = new ArrayList<>();
        for (PortSpec r : p.ranges()) {
            parts.add(r.toString());
        }
        for (String setId : p.namedPortSetIds()) {
            parts.add(String.format("set %s [0x%016x]", setId, Ipv4SetKey.setIdOf(setId)));
        }
        a.comment("  " + side + " port " + (p.negated() ? "not " : "") + String.join(" or ", parts));
        if (knownProtocol == null || !knownProtocol.supportsPorts()) {
            String ok = newLabel("has_ports");
            loadU32(R1, S_PROTO);
            a.jeq(R1, 6, ok).jeq(R1, 17, ok).jne(R1, 132, next);
            a.label(ok);
        }
        boolean everything = p.ranges().stream().anyMatch(r -> r.min() == 0 && r.max() == 65535);
        if (everything) {
            return true; // positive: any port (negated everything was ruled out as statically false)
        }
        String hit = p.negated() ? next : newLabel("port_hit");
        if (!p.ranges().isEmpty()) {
            loadU32(R2, p.side() == Side.SOURCE ? S_SPORT : S_DPORT);
            for (PortSpec r : p.ranges()) {
                if (r.min() == r.max()) {
                    a.jeq(R2, r.min(), hit);
                } else {
                    a.mov64(R3, R2).sub64(R3, r.min()).jle(R3, r.max() - r.min(), hit);
                }
            }
        }
        for (String setId : p.namedPortSetIds()) {
            setLookup(setId, p.side(), true);
            a.jne(R0, 0, hit);
        }
        if (!p.negated()) {
            a.ja(next);
            a.label(hit);
        }
        return true;
    }

    private void icmp(Match.Icmp i, String next, Protocol knownProtocol) {
        a.comment("  icmp " + (i.negated() ? "not " : "") + "type " + i.type()
                + (i.code() == null ? "" : " code " + i.code()));
        String miss = i.negated() ? newLabel("icmp_ok") : next;
        if (knownProtocol == null || !knownProtocol.isIcmp()) {
            String isIcmp = newLabel("is_icmp");
            loadU32(R1, S_PROTO);
            a.jeq(R1, 1, isIcmp).jne(R1, 58, miss);
            a.label(isIcmp);
        }
        loadU32(R1, S_ICMP_TYPE);
        a.jne(R1, i.type(), miss);
        if (i.code() != null) {
            loadU32(R1, S_ICMP_CODE);
            a.jne(R1, i.code(), miss);
        }
        if (i.negated()) {
            a.ja(next);
            a.label(miss);
        }
    }

    /** Counts a non-deciding hit (Log, Pass, a profile's Deny) under its id; skips if the entry is missing. */
    private void count(long numeric) {
        String skip = newLabel("counted");
        ldImm64(R1, numeric);
        a.stx(Size.DW, R10, S_ID, R1);
        ldMap(R1, PolicyMaps.COUNTERS);
        a.mov64(R2, R10).add64(R2, S_ID).call(Helper.MAP_LOOKUP_ELEM).jeq(R0, 0, skip);
        bump();
        a.label(skip);
    }

    /** {@code r0->packets += 1; r0->bytes += skb->len}; per CPU, so no atomics. */
    private void bump() {
        a.ldx(Size.DW, R1, R0, 0)
                .add64(R1, 1)
                .stx(Size.DW, R0, 0, R1)
                .ldx(Size.W, R1, R6, SKB_LEN)
                .ldx(Size.DW, R2, R0, 8)
                .add64(R2, R1)
                .stx(Size.DW, R0, 8, R2);
    }

    // ------------------------------------------------------------------------------------------------ footer

    private void footer() {
        a.comment("footer: r1 = deciding id; r9 = 0 allow and track, 1 allow, 2 drop");
        if (options.flowEvents()) {
            farLabel(ACCEPT);
            a.mov64(R9, V_ALLOW_TRACK).st(Size.B, R10, EVENT + FlowEvents.VERDICT, FlowEvents.VERDICT_ALLOW);
            a.ja("flow_event");
            farLabel(DENY);
            a.mov64(R9, V_DROP).st(Size.B, R10, EVENT + FlowEvents.VERDICT, FlowEvents.VERDICT_DENY);
            flowEvent();
            a.ja("record");
        } else {
            farLabel(ACCEPT);
            a.mov64(R9, V_ALLOW_TRACK).ja("record");
        }
        farLabel(ACCEPT_UNTRACKED);
        a.mov64(R9, V_ALLOW).ja("record");
        if (!options.flowEvents()) {
            farLabel(DENY);
        }
        farLabel(DROP);
        a.mov64(R9, V_DROP);
        a.label("record")
                .comment("record the deciding id in skb->cb[0..1] and count it")
                .stx(Size.DW, R10, S_ID, R1)
                .stx(Size.W, R6, SKB_CB0, R1)
                .rsh64(R1, 32)
                .stx(Size.W, R6, SKB_CB1, R1);
        ldMap(R1, PolicyMaps.COUNTERS);
        a.mov64(R2, R10).add64(R2, S_ID).call(Helper.MAP_LOOKUP_ELEM).jne(R0, 0, "bump");
        a.comment("first hit of an id the loader did not create: insert zero counters")
                .st(Size.DW, R10, CTR_VAL, 0)
                .st(Size.DW, R10, CTR_VAL + 8, 0);
        ldMap(R1, PolicyMaps.COUNTERS);
        a.mov64(R2, R10).add64(R2, S_ID).mov64(R3, R10).add64(R3, CTR_VAL).mov64(R4, 1);
        a.call(Helper.MAP_UPDATE_ELEM);
        ldMap(R1, PolicyMaps.COUNTERS);
        a.mov64(R2, R10).add64(R2, S_ID).call(Helper.MAP_LOOKUP_ELEM).jeq(R0, 0, "counted");
        a.label("bump");
        bump();
        a.label("counted").jeq(R9, V_DROP, "verdict_drop");
        if (options.conntrack()) {
            a.jeq(R9, V_ALLOW, "verdict_ok");
            conntrackUpdate();
        }
        a.label("verdict_ok").ret(TC_ACT_OK);
        a.label("verdict_drop").ret(TC_ACT_SHOT);
    }

    /**
     * A policy decision (r1 = rule id, the verdict byte already in the event): the flow event to the ring buffer, or,
     * when the ring is full, one more lost event counted under the rule id. Leaves r1 = rule id; r9 survives the calls.
     */
    private void flowEvent() {
        int direction =
                source.direction() == Direction.EGRESS ? FlowEvents.DIRECTION_EGRESS : FlowEvents.DIRECTION_INGRESS;
        a.label("flow_event")
                .comment("flow event: rule id, addresses, ports, protocol, verdict, direction, time -> ring buffer")
                .stx(Size.DW, R10, S_ID, R1)
                .stx(Size.DW, R10, EVENT + FlowEvents.RULE_ID, R1)
                .ldx(Size.W, R2, R10, S_SADDR_BE)
                .stx(Size.W, R10, EVENT + FlowEvents.SRC_ADDR, R2)
                .ldx(Size.W, R2, R10, S_DADDR_BE)
                .stx(Size.W, R10, EVENT + FlowEvents.DST_ADDR, R2)
                .ldx(Size.H, R2, R10, S_SPORT_BE)
                .stx(Size.H, R10, EVENT + FlowEvents.SRC_PORT, R2)
                .ldx(Size.H, R2, R10, S_DPORT_BE)
                .stx(Size.H, R10, EVENT + FlowEvents.DST_PORT, R2)
                .ldx(Size.W, R2, R10, S_PROTO)
                .stx(Size.B, R10, EVENT + FlowEvents.PROTOCOL, R2)
                .st(Size.B, R10, EVENT + FlowEvents.DIRECTION, direction)
                .st(Size.B, R10, EVENT + FlowEvents.RESERVED, 0)
                .call(Helper.KTIME_GET_NS)
                .stx(Size.DW, R10, EVENT + FlowEvents.TIME, R0);
        ldMap(R1, PolicyMaps.FLOWS);
        a.mov64(R2, R10)
                .add64(R2, EVENT)
                .mov64(R3, FlowEvents.SIZE)
                .mov64(R4, 0)
                .call(Helper.RINGBUF_OUTPUT)
                .jeq(R0, 0, "flow_event_done")
                .comment("ring buffer full: count the lost event under its rule id");
        ldMap(R1, PolicyMaps.FLOWS_LOST);
        a.mov64(R2, R10).add64(R2, S_ID).call(Helper.MAP_LOOKUP_ELEM).jne(R0, 0, "flow_lost_bump");
        a.st(Size.DW, R10, CTR_VAL, 0);
        ldMap(R1, PolicyMaps.FLOWS_LOST);
        a.mov64(R2, R10).add64(R2, S_ID).mov64(R3, R10).add64(R3, CTR_VAL).mov64(R4, 1);
        a.call(Helper.MAP_UPDATE_ELEM);
        ldMap(R1, PolicyMaps.FLOWS_LOST);
        a.mov64(R2, R10).add64(R2, S_ID).call(Helper.MAP_LOOKUP_ELEM).jeq(R0, 0, "flow_event_done");
        a.label("flow_lost_bump").ldx(Size.DW, R1, R0, 0).add64(R1, 1).stx(Size.DW, R0, 0, R1);
        a.label("flow_event_done").ldx(Size.DW, R1, R10, S_ID);
    }

    /** After policy allowed: this program approves the connection (creating the entry when there is none). */
    private void conntrackUpdate() {
        a.comment(String.format("conntrack: policy allowed, so approve this direction (0x%x)", ownBit()))
                .ldx(Size.B, R1, R10, S_CT_MODE)
                .jne(R1, CT_TRACK, "verdict_ok")
                .call(Helper.KTIME_GET_NS)
                .stx(Size.DW, R10, S_NOW, R0);
        ldMap(R1, PolicyMaps.CONNTRACK);
        a.mov64(R2, R10)
                .add64(R2, CT_KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "ct_new")
                .mov64(R9, R0)
                .ldx(Size.DW, R1, R9, Conntrack.VALUE_EXPIRES)
                .ldx(Size.DW, R2, R10, S_NOW)
                .jmp(JmpOp.JLT, R1, R2, "ct_new")
                .ldx(Size.W, R3, R9, Conntrack.VALUE_FLAGS)
                .ldx(Size.B, R4, R10, S_SYN)
                .jeq(R4, 0, "ct_approve")
                .mov64(R4, R3)
                .and64(R4, Conntrack.RST_SEEN)
                .jne(R4, 0, "ct_new")
                .mov64(R4, R3)
                .and64(R4, Conntrack.FIN_BOTH)
                .jeq(R4, Conntrack.FIN_BOTH, "ct_new");
        a.label("ct_approve")
                .comment("against the opener's direction: a connection not established for it starts over")
                .mov64(R4, R3)
                .and64(R4, Conntrack.OPENER_B)
                .ldx(Size.B, R5, R10, S_SWAPPED)
                .jne(R4, R5, "ct_new")
                .or64(R3, ownBit())
                .stx(Size.W, R9, Conntrack.VALUE_FLAGS, R3);
        refreshUnlessClosing(R9, R3, "verdict_ok");
        a.ja("verdict_ok");
        boolean egress = source.direction() == Direction.EGRESS;
        int ownLocal = egress ? Conntrack.SRC_LOCAL : Conntrack.DST_LOCAL;
        int otherLocal = egress ? Conntrack.DST_LOCAL : Conntrack.SRC_LOCAL;
        a.label("ct_new")
                .comment("new entry, opened by this packet (a RST opens nothing)")
                .ldx(Size.B, R1, R10, S_TCP_FLAGS)
                .and64(R1, TCP_RST)
                .jne(R1, 0, "verdict_ok")
                .comment("is the other end an endpoint of this node too?");
        setLookup(Ipv4SetEntries.LOCAL_ENDPOINTS, egress ? Side.DESTINATION : Side.SOURCE, false);
        a.mov64(R2, ownLocal).jeq(R0, 0, "ct_flags").mov64(R2, ownLocal | otherLocal);
        a.label("ct_flags")
                .ldx(Size.B, R1, R10, S_SWAPPED)
                .or64(R1, ownBit())
                .or64(R1, R2)
                .stx(Size.W, R10, CT_VAL + Conntrack.VALUE_FLAGS, R1)
                .st(Size.W, R10, CT_VAL + Conntrack.VALUE_FLAGS + 4, 0)
                .ldx(Size.DW, R1, R10, S_NOW)
                .ldx(Size.DW, R2, R10, S_TIMEOUT)
                .add64(R1, R2)
                .stx(Size.DW, R10, CT_VAL + Conntrack.VALUE_EXPIRES, R1);
        ldMap(R1, PolicyMaps.CONNTRACK);
        a.mov64(R2, R10)
                .add64(R2, CT_KEY)
                .mov64(R3, R10)
                .add64(R3, CT_VAL)
                .mov64(R4, 0)
                .call(Helper.MAP_UPDATE_ELEM);
    }

    @Override
    public String toString() {
        return "PolicyProgramBuilder{" + source.endpoint() + " "
                + source.direction().name().toLowerCase(Locale.ROOT) + "}";
    }
}
