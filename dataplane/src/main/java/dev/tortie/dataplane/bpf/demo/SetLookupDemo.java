package dev.tortie.dataplane.bpf.demo;

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

import dev.tortie.dataplane.bpf.asm.Assembler;
import dev.tortie.dataplane.bpf.asm.Helper;
import dev.tortie.dataplane.bpf.asm.Program;
import dev.tortie.dataplane.bpf.asm.Size;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;

/**
 * A TC classifier ({@code BPF_PROG_TYPE_SCHED_CLS}) that parses Ethernet, IPv4 and the TCP/UDP ports with direct
 * packet access, looks {@code (set id, daddr, dport, protocol)} up in the shared IP-set trie ({@link Ipv4SetKey}
 * layout) and returns {@link #TC_ACT_SHOT} on a hit, {@link #TC_ACT_OK} otherwise. Anything it does not parse (not
 * IPv4, IP options beyond the packet, non-first fragments, other protocols) is let through. Parsed packets are counted
 * per CPU in {@link #COUNTERS_MAP} (index {@link #COUNTER_ALLOWED} or {@link #COUNTER_DROPPED}).
 *
 * <p>Registers: r6 ctx, r7 data, r8 data_end, r3 IP header length, r4 protocol, r5 L4 header, r9 verdict. Stack:
 * the 20-byte trie key at fp-24, the 4-byte counter index at fp-28.
 *
 * <p>Maps: {@link #IP_SETS_MAP} (LPM trie, key {@value Ipv4SetKey#SIZE} bytes, any value) and {@link #COUNTERS_MAP}
 * (per-CPU array of two u64).
 */
public final class SetLookupDemo {
    public static final String IP_SETS_MAP = "ip_sets";
    public static final String COUNTERS_MAP = "counters";
    public static final int COUNTER_ALLOWED = 0;
    public static final int COUNTER_DROPPED = 1;
    public static final int TC_ACT_OK = 0;
    public static final int TC_ACT_SHOT = 2;

    /** {@code struct __sk_buff} offsets (include/uapi/linux/bpf.h). */
    static final int SKB_DATA = 76;

    static final int SKB_DATA_END = 80;

    static final int ETH_HLEN = 14;
    static final int ETH_P_IP = 0x0800;
    static final int IPV4_MIN_HLEN = 20;
    static final int KEY = -24;
    static final int COUNTER_KEY = -28;

    private SetLookupDemo() {}

    /** The program dropping packets whose destination is in set {@code denySetId}. */
    public static Program program(long denySetId) {
        Assembler a = new Assembler("tortie_demo");
        a.comment("r6 = ctx, r7 = data, r8 = data_end")
                .mov64(R6, R1)
                .ldx(Size.W, R7, R6, SKB_DATA)
                .ldx(Size.W, R8, R6, SKB_DATA_END);

        a.comment("bounds: Ethernet + minimal IPv4 header")
                .mov64(R2, R7)
                .add64(R2, ETH_HLEN + IPV4_MIN_HLEN)
                .jgt(R2, R8, "accept");

        a.comment("ethertype IPv4").ldx(Size.H, R2, R7, 12).be16(R2).jne(R2, ETH_P_IP, "accept");

        a.comment("version 4, IHL >= 5; r3 = IP header length in bytes (20-60)")
                .ldx(Size.B, R3, R7, ETH_HLEN)
                .mov64(R2, R3)
                .rsh64(R2, 4)
                .jne(R2, 4, "accept")
                .and64(R3, 0x0f)
                .jlt(R3, 5, "accept")
                .lsh64(R3, 2);

        a.comment("non-first fragments carry no ports")
                .ldx(Size.H, R2, R7, ETH_HLEN + 6)
                .be16(R2)
                .and64(R2, 0x1fff)
                .jne(R2, 0, "accept");

        a.comment("r4 = protocol: TCP or UDP")
                .ldx(Size.B, R4, R7, ETH_HLEN + 9)
                .jeq(R4, 6, "l4")
                .jne(R4, 17, "accept");

        a.label("l4")
                .comment("r5 = L4 header; bounds: its first 4 bytes (ports)")
                .mov64(R5, R7)
                .add64(R5, ETH_HLEN)
                .add64(R5, R3)
                .mov64(R2, R5)
                .add64(R2, 4)
                .jgt(R2, R8, "accept");

        a.comment(String.format(
                        "key at fp%d: prefixlen %d, set id 0x%016x", KEY, Ipv4SetKey.FULL_PREFIX_LEN, denySetId))
                .st(Size.W, R10, KEY + Ipv4SetKey.OFFSET_PREFIX_LEN, Ipv4SetKey.FULL_PREFIX_LEN)
                .st(Size.W, R10, KEY + Ipv4SetKey.OFFSET_SET_ID, bigEndianWord((int) (denySetId >>> 32)))
                .st(Size.W, R10, KEY + Ipv4SetKey.OFFSET_SET_ID + 4, bigEndianWord((int) denySetId));
        a.comment("daddr, dport (network order), protocol, pad")
                .ldx(Size.W, R2, R7, ETH_HLEN + 16)
                .stx(Size.W, R10, KEY + Ipv4SetKey.OFFSET_ADDRESS, R2)
                .ldx(Size.H, R2, R5, 2)
                .stx(Size.H, R10, KEY + Ipv4SetKey.OFFSET_PORT, R2)
                .stx(Size.B, R10, KEY + Ipv4SetKey.OFFSET_PROTOCOL, R4)
                .st(Size.B, R10, KEY + Ipv4SetKey.OFFSET_PAD, 0);

        a.comment("r0 = bpf_map_lookup_elem(ip_sets, key)")
                .ldMap(R1, IP_SETS_MAP)
                .mov64(R2, R10)
                .add64(R2, KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .mov64(R9, COUNTER_ALLOWED)
                .jeq(R0, 0, "count")
                .mov64(R9, COUNTER_DROPPED);

        a.label("count")
                .comment("counters[r9] += 1 (per CPU, no atomics needed)")
                .stx(Size.W, R10, COUNTER_KEY, R9)
                .ldMap(R1, COUNTERS_MAP)
                .mov64(R2, R10)
                .add64(R2, COUNTER_KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "verdict")
                .ldx(Size.DW, R1, R0, 0)
                .add64(R1, 1)
                .stx(Size.DW, R0, 0, R1);

        a.label("verdict").jeq(R9, COUNTER_ALLOWED, "accept");
        a.comment("in the deny set").ret(TC_ACT_SHOT);
        a.label("accept").ret(TC_ACT_OK);
        return a.assemble();
    }

    /**
     * The immediate a 32-bit store must carry to put {@code value}'s bytes in big-endian order in memory. The target is
     * little-endian, like the instruction encoding (see {@code Insn}).
     */
    private static int bigEndianWord(int value) {
        return Integer.reverseBytes(value);
    }
}
