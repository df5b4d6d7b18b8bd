package dev.tortie.dataplane.bpf.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class InsnProperties {
    @Property
    void encodeThenDecodeIsIdentity(@ForAll("instructions") List<Insn> insns) {
        Program p = Program.of("p", insns, java.util.Map.of());
        byte[] code = p.encode();
        assertThat(Insn.decode(code)).containsExactlyElementsOf(insns);
        assertThat(Program.decode("p", code).encode()).isEqualTo(code);
    }

    @Property
    void everyInstructionDisassembles(@ForAll("instructions") List<Insn> insns) {
        String listing = Disassembler.disassemble(insns);
        assertThat(listing.lines()).hasSize(insns.size()).noneMatch(line -> line.contains(".insn"));
    }

    @Provide
    Arbitrary<List<Insn>> instructions() {
        Arbitrary<Reg> reg = Arbitraries.of(Reg.class);
        Arbitrary<Integer> imm = Arbitraries.integers();
        Arbitrary<Integer> off = Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE);
        Arbitrary<AluOp> binaryAlu = Arbitraries.of(AluOp.class).filter(op -> op != AluOp.NEG && op != AluOp.END);
        Arbitrary<JmpOp> cond = Arbitraries.of(JmpOp.class).filter(JmpOp::isConditional);
        Arbitrary<Size> size = Arbitraries.of(Size.class);
        Arbitrary<Insn> one = Arbitraries.oneOf(
                Combinators.combine(binaryAlu, reg, imm).as(Insn::alu64),
                Combinators.combine(binaryAlu, reg, reg).as(Insn::alu64),
                Combinators.combine(binaryAlu, reg, imm).as(Insn::alu32),
                Combinators.combine(binaryAlu, reg, reg).as(Insn::alu32),
                reg.map(Insn::neg64),
                Combinators.combine(reg, Arbitraries.of(16, 32, 64)).as(Insn::toBigEndian),
                Combinators.combine(size, reg, reg, off).as(Insn::ldx),
                Combinators.combine(size, reg, off, reg).as(Insn::stx),
                Combinators.combine(size, reg, off, imm).as(Insn::st),
                Combinators.combine(reg, Arbitraries.longs()).as(Insn::ldImm64),
                Combinators.combine(reg, Arbitraries.integers().between(0, 1 << 20))
                        .as(Insn::ldMapFd),
                Combinators.combine(cond, reg, imm, off).as(Insn::jmp),
                Combinators.combine(cond, reg, reg, off).as(Insn::jmp),
                Combinators.combine(cond, reg, imm, off).as(Insn::jmp32),
                Combinators.combine(cond, reg, reg, off).as(Insn::jmp32),
                off.map(Insn::ja),
                Arbitraries.of(Helper.class).map(Insn::call),
                Arbitraries.just(Insn.exit()));
        return one.list().ofMinSize(1).ofMaxSize(40);
    }
}
