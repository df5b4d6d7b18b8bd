package dev.tortie.dataplane.bpf.sys;

/**
 * A link as the kernel describes it ({@code struct bpf_link_info}); for tcx links {@code ifindex} and
 * {@code attachType} come from the tcx member of its union (0 once the device is gone or the link was detached).
 *
 * @param type link type (BPF_LINK_TYPE_TCX = 11)
 */
public record LinkInfo(int type, int id, int programId, int ifindex, int attachType) {
    public static final int TYPE_TCX = 11;
}
