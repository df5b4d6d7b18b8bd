package dev.tortie.dataplane.bpf.asm;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints programs the way bpftool ({@code prog dump xlated}) and llvm-objdump do, so listings can be read next to
 * theirs:
 *
 * <pre>
 * ; program demo: 3 insns, 4 slots; maps: ip_sets
 * ; look up the packet
 *    0: (18) r1 = map[ip_sets]
 *    2: (55) if r2 != 0x6 goto +0 &lt;done&gt;
 * done:
 *    3: (95) exit
 * </pre>
 *
 * Each instruction line is its pc (slot index), the opcode byte in hex and the instruction. Labels get a line of their
 * own, comments a {@code ;} line before the instruction they belong to. Immediates are decimal for ALU, load and store,
 * hex for comparisons, as the kernel's own disassembler prints them.
 */
public final class Disassembler {
    private Disassembler() {}

    /** The full listing: header, labels, comments and instructions, one per line, ending in a newline. */
    public static String disassemble(Program program) {
        StringBuilder out = new StringBuilder();
        out.append("; program ")
                .append(program.name())
                .append(": ")
                .append(program.insns().size())
                .append(" insns, ")
                .append(program.slotCount())
                .append(" slots");
        Set<String> maps = program.mapNames();
        if (!maps.isEmpty()) {
            out.append("; maps: ").append(String.join(", ", maps));
        }
        out.append('\n');
        List<Insn> insns = program.insns();
        for (int i = 0; i < insns.size(); i++) {
            for (String label : program.labelsAt(i)) {
                out.append(label).append(":\n");
            }
            line(out, program.slotOf(i), insns.get(i));
        }
        return out.toString();
    }

    /** A listing of bare instructions (e.g. decoded from the kernel): no header and no labels. */
    public static String disassemble(List<Insn> insns) {
        Program program = Program.of("decoded", insns, Map.of());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < program.insns().size(); i++) {
            line(out, program.slotOf(i), program.insns().get(i));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, int pc, Insn insn) {
        for (String comment : insn.comments()) {
            out.append("; ").append(comment).append('\n');
        }
        out.append(String.format("%4d: (%02x) %s%n", pc, insn.code(), text(insn)));
    }

    /** One instruction's text, e.g. {@code r1 = *(u32 *)(r6 +76)} or {@code if r2 != 0x6 goto +12 <accept>}. */
    public static String text(Insn insn) {
        switch (insn.insnClass()) {
            case Insn.CLASS_ALU:
            case Insn.CLASS_ALU64:
                return alu(insn);
            case Insn.CLASS_LDX:
                if ((insn.code() & 0xe0) == Insn.MODE_MEM) {
                    return reg(insn.dstField(), true) + " = " + memory(insn.size(), insn.srcField(), insn.off());
                }
                return unknown(insn);
            case Insn.CLASS_STX:
                if ((insn.code() & 0xe0) == Insn.MODE_MEM) {
                    return memory(insn.size(), insn.dstField(), insn.off()) + " = " + reg(insn.srcField(), true);
                }
                if ((insn.code() & 0xe0) == Insn.MODE_ATOMIC && insn.imm() == AluOp.ADD.bits()) {
                    return "lock " + memory(insn.size(), insn.dstField(), insn.off()) + " += "
                            + reg(insn.srcField(), insn.size() == Size.DW);
                }
                return unknown(insn);
            case Insn.CLASS_ST:
                if ((insn.code() & 0xe0) == Insn.MODE_MEM) {
                    return memory(insn.size(), insn.dstField(), insn.off()) + " = " + insn.imm();
                }
                return unknown(insn);
            case Insn.CLASS_LD:
                if (insn.isLdImm64()) {
                    if (insn.srcField() == Insn.PSEUDO_MAP_FD) {
                        String ref = insn.mapName() != null ? insn.mapName() : "fd:" + insn.imm();
                        return reg(insn.dstField(), true) + " = map[" + ref + "]";
                    }
                    String value = "0x" + Long.toHexString(insn.imm64()) + " ll";
                    return reg(insn.dstField(), true) + " = "
                            + (insn.srcField() == 0 ? value : "pseudo" + insn.srcField() + " " + value);
                }
                return unknown(insn);
            case Insn.CLASS_JMP:
            case Insn.CLASS_JMP32:
                return jump(insn);
            default:
                throw new AssertionError(insn.insnClass());
        }
    }

    private static String alu(Insn insn) {
        boolean wide = insn.insnClass() == Insn.CLASS_ALU64;
        AluOp op = insn.aluOp();
        if (op == null) {
            return unknown(insn);
        }
        String dst = reg(insn.dstField(), wide);
        switch (op) {
            case NEG:
                return dst + " = -" + dst;
            case END:
                String kind = wide ? "bswap" : insn.usesSrcReg() ? "be" : "le";
                String r = reg(insn.dstField(), true);
                return r + " = " + kind + insn.imm() + " " + r;
            case MOV:
                return dst + " = " + operand(insn, wide);
            default:
                return dst + " " + op.symbol() + " " + operand(insn, wide);
        }
    }

    private static String operand(Insn insn, boolean wide) {
        return insn.usesSrcReg() ? reg(insn.srcField(), wide) : Integer.toString(insn.imm());
    }

    private static String jump(Insn insn) {
        JmpOp op = insn.jmpOp();
        boolean wide = insn.insnClass() == Insn.CLASS_JMP;
        if (op == null) {
            return unknown(insn);
        }
        switch (op) {
            case JA:
                return wide ? "goto " + offset(insn) : unknown(insn);
            case CALL:
                if (!wide || insn.srcField() != Insn.CALL_HELPER) {
                    return unknown(insn);
                }
                Helper helper = Helper.byId(insn.imm());
                return "call " + (helper == null ? "" : helper.functionName()) + "#" + insn.imm();
            case EXIT:
                return wide ? "exit" : unknown(insn);
            default:
                String right = insn.usesSrcReg() ? reg(insn.srcField(), wide) : "0x" + Integer.toHexString(insn.imm());
                return "if " + reg(insn.dstField(), wide) + " " + op.symbol() + " " + right + " goto " + offset(insn);
        }
    }

    private static String offset(Insn insn) {
        String off = String.format("%+d", insn.off());
        return insn.target() == null ? off : off + " <" + insn.target() + ">";
    }

    private static String memory(Size size, int base, int off) {
        return String.format("*(%s *)(%s %+d)", size.cType(), reg(base, true), off);
    }

    private static String reg(int number, boolean wide) {
        return (wide ? "r" : "w") + number;
    }

    private static String unknown(Insn insn) {
        return String.format(
                ".insn code=0x%02x dst=%d src=%d off=%d imm=%d",
                insn.code(), insn.dstField(), insn.srcField(), insn.off(), insn.imm());
    }
}
