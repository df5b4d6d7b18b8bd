package dev.tortie.engine.selector;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A lower bound on one label that every match of a selector must satisfy (Calico's {@code LabelRestriction}); label
 * indexes use it to avoid evaluating every selector against every endpoint.
 *
 * @param mustBePresent the label must be present, e.g. {@code has(a)}, {@code a == "x"}
 * @param mustBeAbsent the label must be absent, e.g. {@code !has(a)}
 * @param mustHaveOneOfValues null when the value is unrestricted; otherwise the label's value must be one of these
 *     (an empty set means the selector can never match)
 */
public record LabelRestriction(boolean mustBePresent, boolean mustBeAbsent, Set<String> mustHaveOneOfValues) {
    public LabelRestriction {
        if (mustHaveOneOfValues != null) {
            // Sorted for stable printing; equality stays set equality.
            mustHaveOneOfValues = Collections.unmodifiableSet(
                    new LinkedHashSet<>(ValueSet.sortedDistinct(mustHaveOneOfValues.toArray(String[]::new))));
        }
    }

    /** False when no label map can satisfy this restriction (present and absent, or an empty value set). */
    public boolean possibleToSatisfy() {
        if (mustBePresent && mustBeAbsent) {
            return false;
        }
        return mustHaveOneOfValues == null || !mustHaveOneOfValues.isEmpty();
    }
}
