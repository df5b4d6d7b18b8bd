package dev.tortie.engine.ir;

import dev.tortie.engine.model.Action;
import java.util.List;
import java.util.Objects;

/**
 * A compiled rule: all matches must hold, then the action applies (Log continues with the next rule).
 *
 * @param summary the rule in words, e.g. "allow TCP 80 from selector (...)"
 * @param origin where it came from in the manifest (e.g. "ingress[0].from[1]"), or null
 */
public record IrRule(RuleId id, Action action, List<Match> matches, String summary, String origin) {
    public IrRule {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(action, "action == null");
        matches = List.copyOf(matches);
    }
}
