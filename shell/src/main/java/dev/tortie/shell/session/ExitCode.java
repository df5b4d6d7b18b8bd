package dev.tortie.shell.session;

/** Exit codes carry verdicts: 0 allowed / no change, 1 denied / changes, 2 mixed or undecidable, 3+ errors. */
public enum ExitCode {
    OK(0),
    NEGATIVE(1),
    UNDECIDED(2),
    USAGE(3),
    INPUT(4),
    CLUSTER(5),
    INTERNAL(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 3;
    }
}
