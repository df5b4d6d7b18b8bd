package dev.tortie.dataplane.bpf.sys;

/** Program types used by tortie, numbered as {@code enum bpf_prog_type}. */
public enum ProgramType {
    SOCKET_FILTER(1, "socket_filter"),
    /** TC classifier: what tcx links and clsact filters run. */
    SCHED_CLS(3, "sched_cls"),
    XDP(6, "xdp");

    private final int number;
    private final String kernelName;

    ProgramType(int number, String kernelName) {
        this.number = number;
        this.kernelName = kernelName;
    }

    public int number() {
        return number;
    }

    public String kernelName() {
        return kernelName;
    }

    public static ProgramType of(int number) {
        for (ProgramType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException("program type " + number + " is not supported here");
    }
}
