package dev.tortie.shell.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing runbook text into steps: comments, blank lines, continuations, line numbers. */
class RunbookTest {
    private static List<Runbook.Step> steps(String text) {
        return Runbook.parse("t.tsh", text).steps();
    }

    @Test
    void oneCommandPerLineSkippingCommentsAndBlankLines() {
        assertThat(steps("# intro\n\npolicies -A\n   # indented comment\nendpoints -A\n"))
                .containsExactly(new Runbook.Step(3, "policies -A", null), new Runbook.Step(5, "endpoints -A", null));
    }

    @Test
    void trailingCommentsNeedWhitespaceBeforeAndNoQuotes() {
        assertThat(steps("trace a -> b:80   # why\n"))
                .extracting(Runbook.Step::text)
                .containsExactly("trace a -> b:80");
        assertThat(steps("endpoints --selector 'a == \"#x\"' # c\n"))
                .extracting(Runbook.Step::text)
                .containsExactly("endpoints --selector 'a == \"#x\"'");
        assertThat(steps("use namespace ns#1\n")).extracting(Runbook.Step::text).containsExactly("use namespace ns#1");
        assertThat(steps("use namespace a\\ #b\n"))
                .extracting(Runbook.Step::text)
                .containsExactly("use namespace a\\ #b");
    }

    @Test
    void backslashContinuesTheLineAndTheStepKeepsItsFirstLineNumber() {
        assertThat(steps("\nexpect deny \\\n   app-a \\\n   -> app-b:80\npolicies\n"))
                .containsExactly(
                        new Runbook.Step(2, "expect deny app-a -> app-b:80", null),
                        new Runbook.Step(5, "policies", null));
    }

    @Test
    void aDoubledBackslashIsNotAContinuation() {
        assertThat(steps("use namespace a\\\\\npolicies\n"))
                .extracting(Runbook.Step::text)
                .containsExactly("use namespace a\\\\", "policies");
    }

    @Test
    void windowsLineEndings() {
        assertThat(steps("policies\r\nexpect deny \\\r\n a -> b:80\r\n"))
                .extracting(Runbook.Step::text)
                .containsExactly("policies", "expect deny a -> b:80");
    }

    @Test
    void aContinuationRunningOffTheEndOfTheFileIsAProblem() {
        List<Runbook.Step> s = steps("policies\ntrace a \\");
        assertThat(s).hasSize(2);
        assertThat(s.get(1).text()).isEqualTo("trace a");
        assertThat(s.get(1).problem()).contains("line 2").contains("past the end of the file");
    }

    @Test
    void countsExpectations() {
        Runbook r =
                Runbook.parse("t", "expect deny a -> b:80\nexpectations\ntrace a -> b:80\nexpect allow b -> a:80\n");
        assertThat(r.expectations()).isEqualTo(2);
    }
}
