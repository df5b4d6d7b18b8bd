package dev.tortie.shell.runbook;

import dev.tortie.shell.command.ErrorMapper;
import dev.tortie.shell.command.ExitCommand;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.command.Tokenizer;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a runbook against a session: echoes each command as {@code > CMD}, then its output; a command that exits 3 or
 * more, or a failed {@code expect}, stops the run unless {@code keepGoing}. Ends with one summary line. Exit code: 0
 * when everything passed, the first error's code when a command failed, else 1 when an expectation failed.
 */
public final class RunbookRunner {
    private final Session session;
    private final boolean keepGoing;

    public RunbookRunner(Session session, boolean keepGoing) {
        this.session = session;
        this.keepGoing = keepGoing;
    }

    /** Reads {@code file} and runs it. */
    public int run(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw TortieException.input("no such runbook: " + file);
        } catch (IOException e) {
            throw TortieException.input("cannot read runbook " + file + ": " + e.getMessage());
        }
        return run(Runbook.parse(file.toString(), content));
    }

    /** Counts kept while running, for the summary. */
    private static final class Tally {
        int run;
        int expectations;
        int passed;
        int failed;
        int errors;
        int firstError;
        Runbook.Step stoppedAt;
        boolean exited;
    }

    public int run(Runbook runbook) {
        Tally t = new Tally();
        List<Runbook.Step> steps = runbook.steps();
        for (Runbook.Step step : steps) {
            session.out().println(session.style().bold("> " + step.text()));
            session.out().flush();
            t.run++;
            boolean expectation = Runbook.isExpectation(step.text());
            int code = execute(step, t);
            if (expectation) {
                t.expectations++;
                if (code == 0) {
                    t.passed++;
                } else {
                    t.failed++;
                }
            }
            if (code >= ExitCode.USAGE.code()) {
                t.errors++;
                if (t.firstError == 0) {
                    t.firstError = code;
                }
            }
            boolean failure = code >= ExitCode.USAGE.code() || (expectation && code != 0);
            if (t.exited || (failure && !keepGoing)) {
                t.stoppedAt = t.exited ? null : step;
                break;
            }
        }
        session.out().println(summary(runbook, t));
        session.out().flush();
        if (t.firstError != 0) {
            return t.firstError;
        }
        return t.failed > 0 ? ExitCode.NEGATIVE.code() : ExitCode.OK.code();
    }

    private int execute(Runbook.Step step, Tally t) {
        try {
            if (step.problem() != null) {
                throw TortieException.usage(step.problem());
            }
            List<String> words = Tokenizer.words(step.text());
            int code = ShellCommands.run(session, words);
            if (ExitCommand.isExit(words) && code == 0) {
                t.exited = true;
            }
            return code;
        } catch (RuntimeException e) {
            return ErrorMapper.report(session, e);
        }
    }

    private String summary(Runbook runbook, Tally t) {
        int total = runbook.steps().size();
        long expectationsInFile = runbook.expectations();
        StringBuilder sb = new StringBuilder("runbook ").append(runbook.name()).append(": ");
        sb.append(plural(total, "command"));
        sb.append(", ").append(plural(expectationsInFile, "expectation")).append(": ");
        sb.append(t.passed).append(" passed, ").append(t.failed).append(" failed");
        if (t.errors > 0) {
            sb.append("; ").append(plural(t.errors, "command")).append(" failed with an error");
        }
        int commandsNotRun = total - t.run;
        long expectationsNotRun = expectationsInFile - t.expectations;
        if (commandsNotRun > 0 && (t.stoppedAt != null || t.exited)) {
            int line = t.exited ? runbook.steps().get(t.run - 1).line() : t.stoppedAt.line();
            sb.append(t.exited ? "; exit at line " : "; stopped at line ")
                    .append(line)
                    .append(": ")
                    .append(plural(commandsNotRun, "command"))
                    .append(" not run");
            if (expectationsNotRun > 0) {
                sb.append(", including ").append(plural(expectationsNotRun, "expectation"));
            }
            if (!t.exited) {
                sb.append(" (--keep-going runs them)");
            }
        }
        return sb.toString();
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
