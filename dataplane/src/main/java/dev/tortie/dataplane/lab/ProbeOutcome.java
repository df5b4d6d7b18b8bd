package dev.tortie.dataplane.lab;

/** What a probe saw. */
public enum ProbeOutcome {
    /** TCP: the handshake completed (the banner names the pod that answered). UDP: the echo came back. */
    CONNECTED,
    /** Actively rejected: TCP RST, or an ICMP unreachable (port, host, network, administratively prohibited). */
    REFUSED,
    /** No answer within the timeout: what a dropping policy looks like. */
    TIMED_OUT,
    /** The lab cannot probe this protocol on this kernel (SCTP) or at all (port-less protocols); not attempted. */
    UNSUPPORTED,
    /** The probe itself failed locally (for example the source namespace is gone). */
    ERROR
}
