package dev.tortie.dataplane.bpf.asm;

import static dev.tortie.dataplane.bpf.asm.Reg.R0;
import static dev.tortie.dataplane.bpf.asm.Reg.R1;
import static dev.tortie.dataplane.bpf.asm.Reg.R10;
import static dev.tortie.dataplane.bpf.asm.Reg.R2;
import static dev.tortie.dataplane.bpf.asm.Reg.R3;
import static dev.tortie.dataplane.bpf.asm.Reg.R6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.bpf.demo.SetLookupDemo;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisassemblerTest {
    @Test
    void printsInstructionsLikeBpftool() {
        assertThat(Insn.ldx(Size.W, R1, R6, 0)).hasToString("r1 = *(u32 *)(r6 +0)");
        assertThat(Insn.ldx(Size.B, R3, R6, -4)).hasToString("r3 = *(u8 *)(r6 -4)");
        assertThat(Insn.stx(Size.DW, R10, -8, R1)).hasToString("*(u64 *)(r10 -8) = r1");
        assertThat(Insn.st(Size.H, R10, -6, 80)).hasToString("*(u16 *)(r10 -6) = 80");
        assertThat(Insn.jmp(JmpOp.JNE, R2, 6, 12).withTarget("accept")).hasToString("if r2 != 0x6 goto +12 <accept>");
        assertThat(Insn.jmp(JmpOp.JNE, R2, 6, 12)).hasToString("if r2 != 0x6 goto +12");
        assertThat(Insn.jmp32(JmpOp.JSLT, R2, R3, -2)).hasToString("if w2 s< w3 goto -2");
        assertThat(Insn.jmp(JmpOp.JEQ, R2, -1, 1)).hasToString("if r2 == 0xffffffff goto +1");
        assertThat(Insn.ja(-7)).hasToString("goto -7");
        assertThat(Insn.alu64(AluOp.MOV, R6, R1)).hasToString("r6 = r1");
        assertThat(Insn.alu32(AluOp.MOV, R0, 2)).hasToString("w0 = 2");
        assertThat(Insn.alu64(AluOp.ADD, R2, -24)).hasToString("r2 += -24");
        assertThat(Insn.alu64(AluOp.ARSH, R2, 3)).hasToString("r2 s>>= 3");
        assertThat(Insn.alu32(AluOp.AND, R2, R3)).hasToString("w2 &= w3");
        assertThat(Insn.neg64(R1)).hasToString("r1 = -r1");
        assertThat(Insn.toBigEndian(R2, 16)).hasToString("r2 = be16 r2");
        assertThat(Insn.toLittleEndian(R2, 32)).hasToString("r2 = le32 r2");
        assertThat(Insn.ldImm64(R1, 0xdeadbeefL)).hasToString("r1 = 0xdeadbeef ll");
        assertThat(Insn.ldMap(R1, "ip_sets")).hasToString("r1 = map[ip_sets]");
        assertThat(Insn.ldMapFd(R1, 5)).hasToString("r1 = map[fd:5]");
        assertThat(Insn.call(Helper.MAP_LOOKUP_ELEM)).hasToString("call bpf_map_lookup_elem#1");
        assertThat(Insn.call(999)).hasToString("call #999");
        assertThat(Insn.atomicAdd(Size.DW, R0, 0, R1)).hasToString("lock *(u64 *)(r0 +0) += r1");
        assertThat(Insn.exit()).hasToString("exit");
        assertThat(Insn.raw(0xff, 1, 2, 3, 4)).hasToString(".insn code=0xff dst=1 src=2 off=3 imm=4");
    }

    @Test
    void listingShowsPcsLabelsAndComments() {
        Program p = new Assembler("tiny")
                .comment("look up the packet")
                .ldMap(R1, "ip_sets")
                .jne(R2, 6, "done")
                .mov64(R0, 2)
                .label("done")
                .comment("rule knp/default/deny/ingress/0")
                .exit()
                .assemble();
        assertThat(p.disassemble())
                .isEqualTo(String.join(
                        "\n",
                        "; program tiny: 4 insns, 5 slots; maps: ip_sets",
                        "; look up the packet",
                        "   0: (18) r1 = map[ip_sets]",
                        "   2: (55) if r2 != 0x6 goto +1 <done>",
                        "   3: (b7) r0 = 2",
                        "done:",
                        "; rule knp/default/deny/ingress/0",
                        "   4: (95) exit",
                        ""));
    }

    @Test
    void decodedProgramsListWithoutLabels() {
        Program p = new Assembler("d")
                .ldMap(R1, "m")
                .jeq(R1, 0, "x")
                .label("x")
                .exit()
                .assemble();
        List<Insn> decoded = Insn.decode(p.encode(Map.of("m", 3)::get));
        assertThat(Disassembler.disassemble(decoded))
                .isEqualTo("   0: (18) r1 = map[fd:3]\n   2: (15) if r1 == 0x0 goto +0\n   3: (95) exit\n");
    }

    @Test
    void goldenZoo() throws Exception {
        Golden.assertListing("zoo", Zoo.program().disassemble());
    }

    @Test
    void goldenDemoProgram() throws Exception {
        Program demo = SetLookupDemo.program(Ipv4SetKey.setIdOf("s:demo-deny"));
        Golden.assertListing("demo-set-lookup", demo.disassemble());
    }

    @Test
    void goldenDemoAsDecodedFromKernelBytes() throws Exception {
        Program demo = SetLookupDemo.program(Ipv4SetKey.setIdOf("s:demo-deny"));
        byte[] code = demo.encode(Map.of(SetLookupDemo.IP_SETS_MAP, 3, SetLookupDemo.COUNTERS_MAP, 4)::get);
        Golden.assertListing("demo-set-lookup.decoded", Disassembler.disassemble(Insn.decode(code)));
    }
}
