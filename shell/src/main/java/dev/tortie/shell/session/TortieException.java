package dev.tortie.shell.session;

/** A user-facing failure: the message is shown as {@code error: <message>} and the exit code says what kind. */
public final class TortieException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public TortieException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public TortieException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static TortieException usage(String message) {
        return new TortieException(ExitCode.USAGE, message);
    }

    public static TortieException input(String message) {
        return new TortieException(ExitCode.INPUT, message);
    }

    public static TortieException cluster(String message, Throwable cause) {
        return new TortieException(ExitCode.CLUSTER, message, cause);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
