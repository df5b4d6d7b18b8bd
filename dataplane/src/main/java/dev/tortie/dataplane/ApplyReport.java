package dev.tortie.dataplane;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an apply, reconcile or remove changed in the kernel.
 *
 * @param changes one line per changed kernel object, e.g. {@code chain tortie-tw-cali12ab rewritten (7 rules)}; empty
 *     for a no-op
 * @param warnings problems that did not stop the apply (e.g. a stale set still busy, to be retried)
 * @param elapsed wall time including read-back and planning
 */
public record ApplyReport(List<String> changes, List<String> warnings, Duration elapsed) {
    public ApplyReport {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(elapsed, "elapsed == null");
    }

    public static ApplyReport noChange(Duration elapsed) {
        return new ApplyReport(List.of(), List.of(), elapsed);
    }

    public int changeCount() {
        return changes.size();
    }

    public boolean changed() {
        return !changes.isEmpty();
    }
}
