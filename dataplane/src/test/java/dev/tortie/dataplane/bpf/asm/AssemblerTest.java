package dev.tortie.dataplane.bpf.asm;

import static dev.tortie.dataplane.bpf.asm.Reg.R0;
import static dev.tortie.dataplane.bpf.asm.Reg.R1;
import static dev.tortie.dataplane.bpf.asm.Reg.R2;
import static dev.tortie.dataplane.bpf.asm.Reg.R6;
import static dev.tortie.dataplane.bpf.asm.Reg.R7;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssemblerTest {
    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    @Test
    void encodesTheKernelFormat() {
        // Expected bytes as llvm-objdump -d shows them for the same instructions.
        assertThat(hex(Insn.alu64(AluOp.MOV, R6, R1).encode())).isEqualTo("bf 16 00 00 00 00 00 00");
        assertThat(hex(Insn.ldx(Size.W, R7, R6, 76).encode())).isEqualTo("61 67 4c 00 00 00 00 00");
        assertThat(hex(Insn.alu64(AluOp.MOV, R0, 2).encode())).isEqualTo("b7 00 00 00 02 00 00 00");
        assertThat(hex(Insn.alu64(AluOp.ADD, R2, -24).encode())).isEqualTo("07 02 00 00 e8 ff ff ff");
        assertThat(hex(Insn.jmp(JmpOp.JNE, R2, 6, 12).encode())).isEqualTo("55 02 0c 00 06 00 00 00");
        assertThat(hex(Insn.jmp(JmpOp.JGT, R2, Reg.R8, -3).encode())).isEqualTo("2d 82 fd ff 00 00 00 00");
        assertThat(hex(Insn.stx(Size.H, Reg.R10, -8, R2).encode())).isEqualTo("6b 2a f8 ff 00 00 00 00");
        assertThat(hex(Insn.st(Size.W, Reg.R10, -24, 120).encode())).isEqualTo("62 0a e8 ff 78 00 00 00");
        assertThat(hex(Insn.toBigEndian(R2, 16).encode())).isEqualTo("dc 02 00 00 10 00 00 00");
        assertThat(hex(Insn.call(Helper.MAP_LOOKUP_ELEM).encode())).isEqualTo("85 00 00 00 01 00 00 00");
        assertThat(hex(Insn.exit().encode())).isEqualTo("95 00 00 00 00 00 00 00");
        assertThat(hex(Insn.ldImm64(R1, 0x1122334455667788L).encode()))
                .isEqualTo("18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11");
        assertThat(hex(Insn.ldMapFd(R1, 5).encode())).isEqualTo("18 11 00 00 05 00 00 00 00 00 00 00 00 00 00 00");
    }

    @Test
    void resolvesForwardAndBackwardJumpsInSlots() {
        Assembler a = new Assembler("jumps");
        a.label("top") // pc 0
                .mov64(R0, 0) // pc 0
                .jeq(R1, 1, "after_map") // pc 1 -> pc 5: +3
                .ldMap(R1, "m") // pc 2-3 (two slots)
                .ja("top") // pc 4 -> pc 0: -5
                .label("after_map")
                .exit(); // pc 5
        Program p = a.assemble();

        assertThat(p.slotCount()).isEqualTo(6);
        assertThat(p.insns()).hasSize(5);
        assertThat(p.insns().get(1).off()).isEqualTo(3);
        assertThat(p.insns().get(1).target()).isEqualTo("after_map");
        assertThat(p.insns().get(3).off()).isEqualTo(-5);
        assertThat(p.slotOf(4)).isEqualTo(5);
        assertThat(p.labels()).containsExactly(Map.entry("top", 0), Map.entry("after_map", 4));
        assertThat(p.labelsAt(4)).containsExactly("after_map");
    }

    @Test
    void jumpToTheNextInstructionIsOffsetZero() {
        Program p =
                new Assembler("zero").jeq(R1, 0, "next").label("next").exit().assemble();
        assertThat(p.insns().get(0).off()).isZero();
    }

    @Test
    void offsetAtTheLimitAssemblesOneBeyondFailsWithAClearError() {
        assertThat(farJump(Short.MAX_VALUE).insns().get(0).off()).isEqualTo(32767);

        assertThatThrownBy(() -> farJump(Short.MAX_VALUE + 1))
                .isInstanceOf(AssemblyException.class)
                .hasMessage("program far: jump at insn 0 (pc 0) to label 'far' (pc 32769) needs offset +32768,"
                        + " outside the signed 16-bit range [-32768, +32767]; split the program");
    }

    @Test
    void backwardOffsetOverflowIsReportedToo() {
        Assembler a = new Assembler("back").label("start");
        for (int i = 0; i < 32768; i++) {
            a.mov64(R0, i);
        }
        a.ja("start").exit();
        assertThatThrownBy(a::assemble)
                .isInstanceOf(AssemblyException.class)
                .hasMessageContaining("to label 'start' (pc 0) needs offset -32769");
    }

    /** A jump over {@code distance} filler slots. */
    private static Program farJump(int distance) {
        Assembler a = new Assembler("far").ja("far");
        for (int i = 0; i < distance; i++) {
            a.mov64(R0, 0);
        }
        return a.label("far").exit().assemble();
    }

    @Test
    void labelErrorsNameTheLabel() {
        assertThatThrownBy(() -> new Assembler("p").ja("nowhere").exit().assemble())
                .isInstanceOf(AssemblyException.class)
                .hasMessage("program p: insn 0 (goto +0) jumps to undefined label 'nowhere'");
        assertThatThrownBy(() -> new Assembler("p").label("x").exit().label("x"))
                .isInstanceOf(AssemblyException.class)
                .hasMessage("program p: label 'x' defined twice (at insn 0 and insn 1)");
        assertThatThrownBy(() -> new Assembler("p").exit().label("end").assemble())
                .isInstanceOf(AssemblyException.class)
                .hasMessageContaining("label 'end' is placed after the last instruction");
        assertThatThrownBy(() -> new Assembler("p").label("a b"))
                .isInstanceOf(AssemblyException.class)
                .hasMessage("program p: invalid label 'a b'");
        assertThatThrownBy(() -> new Assembler("p").exit().comment("dangling").assemble())
                .isInstanceOf(AssemblyException.class)
                .hasMessage("program p: comment 'dangling' is not followed by an instruction");
    }

    @Test
    void commentsAttachToTheNextInstruction() {
        Program p = new Assembler("c")
                .comment("rule knp/default/allow-a/ingress/0")
                .comment("second line")
                .mov64(R0, 1)
                .exit()
                .assemble();
        assertThat(p.insns().get(0).comments()).containsExactly("rule knp/default/allow-a/ingress/0", "second line");
        assertThat(p.insns().get(1).comments()).isEmpty();
    }

    @Test
    void mapsResolveByNameAtEncodeTime() {
        Program p = new Assembler("maps")
                .ldMap(R1, "ip_sets")
                .ldMap(R2, "counters")
                .ldMap(R1, "ip_sets")
                .ret(0)
                .assemble();
        assertThat(p.mapNames()).containsExactly("ip_sets", "counters");

        byte[] code = p.encode(Map.of("ip_sets", 7, "counters", 9)::get);
        List<Insn> decoded = Insn.decode(code);
        assertThat(decoded.get(0).imm()).isEqualTo(7);
        assertThat(decoded.get(0).srcField()).isEqualTo(Insn.PSEUDO_MAP_FD);
        assertThat(decoded.get(1).imm()).isEqualTo(9);

        assertThatThrownBy(() -> p.encode(Map.of("ip_sets", 7)::get))
                .isInstanceOf(AssemblyException.class)
                .hasMessage("program maps: no fd for map 'counters' referenced at insn 1 (pc 2)");
        assertThatThrownBy(p::encode).isInstanceOf(AssemblyException.class);
    }

    @Test
    void encodeDecodeRoundTripKeepsEverythingTheKernelSees() {
        Program zoo = Zoo.program();
        Program resolved = zoo.withMapFds(name -> 42);
        byte[] code = zoo.encode(name -> 42);

        assertThat(code).hasSize(zoo.slotCount() * Insn.SLOT_BYTES);
        List<Insn> decoded = Insn.decode(code);
        assertThat(decoded)
                .containsExactlyElementsOf(
                        resolved.insns().stream().map(Insn::bare).toList());
        assertThat(Program.decode("zoo", code).encode()).isEqualTo(code);
    }

    @Test
    void decodeRejectsTruncatedInput() {
        assertThatThrownBy(() -> Insn.decode(new byte[12]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a multiple of 8");
        byte[] half = java.util.Arrays.copyOf(Insn.ldImm64(R1, 1).encode(), 8);
        assertThatThrownBy(() -> Insn.decode(half))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LD_IMM64 at slot 0 lacks its second slot");
    }

    @Test
    void factoriesRejectNonsense() {
        assertThatThrownBy(() -> Insn.alu64(AluOp.NEG, R1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Insn.jmp(JmpOp.JA, R1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Insn.ldx(Size.W, R1, R2, 40000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Insn.toBigEndian(R1, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Insn.atomicAdd(Size.B, R1, 0, R2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reg.of(11)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void assemblingTwiceGivesEqualPrograms() {
        Assembler a =
                new Assembler("twice").jeq(R1, 0, "x").mov64(R0, 1).label("x").exit();
        assertThat(a.assemble()).isEqualTo(a.assemble());
    }
}
