package dev.tortie.dataplane.lab;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of one probe.
 *
 * @param responder the {@code namespace/pod} that answered (CONNECTED with a banner), otherwise null
 * @param latency time from the first packet to the deciding event (handshake, echo, error or timeout); zero when the
 *     probe was not attempted
 * @param detail a short human explanation ({@code connection refused}, {@code no reply within 300 ms}, ...)
 */
public record ProbeResult(
        ProbeRequest request, ProbeOutcome outcome, String responder, Duration latency, String detail) {
    public ProbeResult {
        Objects.requireNonNull(request, "request == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(latency, "latency == null");
        Objects.requireNonNull(detail, "detail == null");
    }

    public boolean connected() {
        return outcome == ProbeOutcome.CONNECTED;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(request.toString()).append(": ").append(outcome);
        if (responder != null) {
            sb.append(" by ").append(responder);
        }
        sb.append(String.format(Locale.ROOT, " in %.1f ms", latency.toNanos() / 1e6));
        if (!detail.isEmpty()) {
            sb.append(" (").append(detail).append(')');
        }
        return sb.toString();
    }
}
