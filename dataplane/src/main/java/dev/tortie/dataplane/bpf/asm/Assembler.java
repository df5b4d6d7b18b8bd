package dev.tortie.dataplane.bpf.asm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Program}: append instructions, place labels, jump to labels by name (forward or backward), load maps
 * by name, and attach comments that survive into the listing. {@link #assemble()} resolves every jump to a slot
 * offset and fails with an {@link AssemblyException} naming the jump and the label when a label is unknown,
 * duplicated, dangling, or further away than a signed 16-bit offset can reach.
 *
 * <pre>{@code
 * Assembler a = new Assembler("demo");
 * a.comment("rule knp/app/allow/ingress/0").ldx(Size.B, R2, R7, 23).jne(R2, 6, "next_rule");
 * ...
 * a.label("next_rule").mov64(R0, 0).exit();
 * Program p = a.assemble();
 * }</pre>
 *
 * Not thread-safe; one builder per program.
 */
public final class Assembler {
    private final String name;
    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new LinkedHashMap<>();
    private final List<String> pendingComments = new ArrayList<>();

    public Assembler(String name) {
        this.name = Objects.requireNonNull(name, "name == null");
    }

    public String name() {
        return name;
    }

    /** Number of instructions appended so far (the index the next one will get). */
    public int size() {
        return insns.size();
    }

    /** Places {@code label} at the next instruction appended. */
    public Assembler label(String label) {
        Objects.requireNonNull(label, "label == null");
        if (label.isEmpty() || label.chars().anyMatch(c -> Character.isWhitespace(c) || c == '<' || c == '>')) {
            throw new AssemblyException("program " + name + ": invalid label '" + label + "'");
        }
        Integer previous = labels.putIfAbsent(label, insns.size());
        if (previous != null) {
            throw new AssemblyException("program " + name + ": label '" + label + "' defined twice (at insn " + previous
                    + " and insn " + insns.size() + ")");
        }
        return this;
    }

    /** Whether {@code label} has been placed already. */
    public boolean hasLabel(String label) {
        return labels.containsKey(label);
    }

    /** Attaches {@code text} (e.g. a rule id) to the next instruction appended. */
    public Assembler comment(String text) {
        Objects.requireNonNull(text, "text == null");
        pendingComments.add(text.replace('\n', ' '));
        return this;
    }

    /** Appends any instruction; a jump with a {@link Insn#target()} is resolved at {@link #assemble()}. */
    public Assembler insn(Insn insn) {
        Objects.requireNonNull(insn, "insn == null");
        if (!pendingComments.isEmpty()) {
            List<String> all = new ArrayList<>(insn.comments());
            all.addAll(pendingComments);
            insn = insn.withComments(all);
            pendingComments.clear();
        }
        insns.add(insn);
        return this;
    }

    // ---- ALU

    public Assembler mov64(Reg dst, int imm) {
        return insn(Insn.alu64(AluOp.MOV, dst, imm));
    }

    public Assembler mov64(Reg dst, Reg src) {
        return insn(Insn.alu64(AluOp.MOV, dst, src));
    }

    public Assembler mov32(Reg dst, int imm) {
        return insn(Insn.alu32(AluOp.MOV, dst, imm));
    }

    public Assembler mov32(Reg dst, Reg src) {
        return insn(Insn.alu32(AluOp.MOV, dst, src));
    }

    public Assembler alu64(AluOp op, Reg dst, int imm) {
        return insn(Insn.alu64(op, dst, imm));
    }

    public Assembler alu64(AluOp op, Reg dst, Reg src) {
        return insn(Insn.alu64(op, dst, src));
    }

    public Assembler alu32(AluOp op, Reg dst, int imm) {
        return insn(Insn.alu32(op, dst, imm));
    }

    public Assembler alu32(AluOp op, Reg dst, Reg src) {
        return insn(Insn.alu32(op, dst, src));
    }

    public Assembler add64(Reg dst, int imm) {
        return alu64(AluOp.ADD, dst, imm);
    }

    public Assembler add64(Reg dst, Reg src) {
        return alu64(AluOp.ADD, dst, src);
    }

    public Assembler sub64(Reg dst, int imm) {
        return alu64(AluOp.SUB, dst, imm);
    }

    public Assembler sub64(Reg dst, Reg src) {
        return alu64(AluOp.SUB, dst, src);
    }

    public Assembler and64(Reg dst, int imm) {
        return alu64(AluOp.AND, dst, imm);
    }

    public Assembler and64(Reg dst, Reg src) {
        return alu64(AluOp.AND, dst, src);
    }

    public Assembler or64(Reg dst, int imm) {
        return alu64(AluOp.OR, dst, imm);
    }

    public Assembler or64(Reg dst, Reg src) {
        return alu64(AluOp.OR, dst, src);
    }

    public Assembler lsh64(Reg dst, int imm) {
        return alu64(AluOp.LSH, dst, imm);
    }

    public Assembler rsh64(Reg dst, int imm) {
        return alu64(AluOp.RSH, dst, imm);
    }

    public Assembler arsh64(Reg dst, int imm) {
        return alu64(AluOp.ARSH, dst, imm);
    }

    public Assembler neg64(Reg dst) {
        return insn(Insn.neg64(dst));
    }

    public Assembler neg32(Reg dst) {
        return insn(Insn.neg32(dst));
    }

    /** {@code dst = be16 dst}: network to host order (and back) of the low 16 bits. */
    public Assembler be16(Reg dst) {
        return insn(Insn.toBigEndian(dst, 16));
    }

    /** {@code dst = be32 dst}. */
    public Assembler be32(Reg dst) {
        return insn(Insn.toBigEndian(dst, 32));
    }

    // ---- memory

    /** {@code dst = *(size *)(src + off)}. */
    public Assembler ldx(Size size, Reg dst, Reg src, int off) {
        return insn(Insn.ldx(size, dst, src, off));
    }

    /** {@code *(size *)(dst + off) = src}. */
    public Assembler stx(Size size, Reg dst, int off, Reg src) {
        return insn(Insn.stx(size, dst, off, src));
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public Assembler st(Size size, Reg dst, int off, int imm) {
        return insn(Insn.st(size, dst, off, imm));
    }

    /** {@code lock *(size *)(dst + off) += src}. */
    public Assembler atomicAdd(Size size, Reg dst, int off, Reg src) {
        return insn(Insn.atomicAdd(size, dst, off, src));
    }

    /** {@code dst = imm64}. */
    public Assembler ldImm64(Reg dst, long imm) {
        return insn(Insn.ldImm64(dst, imm));
    }

    /** {@code dst = map[mapName]}, resolved to an fd when the program is loaded. */
    public Assembler ldMap(Reg dst, String mapName) {
        return insn(Insn.ldMap(dst, mapName));
    }

    // ---- control flow

    /** 64-bit {@code if dst op imm goto label}. */
    public Assembler jmp(JmpOp op, Reg dst, int imm, String label) {
        return insn(Insn.jmp(op, dst, imm, 0).withTarget(checkTarget(label)));
    }

    /** 64-bit {@code if dst op src goto label}. */
    public Assembler jmp(JmpOp op, Reg dst, Reg src, String label) {
        return insn(Insn.jmp(op, dst, src, 0).withTarget(checkTarget(label)));
    }

    /** 32-bit {@code if wdst op imm goto label}. */
    public Assembler jmp32(JmpOp op, Reg dst, int imm, String label) {
        return insn(Insn.jmp32(op, dst, imm, 0).withTarget(checkTarget(label)));
    }

    /** 32-bit {@code if wdst op wsrc goto label}. */
    public Assembler jmp32(JmpOp op, Reg dst, Reg src, String label) {
        return insn(Insn.jmp32(op, dst, src, 0).withTarget(checkTarget(label)));
    }

    public Assembler jeq(Reg dst, int imm, String label) {
        return jmp(JmpOp.JEQ, dst, imm, label);
    }

    public Assembler jeq(Reg dst, Reg src, String label) {
        return jmp(JmpOp.JEQ, dst, src, label);
    }

    public Assembler jne(Reg dst, int imm, String label) {
        return jmp(JmpOp.JNE, dst, imm, label);
    }

    public Assembler jne(Reg dst, Reg src, String label) {
        return jmp(JmpOp.JNE, dst, src, label);
    }

    /** Unsigned {@code >}. */
    public Assembler jgt(Reg dst, int imm, String label) {
        return jmp(JmpOp.JGT, dst, imm, label);
    }

    /** Unsigned {@code >}; with a packet pointer and data_end this is the verifier's bounds-check idiom. */
    public Assembler jgt(Reg dst, Reg src, String label) {
        return jmp(JmpOp.JGT, dst, src, label);
    }

    /** Unsigned {@code <}. */
    public Assembler jlt(Reg dst, int imm, String label) {
        return jmp(JmpOp.JLT, dst, imm, label);
    }

    /** Unsigned {@code >=}. */
    public Assembler jge(Reg dst, int imm, String label) {
        return jmp(JmpOp.JGE, dst, imm, label);
    }

    /** Unsigned {@code <=}. */
    public Assembler jle(Reg dst, int imm, String label) {
        return jmp(JmpOp.JLE, dst, imm, label);
    }

    /** {@code goto label}. */
    public Assembler ja(String label) {
        return insn(Insn.ja(0).withTarget(checkTarget(label)));
    }

    public Assembler call(Helper helper) {
        return insn(Insn.call(helper));
    }

    public Assembler call(int helperId) {
        return insn(Insn.call(helperId));
    }

    public Assembler exit() {
        return insn(Insn.exit());
    }

    /** {@code r0 = code; exit}. */
    public Assembler ret(int code) {
        return mov64(Reg.R0, code).exit();
    }

    private String checkTarget(String label) {
        return Objects.requireNonNull(label, "label == null");
    }

    // ---- assembly

    /**
     * Resolves all jumps and returns the program. The builder stays usable (assembling twice gives equal programs).
     */
    public Program assemble() {
        if (!pendingComments.isEmpty()) {
            throw new AssemblyException(
                    "program " + name + ": comment '" + pendingComments.get(0) + "' is not followed by an instruction");
        }
        for (Map.Entry<String, Integer> e : labels.entrySet()) {
            if (e.getValue() == insns.size()) {
                throw new AssemblyException("program " + name + ": label '" + e.getKey()
                        + "' is placed after the last instruction; a jump target must be an instruction");
            }
        }
        int[] slotOf = new int[insns.size() + 1];
        for (int i = 0; i < insns.size(); i++) {
            slotOf[i + 1] = slotOf[i] + insns.get(i).slots();
        }
        List<Insn> resolved = new ArrayList<>(insns.size());
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (insn.target() != null) {
                Integer targetIndex = labels.get(insn.target());
                if (targetIndex == null) {
                    throw new AssemblyException("program " + name + ": insn " + i + " (" + insn.bare()
                            + ") jumps to undefined label '" + insn.target() + "'");
                }
                long offset = (long) slotOf[targetIndex] - slotOf[i] - 1;
                if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
                    throw new AssemblyException(String.format(
                            "program %s: jump at insn %d (pc %d) to label '%s' (pc %d) needs offset %+d,"
                                    + " outside the signed 16-bit range [%d, %+d]; split the program",
                            name, i, slotOf[i], insn.target(), slotOf[targetIndex], offset, Short.MIN_VALUE, (int)
                                    Short.MAX_VALUE));
                }
                insn = insn.withOffset((int) offset);
            }
            resolved.add(insn);
        }
        return Program.of(name, resolved, labels);
    }
}
