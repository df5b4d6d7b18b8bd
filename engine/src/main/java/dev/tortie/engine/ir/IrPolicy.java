package dev.tortie.engine.ir;

import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PolicyId;
import java.util.List;

/** One policy's rules for one direction, in order. */
public record IrPolicy(PolicyId id, Direction direction, Double order, List<IrRule> rules) {
    public IrPolicy {
        rules = List.copyOf(rules);
    }
}
