package dev.tortie.dataplane.bpf.asm;

import static dev.tortie.dataplane.bpf.asm.Reg.R0;
import static dev.tortie.dataplane.bpf.asm.Reg.R1;
import static dev.tortie.dataplane.bpf.asm.Reg.R10;
import static dev.tortie.dataplane.bpf.asm.Reg.R2;
import static dev.tortie.dataplane.bpf.asm.Reg.R3;
import static dev.tortie.dataplane.bpf.asm.Reg.R6;
import static dev.tortie.dataplane.bpf.asm.Reg.R9;

/** One of every instruction form the assembler offers, for golden listings and round trips. */
final class Zoo {
    private Zoo() {}

    static Program program() {
        Assembler a = new Assembler("zoo");
        a.comment("ALU64 and ALU32, immediate and register");
        a.label("top");
        for (AluOp op : AluOp.values()) {
            if (op == AluOp.NEG || op == AluOp.END) {
                continue;
            }
            a.alu64(op, R1, 7).alu64(op, R1, R2).alu32(op, R3, -1).alu32(op, R3, R9);
        }
        a.comment("unary: neg and byte swaps")
                .neg64(R1)
                .neg32(R1)
                .be16(R2)
                .be32(R2)
                .insn(Insn.toBigEndian(R2, 64))
                .insn(Insn.toLittleEndian(R2, 16));
        a.comment("loads and stores of every width");
        for (Size size : Size.values()) {
            a.ldx(size, R1, R6, 76).stx(size, R10, -8, R1).st(size, R10, -16, -3);
        }
        a.atomicAdd(Size.DW, R0, 0, R1).atomicAdd(Size.W, R0, 8, R1);
        a.comment("64-bit immediates and a map")
                .ldImm64(R1, 0x1122334455667788L)
                .ldImm64(R2, -1)
                .ldMap(R1, "zoo_map");
        a.comment("conditional jumps, 64 and 32 bit, immediate and register");
        for (JmpOp op : JmpOp.values()) {
            if (!op.isConditional()) {
                continue;
            }
            a.jmp(op, R1, 6, "end")
                    .jmp(op, R1, R2, "end")
                    .jmp32(op, R1, -2, "top")
                    .jmp32(op, R1, R2, "top");
        }
        a.ja("top").call(Helper.MAP_LOOKUP_ELEM).call(Helper.TAIL_CALL).call(999);
        a.label("end").comment("r0 = 0").mov64(R0, 0).exit();
        return a.assemble();
    }
}
