package dev.tortie.dataplane.lab;

/** A lab operation failed; what it had created for that operation has been removed again. */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }

    public LabException(String message) {
        super(message);
    }
}
