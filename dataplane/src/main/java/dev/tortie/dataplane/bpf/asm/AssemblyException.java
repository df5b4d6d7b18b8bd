package dev.tortie.dataplane.bpf.asm;

/** A program cannot be assembled or encoded: unknown or duplicate label, jump out of range, unresolved map. */
public final class AssemblyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AssemblyException(String message) {
        super(message);
    }
}
