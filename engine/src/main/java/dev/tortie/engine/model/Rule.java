package dev.tortie.engine.model;

import java.util.Map;

/**
 * A Calico v3 rule. Every field present must match. For a Kubernetes NetworkPolicy, {@code origin} says which
 * ingress/egress rule and peer it came from (e.g. "ingress[0].from[1]"), so traces can point back at the manifest.
 */
public record Rule(
        Action action,
        Integer ipVersion,
        Protocol protocol,
        Protocol notProtocol,
        IcmpMatch icmp,
        IcmpMatch notIcmp,
        EntityRule source,
        EntityRule destination,
        Map<String, String> annotations,
        String origin) {

    public Rule {
        java.util.Objects.requireNonNull(action, "action == null");
        source = source == null ? EntityRule.ANY : source;
        destination = destination == null ? EntityRule.ANY : destination;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Rule allowAll() {
        return new Rule(Action.ALLOW, null, null, null, null, null, EntityRule.ANY, EntityRule.ANY, Map.of(), null);
    }
}
