package dev.tortie.dataplane.plan;

import java.util.List;
import java.util.Set;

/**
 * The IP set delta in two {@code ipset restore} texts: {@code before} runs before the iptables transaction (creates,
 * member adds and deletes, rebuild-and-swap, recreation of sets whose type changed), {@code after} after it (destroys
 * sets no rule references any more). Either is empty when there is nothing to do.
 *
 * @param recreated sets that must be destroyed and created again because their type (or family) differs; chains
 *     matching on them must stop doing so first
 */
public record IpsetPlan(String before, String after, List<String> changes, Set<String> recreated) {
    public IpsetPlan {
        changes = List.copyOf(changes);
        recreated = Set.copyOf(recreated);
    }

    public boolean isEmpty() {
        return before.isEmpty() && after.isEmpty();
    }
}
