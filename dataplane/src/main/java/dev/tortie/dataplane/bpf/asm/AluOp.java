package dev.tortie.dataplane.bpf.asm;

/** ALU operations ({@code BPF_OP} bits, mask 0xf0, of the ALU and ALU64 classes). */
public enum AluOp {
    ADD(0x00, "+="),
    SUB(0x10, "-="),
    MUL(0x20, "*="),
    DIV(0x30, "/="),
    OR(0x40, "|="),
    AND(0x50, "&="),
    LSH(0x60, "<<="),
    RSH(0x70, ">>="),
    /** {@code dst = -dst}; takes no operand. */
    NEG(0x80, "neg"),
    MOD(0x90, "%="),
    XOR(0xa0, "^="),
    MOV(0xb0, "="),
    /** Arithmetic (sign-extending) shift right. */
    ARSH(0xc0, "s>>="),
    /** Byte swap; the source bit selects to-big-endian, the immediate the width (16, 32, 64). */
    END(0xd0, "end");

    private final int bits;
    private final String symbol;

    AluOp(int bits, String symbol) {
        this.bits = bits;
        this.symbol = symbol;
    }

    public int bits() {
        return bits;
    }

    /** The operator as bpftool prints it ({@code +=}, {@code s>>=}, ...). */
    public String symbol() {
        return symbol;
    }

    static AluOp ofBits(int opcode) {
        int b = opcode & 0xf0;
        for (AluOp op : values()) {
            if (op.bits == b) {
                return op;
            }
        }
        return null;
    }
}
