package dev.tortie.dataplane.bpf.sys;

import java.util.Objects;

/**
 * A bpf(2) command failed. Carries the command, the errno and what was being done:
 * {@code BPF_MAP_CREATE (map ip_sets, lpm_trie 20/4 x 1024): EPERM (Operation not permitted)}.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final BpfCommand command;
    private final int errno;

    public BpfException(BpfCommand command, int errno, String context) {
        this(command, errno, context, null);
    }

    protected BpfException(BpfCommand command, int errno, String context, String detail) {
        super(message(command, errno, context, detail));
        this.command = Objects.requireNonNull(command, "command == null");
        this.errno = errno;
    }

    private static String message(BpfCommand command, int errno, String context, String detail) {
        StringBuilder m = new StringBuilder(command.name());
        if (context != null && !context.isEmpty()) {
            m.append(" (").append(context).append(')');
        }
        m.append(": ").append(Errno.describe(errno));
        if (detail != null && !detail.isEmpty()) {
            m.append(": ").append(detail);
        }
        return m.toString();
    }

    public BpfCommand command() {
        return command;
    }

    public int errno() {
        return errno;
    }

    /** {@code EPERM}, {@code EINVAL}, ... */
    public String errnoName() {
        return Errno.name(errno);
    }
}
