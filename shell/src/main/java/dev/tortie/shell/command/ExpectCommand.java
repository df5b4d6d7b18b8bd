package dev.tortie.shell.command;

import dev.tortie.engine.eval.Verdict;
import dev.tortie.shell.output.TraceFormatter;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code expect allow|deny SRC -> DST:PORT[/PROTO]}: an assertion on the trace's verdict, one {@code PASS}/{@code FAIL}
 * line with the reason. Runbooks stop at a failed expectation; in the REPL and {@code -c} it is a quick check.
 */
@Command(
        name = "expect",
        description = {
            "Check that a flow is allowed or denied: prints PASS or FAIL with the trace's reason.",
            "Every flow SRC and DST expand to must have the expected verdict. In a runbook a FAIL stops the run"
                    + " (unless --keep-going).",
            "Exit status: 0 passed, 1 failed, 3+ errors."
        },
        mixinStandardHelpOptions = true)
public final class ExpectCommand extends BaseCommand {
    /** Candidates for the first argument (completion and help). */
    public static final class Verdicts extends ArrayList<String> {
        public Verdicts() {
            super(List.of("allow", "deny"));
        }
    }

    @Parameters(
            index = "0",
            paramLabel = "allow|deny",
            completionCandidates = Verdicts.class,
            description = "The expected verdict.")
    String expected;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "SRC -> DST:PORT[/PROTO]",
            description = "The flow, as for trace, e.g. app-a -> app-b:80.")
    List<String> words;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Namespace for bare pod names (default: the current one).")
    String namespace;

    @Option(
            names = "--probe",
            description = "Also try the connection for real (needs a live cluster or the lab; not yet available).")
    boolean probe;

    public ExpectCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        Verdict want = parseVerdict(expected);
        FlowSpec spec = FlowSpec.parse(words);
        String ns = namespace != null ? namespace : session.namespace();
        List<Flows.Result> results = session.source().read(index -> {
            Targets.Target src = Targets.resolve(index, spec.source(), ns);
            Targets.Target dst = Targets.resolve(index, spec.destination(), ns);
            return Flows.trace(index, src, dst, spec, 8, 0);
        });
        String text = "expect " + want.lowerName() + " " + String.join(" ", words);
        Outcome outcome = judge(want, results);
        String probeNote = probe ? "unavailable in this source (probing lands with the lab)" : null;
        if (format().structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("expectation", text);
            tree.put("expected", want.lowerName());
            tree.put("verdict", Flows.overall(results));
            tree.put("result", outcome.passed() ? "pass" : "fail");
            tree.put("reason", outcome.reason());
            tree.put("flows", results.size());
            if (probeNote != null) {
                tree.put("probe", probeNote);
            }
            printTree(tree);
        } else {
            String word = outcome.passed()
                    ? session.style().green("PASS")
                    : session.style().red("FAIL");
            StringBuilder sb = new StringBuilder();
            sb.append(word)
                    .append(' ')
                    .append(text)
                    .append(" (")
                    .append(outcome.reason())
                    .append(")\n");
            if (probeNote != null) {
                sb.append("     ")
                        .append(session.style().yellow("probe " + probeNote))
                        .append("; checked against the trace only\n");
            }
            print(sb.toString());
        }
        return outcome.passed() ? 0 : 1;
    }

    /** Whether every flow has the wanted verdict, and the words that say why. */
    public record Outcome(boolean passed, String reason) {}

    public static Outcome judge(Verdict want, List<Flows.Result> results) {
        if (results.isEmpty()) {
            return new Outcome(false, "no flows to check: source and destination are the same pod");
        }
        List<Flows.Result> wrong = new ArrayList<>();
        for (Flows.Result r : results) {
            if (r.trace() == null || r.trace().verdict() != want) {
                wrong.add(r);
            }
        }
        String past = want == Verdict.ALLOW ? "allowed" : "denied";
        if (results.size() == 1) {
            Flows.Result r = results.get(0);
            return wrong.isEmpty() ? new Outcome(true, TraceFormatter.summary(r.trace())) : new Outcome(false, got(r));
        }
        if (wrong.isEmpty()) {
            return new Outcome(true, "all " + results.size() + " flows " + past);
        }
        Flows.Result first = wrong.get(0);
        return new Outcome(
                false,
                wrong.size() + " of " + results.size() + " flows not " + past + "; first " + first.from() + " -> "
                        + first.to() + ": " + got(first));
    }

    private static String got(Flows.Result r) {
        if (r.trace() == null) {
            return "got unknown: " + r.problem();
        }
        return "got " + r.trace().verdict().lowerName() + ": " + TraceFormatter.summary(r.trace());
    }

    static Verdict parseVerdict(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "allow", "allowed" -> Verdict.ALLOW;
            case "deny", "denied" -> Verdict.DENY;
            default -> throw TortieException.usage("expect allow or deny, not '" + text + "'");
        };
    }
}
