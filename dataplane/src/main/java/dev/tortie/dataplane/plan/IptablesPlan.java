package dev.tortie.dataplane.plan;

import java.util.List;

/**
 * The filter-table delta: one {@code iptables-restore --noflush} transaction (null when nothing differs) and what it
 * changes, for reports.
 */
public record IptablesPlan(
        String restoreText,
        List<String> created,
        List<String> rewritten,
        List<String> deleted,
        List<String> hookChanges) {
    public IptablesPlan {
        created = List.copyOf(created);
        rewritten = List.copyOf(rewritten);
        deleted = List.copyOf(deleted);
        hookChanges = List.copyOf(hookChanges);
    }

    public boolean isEmpty() {
        return restoreText == null;
    }

    /** One line per changed object. */
    public List<String> changes() {
        List<String> out = new java.util.ArrayList<>();
        created.forEach(c -> out.add("chain " + c + " created"));
        rewritten.forEach(c -> out.add("chain " + c + " rewritten"));
        deleted.forEach(c -> out.add("chain " + c + " deleted"));
        out.addAll(hookChanges);
        return out;
    }
}
