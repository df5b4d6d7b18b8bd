package dev.tortie.engine.model;

import java.util.Objects;

/**
 * A Calico tier. Policies in a tier run in order; the tier's default action applies when none of its policies that
 * select an endpoint decided.
 */
public record Tier(String name, double order, Action defaultAction, ObjectSource source) implements Comparable<Tier> {
    /** Calico's defaulting gives an order-less tier the default tier's order. */
    public static final double DEFAULT_ORDER = 1_000_000.0;

    public static final Tier DEFAULT = new Tier(Policy.DEFAULT_TIER, DEFAULT_ORDER, Action.DENY, ObjectSource.UNKNOWN);

    public Tier {
        Objects.requireNonNull(name, "name == null");
        if (defaultAction != Action.DENY && defaultAction != Action.PASS) {
            throw new IllegalArgumentException("tier defaultAction must be Deny or Pass, not " + defaultAction);
        }
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    /** Ascending order, then name (felix/calc/policy_sorter.go TierLess). */
    @Override
    public int compareTo(Tier other) {
        int c = Double.compare(order, other.order);
        return c != 0 ? c : name.compareTo(other.name);
    }
}
