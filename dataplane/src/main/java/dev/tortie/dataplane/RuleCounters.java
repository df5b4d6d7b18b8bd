package dev.tortie.dataplane;

/** Kernel hit counters of one rule id. */
public record RuleCounters(long packets, long bytes) {
    public static final RuleCounters ZERO = new RuleCounters(0, 0);

    public RuleCounters plus(RuleCounters other) {
        return new RuleCounters(packets + other.packets, bytes + other.bytes);
    }
}
