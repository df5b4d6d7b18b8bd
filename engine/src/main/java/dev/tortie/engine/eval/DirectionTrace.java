package dev.tortie.engine.eval;

import dev.tortie.engine.model.Direction;
import java.util.List;

/** One endpoint's evaluation of a packet in one direction. */
public record DirectionTrace(
        String endpoint,
        Direction direction,
        boolean isolated,
        List<TierStep> tiers,
        List<RuleStep> logged,
        Decision decision) {
    public DirectionTrace {
        tiers = List.copyOf(tiers);
        logged = List.copyOf(logged);
    }

    public Verdict verdict() {
        return decision.verdict();
    }
}
