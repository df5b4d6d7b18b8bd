package dev.tortie.dataplane.bpf.sys;

import java.util.Arrays;
import java.util.List;

/**
 * The verifier refused a program. The message ends with the last lines of the verifier log (where the reason is);
 * {@link #verifierLog()} has all of it.
 */
public final class VerifierRejectedException extends BpfException {
    private static final long serialVersionUID = 1L;
    private static final int TAIL_LINES = 6;
    private final String programName;
    private final String verifierLog;

    public VerifierRejectedException(String programName, String context, int errno, String verifierLog) {
        super(BpfCommand.BPF_PROG_LOAD, errno, context, "verifier rejected the program:\n" + tail(verifierLog));
        this.programName = programName;
        this.verifierLog = verifierLog;
    }

    public String programName() {
        return programName;
    }

    /** The verifier's log at log level 1 or more (possibly the tail of a truncated one). */
    public String verifierLog() {
        return verifierLog;
    }

    private static String tail(String log) {
        List<String> lines = Arrays.asList(log.strip().split("\n"));
        List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return "  " + String.join("\n  ", tail);
    }
}
