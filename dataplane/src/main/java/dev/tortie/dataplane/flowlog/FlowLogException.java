package dev.tortie.dataplane.flowlog;

/** A flow-log reader could not open or use its kernel channel; the message names the channel and the errno text. */
public final class FlowLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlowLogException(String message) {
        super(message);
    }

    public FlowLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
