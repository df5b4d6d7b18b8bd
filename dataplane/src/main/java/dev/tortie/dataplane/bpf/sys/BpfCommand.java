package dev.tortie.dataplane.bpf.sys;

/** The bpf(2) commands used here, numbered as {@code enum bpf_cmd} in include/uapi/linux/bpf.h. */
public enum BpfCommand {
    BPF_MAP_CREATE(0),
    BPF_MAP_LOOKUP_ELEM(1),
    BPF_MAP_UPDATE_ELEM(2),
    BPF_MAP_DELETE_ELEM(3),
    BPF_MAP_GET_NEXT_KEY(4),
    BPF_PROG_LOAD(5),
    BPF_OBJ_PIN(6),
    BPF_OBJ_GET(7),
    BPF_PROG_TEST_RUN(10),
    BPF_PROG_GET_FD_BY_ID(13),
    BPF_MAP_GET_FD_BY_ID(14),
    BPF_OBJ_GET_INFO_BY_FD(15),
    BPF_LINK_CREATE(28),
    BPF_LINK_UPDATE(29),
    BPF_LINK_GET_FD_BY_ID(30),
    BPF_LINK_DETACH(34);

    private final int number;

    BpfCommand(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
