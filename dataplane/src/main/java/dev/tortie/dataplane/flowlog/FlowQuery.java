package dev.tortie.dataplane.flowlog;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.net.Cidr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which aggregated flows to return. Every filter is optional; set ones must all match. Build with {@link #builder()};
 * {@link #all()} returns everything, merged over the window.
 *
 * @param verdict only allowed or only denied flows
 * @param direction only decisions of ingress or of egress policy
 * @param from source address within this CIDR (an address is a /32)
 * @param to destination address within this CIDR
 * @param protocol IP protocol number
 * @param dstPort destination port
 * @param ruleIdPrefix rule ids starting with this text, e.g. {@code knp/app-b/} or {@code tier/security/}
 * @param policy rule ids of this policy (or tier, profile, endpoint): {@link FlowRecord#policyOf} equals it
 * @param since only flows seen at or after this instant (their last event)
 * @param perBucket one record per interval instead of one per flow over the whole window
 * @param limit at most this many records, the most recently seen first (0: no limit)
 */
public record FlowQuery(
        FlowVerdict verdict,
        Direction direction,
        Cidr from,
        Cidr to,
        Integer protocol,
        Integer dstPort,
        String ruleIdPrefix,
        String policy,
        Instant since,
        boolean perBucket,
        int limit) {
    public FlowQuery {
        if (from != null && from.isV6() || to != null && to.isV6()) {
            throw new IllegalArgumentException("flow logs are IPv4 only: " + (from != null ? from : to));
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " must not be negative");
        }
    }

    public static FlowQuery all() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.verdict = verdict;
        b.direction = direction;
        b.from = from;
        b.to = to;
        b.protocol = protocol;
        b.dstPort = dstPort;
        b.ruleIdPrefix = ruleIdPrefix;
        b.policy = policy;
        b.since = since;
        b.perBucket = perBucket;
        b.limit = limit;
        return b;
    }

    /** Whether a flow with these fields passes every filter except {@link #since}. */
    boolean matches(int srcIp, int dstIp, int dport, int proto, String ruleId, FlowVerdict v, Direction d) {
        if (verdict != null && verdict != v) {
            return false;
        }
        if (direction != null && direction != d) {
            return false;
        }
        if (protocol != null && protocol != proto) {
            return false;
        }
        if (dstPort != null && dstPort != dport) {
            return false;
        }
        if (from != null && !within(from, srcIp)) {
            return false;
        }
        if (to != null && !within(to, dstIp)) {
            return false;
        }
        if (ruleIdPrefix != null && !ruleId.startsWith(ruleIdPrefix)) {
            return false;
        }
        return policy == null || FlowRecord.policyOf(ruleId).equals(policy);
    }

    private static boolean within(Cidr cidr, int ip) {
        int len = cidr.prefixLength();
        int mask = len == 0 ? 0 : -1 << (32 - len);
        return (ip & mask) == (cidr.network().v4Bits() & mask);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (verdict != null) {
            parts.add(verdict.lowerName());
        }
        if (direction != null) {
            parts.add(direction.lowerName());
        }
        if (from != null) {
            parts.add("from " + from);
        }
        if (to != null) {
            parts.add("to " + to);
        }
        if (protocol != null) {
            parts.add("protocol " + FlowEvent.protocolName(protocol));
        }
        if (dstPort != null) {
            parts.add("port " + dstPort);
        }
        if (ruleIdPrefix != null) {
            parts.add("rule " + ruleIdPrefix + "*");
        }
        if (policy != null) {
            parts.add("policy " + policy);
        }
        if (since != null) {
            parts.add("since " + since);
        }
        if (perBucket) {
            parts.add("per bucket");
        }
        if (limit > 0) {
            parts.add("limit " + limit);
        }
        return parts.isEmpty() ? "all flows" : String.join(", ", parts);
    }

    public static final class Builder {
        private FlowVerdict verdict;
        private Direction direction;
        private Cidr from;
        private Cidr to;
        private Integer protocol;
        private Integer dstPort;
        private String ruleIdPrefix;
        private String policy;
        private Instant since;
        private boolean perBucket;
        private int limit;

        private Builder() {}

        public Builder verdict(FlowVerdict value) {
            verdict = value;
            return this;
        }

        public Builder denied() {
            return verdict(FlowVerdict.DENY);
        }

        public Builder allowed() {
            return verdict(FlowVerdict.ALLOW);
        }

        public Builder direction(Direction value) {
            direction = value;
            return this;
        }

        public Builder from(Cidr value) {
            from = value;
            return this;
        }

        public Builder to(Cidr value) {
            to = value;
            return this;
        }

        public Builder protocol(Integer value) {
            protocol = value;
            return this;
        }

        public Builder dstPort(Integer value) {
            dstPort = value;
            return this;
        }

        public Builder ruleIdPrefix(String value) {
            ruleIdPrefix = value;
            return this;
        }

        public Builder policy(String value) {
            policy = value;
            return this;
        }

        public Builder since(Instant value) {
            since = value;
            return this;
        }

        public Builder perBucket(boolean value) {
            perBucket = value;
            return this;
        }

        public Builder limit(int value) {
            limit = value;
            return this;
        }

        public FlowQuery build() {
            return new FlowQuery(
                    verdict, direction, from, to, protocol, dstPort, ruleIdPrefix, policy, since, perBucket, limit);
        }
    }
}
