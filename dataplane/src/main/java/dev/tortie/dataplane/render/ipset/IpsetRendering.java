package dev.tortie.dataplane.render.ipset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every IP set a ruleset needs, sorted by name: what {@code render ipset} prints and what the driver programs. */
public final class IpsetRendering {
    private final List<KernelSet> sets;
    private final Map<String, KernelSet> byName;

    public IpsetRendering(List<KernelSet> sets) {
        List<KernelSet> sorted = new ArrayList<>(sets);
        sorted.sort(Comparator.comparing(KernelSet::name));
        Map<String, KernelSet> map = new LinkedHashMap<>();
        for (KernelSet s : sorted) {
            KernelSet previous = map.put(s.name(), s);
            if (previous != null && !previous.equals(s)) {
                throw new IllegalArgumentException("two different sets named " + s.name());
            }
        }
        this.byName = Collections.unmodifiableMap(map);
        this.sets = List.copyOf(map.values());
    }

    public List<KernelSet> sets() {
        return sets;
    }

    public Map<String, KernelSet> byName() {
        return byName;
    }

    public int memberCount() {
        int n = 0;
        for (KernelSet s : sets) {
            n += s.members().size();
        }
        return n;
    }

    /** {@code ipset restore} input that creates every set from scratch (what an empty node would get). */
    public String toRestoreText() {
        StringBuilder sb = new StringBuilder();
        for (KernelSet s : sets) {
            sb.append(s.createLine(s.name())).append('\n');
            for (String m : s.members()) {
                sb.append("add ").append(s.name()).append(' ').append(m).append('\n');
            }
        }
        return sb.toString();
    }

    /** For humans: one block per set with what it stands for and its members. */
    public String toListing() {
        StringBuilder sb = new StringBuilder();
        sb.append("# tortie IP sets: ")
                .append(sets.size())
                .append(" sets, ")
                .append(memberCount())
                .append(" members\n");
        for (KernelSet s : sets) {
            sb.append(s.name())
                    .append("  ")
                    .append(s.type())
                    .append("  ")
                    .append(s.members().size())
                    .append(s.members().size() == 1 ? " member" : " members");
            if (!s.description().isEmpty()) {
                sb.append("  # ").append(s.description());
            }
            sb.append('\n');
            for (String m : s.members()) {
                sb.append("    ").append(m).append('\n');
            }
        }
        return sb.toString();
    }
}
