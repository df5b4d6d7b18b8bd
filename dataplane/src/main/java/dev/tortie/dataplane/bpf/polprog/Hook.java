package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.engine.model.Direction;

/**
 * Where on the host-side interface of a workload a program runs. As in Calico, the directions cross over: the pod's
 * ingress policy runs where the host transmits towards the pod (tc egress), its egress policy where the host receives
 * from the pod (tc ingress).
 */
public enum Hook {
    /** Packets the host receives from the pod: the pod's egress policy. */
    TC_INGRESS("ingress"),
    /** Packets the host sends to the pod: the pod's ingress policy. */
    TC_EGRESS("egress");

    private final String tcName;

    Hook(String tcName) {
        this.tcName = tcName;
    }

    /** {@code ingress} or {@code egress}, as tc and bpftool name the hook. */
    public String tcName() {
        return tcName;
    }

    /** The hook that enforces the pod's policy in {@code direction}. */
    public static Hook forPolicy(Direction direction) {
        return direction == Direction.INGRESS ? TC_EGRESS : TC_INGRESS;
    }
}
