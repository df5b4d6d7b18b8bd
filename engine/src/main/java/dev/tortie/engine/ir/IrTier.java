package dev.tortie.engine.ir;

import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import java.util.List;

/**
 * A tier as it applies to one endpoint and direction: only the policies that select the endpoint for that direction,
 * in order, and what happens when none of them decided ({@link Action#DENY} or {@link Action#PASS}).
 */
public record IrTier(String name, Direction direction, Action defaultAction, List<IrPolicy> policies) {
    public IrTier {
        policies = List.copyOf(policies);
    }

    /** Identity of the end-of-tier default, for attribution: {@code tier/default/ingress/end}. */
    public String endOfTierId() {
        return "tier/" + name + "/" + direction.lowerName() + "/end";
    }
}
