package dev.tortie.dataplane.bpf.asm;

/** Jump operations ({@code BPF_OP} bits, mask 0xf0, of the JMP and JMP32 classes). */
public enum JmpOp {
    JA(0x00, null),
    JEQ(0x10, "=="),
    JGT(0x20, ">"),
    JGE(0x30, ">="),
    JSET(0x40, "&"),
    JNE(0x50, "!="),
    JSGT(0x60, "s>"),
    JSGE(0x70, "s>="),
    CALL(0x80, null),
    EXIT(0x90, null),
    JLT(0xa0, "<"),
    JLE(0xb0, "<="),
    JSLT(0xc0, "s<"),
    JSLE(0xd0, "s<=");

    private final int bits;
    private final String symbol;

    JmpOp(int bits, String symbol) {
        this.bits = bits;
        this.symbol = symbol;
    }

    public int bits() {
        return bits;
    }

    /** The comparison as bpftool prints it, or null for JA, CALL and EXIT. */
    public String symbol() {
        return symbol;
    }

    /** Whether this is a two-operand conditional jump. */
    public boolean isConditional() {
        return symbol != null;
    }

    static JmpOp ofBits(int opcode) {
        int b = opcode & 0xf0;
        for (JmpOp op : values()) {
            if (op.bits == b) {
                return op;
            }
        }
        return null;
    }
}
