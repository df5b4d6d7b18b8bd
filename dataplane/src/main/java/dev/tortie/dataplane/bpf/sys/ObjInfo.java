package dev.tortie.dataplane.bpf.sys;

/**
 * BPF_OBJ_GET_INFO_BY_FD: attr {@code 0 bpf_fd, 4 info_len, 8 info (u64 ptr)}. The kernel copies at most
 * {@code info_len} bytes of its info struct and accepts a longer buffer as long as the tail is zero.
 */
final class ObjInfo {
    private ObjInfo() {}

    static Attr get(int fd, int infoSize, String what) {
        Attr info = Attr.of(infoSize);
        Attr attr = Attr.of(16).u32(0, fd).u32(4, infoSize).ptr(8, info.pointer());
        Native.bpf(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, attr, () -> what);
        return info;
    }
}
