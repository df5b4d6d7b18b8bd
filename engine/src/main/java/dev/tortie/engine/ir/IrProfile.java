package dev.tortie.engine.ir;

import java.util.List;

/**
 * A profile applied after the tiers when no tier decided (or all passed): {@code kns.<namespace>} allows everything
 * (Kubernetes' "unselected pods accept all"), {@code ksa.<ns>.<sa>} carries labels only.
 */
public record IrProfile(String name, List<IrRule> rules) {
    public IrProfile {
        rules = List.copyOf(rules);
    }
}
