package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.dataplane.bpf.asm.Assembler;
import dev.tortie.dataplane.bpf.asm.Insn;
import dev.tortie.dataplane.bpf.asm.JmpOp;
import dev.tortie.dataplane.bpf.asm.Program;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Leaves out instructions no path reaches (the verifier rejects a program with any): the rest of a tier after an
 * unconditional rule, everything after a tier that always decides, trampolines nobody needed. Comments of what was left
 * out move to the next instruction kept, so the listing still says why.
 */
final class Reachability {
    private Reachability() {}

    static Program strip(Program program) {
        List<Insn> insns = program.insns();
        int n = insns.size();
        int[] indexOfSlot = new int[program.slotCount() + 1];
        java.util.Arrays.fill(indexOfSlot, -1);
        for (int i = 0; i < n; i++) {
            indexOfSlot[program.slotOf(i)] = i;
        }
        boolean[] reached = new boolean[n];
        Deque<Integer> work = new ArrayDeque<>();
        work.push(0);
        while (!work.isEmpty()) {
            int i = work.pop();
            if (i < 0 || i >= n || reached[i]) {
                continue;
            }
            reached[i] = true;
            Insn insn = insns.get(i);
            JmpOp op = insn.jmpOp();
            if (op == JmpOp.EXIT) {
                continue;
            }
            if (insn.isJump()) {
                int target = indexOfSlot[program.slotOf(i) + 1 + insn.off()];
                work.push(target);
                if (op == JmpOp.JA) {
                    continue;
                }
            }
            work.push(i + 1);
        }
        boolean all = true;
        for (boolean r : reached) {
            all &= r;
        }
        if (all) {
            return program;
        }
        Assembler a = new Assembler(program.name());
        List<String> carried = new ArrayList<>();
        int leftOut = 0;
        for (int i = 0; i < n; i++) {
            Insn insn = insns.get(i);
            if (!reached[i]) {
                leftOut++;
                for (String c : insn.comments()) {
                    carried.add("(unreachable, left out) " + c);
                }
                continue;
            }
            for (String label : program.labelsAt(i)) {
                a.label(label);
            }
            if (leftOut > 0) {
                for (String c : carried) {
                    a.comment(c);
                }
                a.comment("(" + leftOut + " unreachable instructions left out)");
                carried.clear();
                leftOut = 0;
            }
            a.insn(insn);
        }
        return a.assemble();
    }
}
