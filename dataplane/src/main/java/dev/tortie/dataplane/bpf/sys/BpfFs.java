package dev.tortie.dataplane.bpf.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pinning on the bpf filesystem. BPF_OBJ_PIN / BPF_OBJ_GET attr: {@code 0 pathname (ptr), 8 bpf_fd, 12 file_flags}.
 * Paths resolve in the calling thread's mount namespace.
 */
public final class BpfFs {
    /** Where bpffs is conventionally mounted. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/bpf");

    private static final int OBJ_SIZE = 16;
    private static final int MNT_DETACH = 2;

    private BpfFs() {}

    /** Whether {@code dir} is on a bpf filesystem in this thread's mount namespace. */
    public static boolean isBpfFs(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        String bestMount = null;
        String bestType = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                String mountPoint = f[1].replace("\\040", " ");
                boolean covers =
                        target.equals(mountPoint) || mountPoint.equals("/") || target.startsWith(mountPoint + "/");
                // Later lines shadow earlier ones at the same or a shorter mount point.
                if (covers && (bestMount == null || mountPoint.length() >= bestMount.length())) {
                    bestMount = mountPoint;
                    bestType = f[2];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount table", e);
        }
        return "bpf".equals(bestType);
    }

    static void pin(int fd, Path path, String what) {
        Attr attr = Attr.of(OBJ_SIZE).ptr(0, Attr.cString(path.toString())).u32(8, fd);
        Native.bpf(BpfCommand.BPF_OBJ_PIN, attr, () -> what + " at " + path);
    }

    /** BPF_OBJ_GET: a new fd for the object pinned at {@code path}. */
    static int get(Path path, String kind) {
        Attr attr = Attr.of(OBJ_SIZE).ptr(0, Attr.cString(path.toString()));
        return Native.bpf(BpfCommand.BPF_OBJ_GET, attr, () -> kind + " pinned at " + path);
    }

    /**
     * Mounts a fresh bpf filesystem at {@code dir} (which must exist) in the calling thread's mount namespace, mode
     * 0700. Every bpffs mount is its own instance: pins made under {@code dir} are visible only there. For a
     * tortie-owned directory (never a path other software uses); {@link #unmount} removes it.
     */
    public static void mount(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        if (Native.LIBC.mount("tortie-bpffs", target, "bpf", 0, "mode=0700") != 0) {
            int errno = Native.errno();
            throw new IllegalStateException("mount -t bpf at " + target + ": " + Errno.describe(errno));
        }
    }

    /** Unmounts the bpf filesystem at {@code dir} (lazily, so open fds do not keep it busy). */
    public static void unmount(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        if (!isBpfFs(dir) || !isMountPoint(dir)) {
            throw new IllegalStateException(target + " is not a bpf filesystem mount point");
        }
        if (Native.LIBC.umount2(target, MNT_DETACH) != 0) {
            int errno = Native.errno();
            throw new IllegalStateException("umount " + target + ": " + Errno.describe(errno));
        }
    }

    /** Whether {@code dir} is itself a mount point in this thread's mount namespace. */
    public static boolean isMountPoint(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length >= 3 && f[1].replace("\\040", " ").equals(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount table", e);
        }
        return false;
    }

    /** Removes a pin; the object goes away when no fd, pin or attachment holds it any more. */
    public static void unpin(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove pin " + path, e);
        }
    }
}
