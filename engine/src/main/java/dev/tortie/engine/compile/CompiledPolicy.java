package dev.tortie.engine.compile;

import dev.tortie.engine.ir.IpSetDefinition;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.selector.Selector;
import java.util.Set;

/**
 * A policy compiled once, independent of endpoints: the selector Felix uses to apply it, its rules per direction
 * (null where the policy's types exclude that direction), and every IP set the rules reference.
 */
public record CompiledPolicy(
        Policy policy, Selector appliesTo, IrPolicy ingress, IrPolicy egress, Set<IpSetDefinition> ipSets) {
    public CompiledPolicy {
        ipSets = Set.copyOf(ipSets);
    }

    public IrPolicy rules(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }
}
