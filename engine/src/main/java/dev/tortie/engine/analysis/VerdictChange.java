package dev.tortie.engine.analysis;

import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.Protocol;

/**
 * One flow whose verdict a change flips. {@code before}/{@code after} are null when the pod does not exist on that
 * side of the change.
 *
 * @param deciding the rule id that decides after the change (or before, when the pair disappears)
 */
public record VerdictChange(
        String from,
        String fromWorkload,
        String to,
        String toWorkload,
        int port,
        Protocol protocol,
        Verdict before,
        Verdict after,
        String deciding) {}
