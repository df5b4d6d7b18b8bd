package dev.tortie.shell.repl;

import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** TAB completion: JLine's side of {@link Completions}. Never throws: a failing lookup just offers nothing. */
final class ReplCompleter implements Completer {
    private final Completions completions;
    private final Supplier<ClusterNames> names;
    private final Supplier<String> namespace;

    ReplCompleter(Completions completions, Supplier<ClusterNames> names, Supplier<String> namespace) {
        this.completions = completions;
        this.names = names;
        this.namespace = namespace;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        try {
            List<String> before = line.words().subList(0, line.wordIndex());
            String partial = line.word()
                    .substring(0, Math.min(line.wordCursor(), line.word().length()));
            for (Completions.Suggestion s : completions.suggest(names.get(), namespace.get(), before, partial, false)) {
                candidates.add(new Candidate(
                        s.value(),
                        s.display(),
                        s.group(),
                        s.help().isEmpty() ? null : s.help(),
                        null,
                        null,
                        s.complete()));
            }
        } catch (RuntimeException e) {
            // completion is a convenience: a lookup that fails offers nothing rather than breaking the line
        }
    }
}
