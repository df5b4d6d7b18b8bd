package dev.tortie.engine.eval;

import dev.tortie.engine.model.Protocol;
import java.util.List;

/**
 * The verdict for one flow and why: the source's egress (null when the source is outside the cluster) and the
 * destination's ingress (null when the destination is outside). Allowed only when both evaluated sides allow.
 *
 * @param port destination port (0 for ICMP)
 */
public record FlowTrace(
        FlowEnd source,
        FlowEnd destination,
        Protocol protocol,
        int port,
        Verdict verdict,
        DirectionTrace egress,
        DirectionTrace ingress,
        List<String> notes) {
    public FlowTrace {
        notes = List.copyOf(notes);
    }

    /** The direction that denied (egress first, as the packet meets it first), or null when allowed. */
    public DirectionTrace denyingSide() {
        if (egress != null && egress.verdict() == Verdict.DENY) {
            return egress;
        }
        if (ingress != null && ingress.verdict() == Verdict.DENY) {
            return ingress;
        }
        return null;
    }
}
