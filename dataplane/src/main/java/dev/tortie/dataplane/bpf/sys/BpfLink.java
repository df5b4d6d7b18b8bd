package dev.tortie.dataplane.bpf.sys;

import java.nio.file.Path;

/**
 * A BPF link fd: an attachment that lasts while the fd (or a pin) is held, is replaced atomically with
 * {@link #update} and ends with {@link #detach()} or the last close.
 *
 * <p>Attr layouts used (offsets in {@code union bpf_attr}):
 *
 * <pre>
 * BPF_LINK_CREATE      0 prog_fd, 4 target_ifindex, 8 attach_type, 12 flags, 16 tcx.relative_fd/id,
 *                      24 tcx.expected_revision (32 bytes)
 * BPF_LINK_UPDATE      0 link_fd, 4 new_prog_fd, 8 flags (BPF_F_REPLACE = 4), 12 old_prog_fd
 * BPF_LINK_DETACH      0 link_fd
 * </pre>
 */
public final class BpfLink extends BpfObject {
    private static final int BPF_F_REPLACE = 1 << 2;
    private static final int CREATE_SIZE = 32;

    private final String description;

    private BpfLink(int fd, String description) {
        super(fd);
        this.description = description;
    }

    /**
     * Attaches {@code program} to the tcx hook of the device {@code ifindex} in the calling thread's network
     * namespace, after the programs already there. Needs kernel 6.6+.
     */
    public static BpfLink attachTcx(BpfProgram program, int ifindex, TcxAttachType hook) {
        Attr attr = Attr.of(CREATE_SIZE).u32(0, program.fd()).u32(4, ifindex).u32(8, hook.number());
        String what = "tcx " + hook.name().toLowerCase(java.util.Locale.ROOT) + " ifindex " + ifindex;
        int fd = Native.bpf(BpfCommand.BPF_LINK_CREATE, attr, () -> program.describe() + " -> " + what);
        return new BpfLink(fd, "link " + what);
    }

    /** Like {@link #attachTcx(BpfProgram, int, TcxAttachType)}, resolving {@code device} in this thread's netns. */
    public static BpfLink attachTcx(BpfProgram program, String device, TcxAttachType hook) {
        return attachTcx(program, Interfaces.ifindex(device), hook);
    }

    /** Opens a pinned link (BPF_OBJ_GET). */
    public static BpfLink openPinned(Path path) {
        int fd = BpfFs.get(path, "link");
        try {
            FdKind.require(fd, FdKind.LINK, path.toString());
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
        return new BpfLink(fd, "link " + path);
    }

    /** BPF_LINK_UPDATE: atomically replaces the attached program; packets see either the old or the new one. */
    public void update(BpfProgram newProgram) {
        Attr attr = Attr.of(16).u32(0, fd()).u32(4, newProgram.fd());
        Native.bpf(BpfCommand.BPF_LINK_UPDATE, attr, () -> description + " -> " + newProgram.describe());
    }

    /**
     * BPF_LINK_UPDATE with BPF_F_REPLACE: replaces the program only if {@code expected} is still the attached one
     * (else EPERM), so two writers cannot silently overwrite each other.
     */
    public void update(BpfProgram newProgram, BpfProgram expected) {
        Attr attr = Attr.of(16)
                .u32(0, fd())
                .u32(4, newProgram.fd())
                .u32(8, BPF_F_REPLACE)
                .u32(12, expected.fd());
        Native.bpf(
                BpfCommand.BPF_LINK_UPDATE,
                attr,
                () -> description + " -> " + newProgram.describe() + " replacing " + expected.describe());
    }

    /** BPF_LINK_DETACH: detaches now, even while other fds or pins hold the link; the fd stays valid (defunct). */
    public void detach() {
        Native.bpf(BpfCommand.BPF_LINK_DETACH, Attr.of(8).u32(0, fd()), () -> description);
    }

    /** {@code struct bpf_link_info}: 0 type, 4 id, 8 prog_id, 16 tcx.ifindex, 20 tcx.attach_type. */
    public LinkInfo info() {
        Attr info = ObjInfo.get(fd(), 64, description);
        return new LinkInfo(info.u32(0), info.u32(4), info.u32(8), info.u32(16), info.u32(20));
    }

    @Override
    String describe() {
        return description;
    }
}
