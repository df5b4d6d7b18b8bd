package dev.tortie.dataplane.bpf.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An assembled program: instructions with resolved jump offsets, the labels that named jump targets, and the names of
 * the maps it references (resolved to fds only when it is encoded for loading). Immutable.
 */
public final class Program {
    private final String name;
    private final List<Insn> insns;
    private final Map<String, Integer> labels;
    private final Map<Integer, List<String>> labelsByIndex;
    private final int[] slotOf;

    private Program(String name, List<Insn> insns, Map<String, Integer> labels) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.insns = List.copyOf(insns);
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        Map<Integer, List<String>> byIndex = new TreeMap<>();
        labels.forEach((label, index) ->
                byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(label));
        byIndex.replaceAll((i, names) -> List.copyOf(names));
        this.labelsByIndex = Collections.unmodifiableMap(byIndex);
        this.slotOf = new int[this.insns.size() + 1];
        for (int i = 0; i < this.insns.size(); i++) {
            slotOf[i + 1] = slotOf[i] + this.insns.get(i).slots();
        }
    }

    /** A program from already-resolved instructions (e.g. decoded ones); labels map names to instruction indexes. */
    public static Program of(String name, List<Insn> insns, Map<String, Integer> labels) {
        for (Map.Entry<String, Integer> e : labels.entrySet()) {
            if (e.getValue() < 0 || e.getValue() >= insns.size()) {
                throw new IllegalArgumentException("label '" + e.getKey() + "' points outside the program");
            }
        }
        return new Program(name, insns, labels);
    }

    /** Decodes kernel-format bytes into a program without labels or comments. */
    public static Program decode(String name, byte[] bytes) {
        return new Program(name, Insn.decode(bytes), Map.of());
    }

    public String name() {
        return name;
    }

    public List<Insn> insns() {
        return insns;
    }

    /** Label name to instruction index, in definition order. */
    public Map<String, Integer> labels() {
        return labels;
    }

    /** The labels placed at instruction {@code index} (empty if none). */
    public List<String> labelsAt(int index) {
        return labelsByIndex.getOrDefault(index, List.of());
    }

    /** Number of 8-byte slots, which is what the kernel counts ({@code insn_cnt}) and jump offsets are measured in. */
    public int slotCount() {
        return slotOf[insns.size()];
    }

    /** The slot (kernel pc) of instruction {@code index}. */
    public int slotOf(int index) {
        return slotOf[index];
    }

    /** Names of the maps referenced by {@link Insn#ldMap}, in first-use order. */
    public Set<String> mapNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Insn insn : insns) {
            if (insn.mapName() != null) {
                names.add(insn.mapName());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * The same program with every symbolic map load given its fd; {@code mapFd} returns null for unknown names, which
     * is an error.
     */
    public Program withMapFds(Function<String, Integer> mapFd) {
        List<Insn> resolved = new ArrayList<>(insns.size());
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (insn.mapName() != null) {
                Integer fd = mapFd.apply(insn.mapName());
                if (fd == null) {
                    throw new AssemblyException("program " + name + ": no fd for map '" + insn.mapName()
                            + "' referenced at insn " + i + " (pc " + slotOf[i] + ")");
                }
                insn = insn.withMapFd(fd);
            }
            resolved.add(insn);
        }
        return new Program(name, resolved, labels);
    }

    /** Kernel-format bytes with map fds filled in by {@code mapFd}. */
    public byte[] encode(Function<String, Integer> mapFd) {
        return withMapFds(mapFd).encodeAsIs();
    }

    /** Kernel-format bytes; the program must not reference maps by name. */
    public byte[] encode() {
        return encode(name -> null);
    }

    private byte[] encodeAsIs() {
        ByteBuffer buf = ByteBuffer.allocate(slotCount() * Insn.SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn insn : insns) {
            insn.encodeTo(buf);
        }
        return buf.array();
    }

    /** The listing, see {@link Disassembler}. */
    public String disassemble() {
        return Disassembler.disassemble(this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Program)) {
            return false;
        }
        Program other = (Program) o;
        return name.equals(other.name) && insns.equals(other.insns) && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, insns, labels);
    }

    @Override
    public String toString() {
        return "Program{" + name + ", " + insns.size() + " insns, " + slotCount() + " slots}";
    }
}
