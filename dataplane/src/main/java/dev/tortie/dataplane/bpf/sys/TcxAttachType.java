package dev.tortie.dataplane.bpf.sys;

/** tcx hooks ({@code enum bpf_attach_type}, kernel 6.6+). */
public enum TcxAttachType {
    /** BPF_TCX_INGRESS: packets received by the device. */
    INGRESS(46),
    /** BPF_TCX_EGRESS: packets transmitted by the device. */
    EGRESS(47);

    private final int number;

    TcxAttachType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static TcxAttachType of(int number) {
        for (TcxAttachType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException("attach type " + number + " is not a tcx hook");
    }
}
