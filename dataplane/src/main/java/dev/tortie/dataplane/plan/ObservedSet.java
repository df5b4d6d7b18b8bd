package dev.tortie.dataplane.plan;

import dev.tortie.dataplane.render.ipset.KernelSet;
import java.util.List;

/**
 * An IP set as {@code ipset save} printed it.
 *
 * @param family {@code inet} or {@code inet6}
 */
public record ObservedSet(String name, String type, String family, int maxElements, List<String> members) {
    public ObservedSet {
        members = KernelSet.canonicalMembers(type, members);
    }

    /** As a kernel set value (for rollbacks: the state to go back to). */
    public KernelSet toKernelSet() {
        return new KernelSet(name, type, maxElements, members, "as observed");
    }

    /** Whether this set could become {@code desired} by adding and deleting members. */
    public boolean sameShape(KernelSet desired) {
        return type.equals(desired.type()) && family.equals("inet") && maxElements == desired.maxElements();
    }
}
