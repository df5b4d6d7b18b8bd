package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.dataplane.bpf.asm.Program;
import dev.tortie.engine.model.Direction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One endpoint's compiled policy program for one direction.
 *
 * @param endpoint {@code namespace/name}
 * @param hook where it is attached on the endpoint's host-side interface
 * @param program the instructions; its name ({@code tti_<11 hex>} / {@code tte_<11 hex>}) is a hash of them, so
 *     equal names mean equal programs (how a restarted agent recognises what is attached)
 * @param ruleIds every id the program can record or count, numeric (the counter key) to text, in program order
 */
public record PolicyProgram(
        String endpoint, Direction direction, Hook hook, Program program, Map<Long, String> ruleIds) {
    public PolicyProgram {
        Objects.requireNonNull(endpoint, "endpoint == null");
        Objects.requireNonNull(direction, "direction == null");
        Objects.requireNonNull(hook, "hook == null");
        Objects.requireNonNull(program, "program == null");
        ruleIds = Collections.unmodifiableMap(new LinkedHashMap<>(ruleIds));
    }

    /** The kernel-visible program name. */
    public String name() {
        return program.name();
    }

    /** The text id recorded for a numeric one, or null if this program never records it. */
    public String ruleId(long numericId) {
        return ruleIds.get(numericId);
    }

    /** The listing {@code render bpf ENDPOINT} prints: a header, then the disassembly with rule ids as comments. */
    public String listing() {
        StringBuilder out = new StringBuilder();
        out.append("; endpoint ")
                .append(endpoint)
                .append(' ')
                .append(direction.lowerName())
                .append(" policy, attached at tc ")
                .append(hook.tcName())
                .append(" of its host-side interface\n");
        out.append(program.disassemble());
        return out.toString();
    }
}
