package dev.tortie.dataplane.bpf.sys;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/**
 * The libc entry points this package needs, bound once through jnr-ffi. bpf(2) has no glibc wrapper, so it goes
 * through {@code syscall(SYS_bpf, cmd, attr, size)} with the architecture's syscall number.
 */
final class Native {
    /** Bound by jnr-ffi; public only because jnr's generated class lives in another class loader. */
    public interface LibC {
        @SaveError
        long syscall(long number, long cmd, Pointer attr, long size);

        @SaveError
        int close(int fd);

        /** Returns 0 when there is no such interface in the calling thread's network namespace. */
        @SaveError
        int if_nametoindex(String name);

        @SaveError
        int open(String path, int flags);

        @SaveError
        int setns(int fd, int nstype);

        @SaveError
        int unshare(int flags);

        @SaveError
        int mount(String source, String target, String fstype, long flags, String data);

        @SaveError
        int umount2(String target, int flags);

        /** Returns the mapping's address, or MAP_FAILED (-1). */
        @SaveError
        Pointer mmap(Pointer address, @size_t long length, int prot, int flags, int fd, @off_t long offset);

        @SaveError
        int munmap(Pointer address, @size_t long length);

        @SaveError
        int poll(Pointer fds, long count, int timeoutMillis);

        int getpagesize();
    }

    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    static final Cleaner CLEANER = Cleaner.create();
    static final long SYS_BPF = bpfSyscallNumber();

    private Native() {}

    private static long bpfSyscallNumber() {
        Platform.CPU cpu = Platform.getNativePlatform().getCPU();
        switch (cpu) {
            case X86_64:
                return 321;
            case AARCH64:
                return 280;
            default:
                throw new UnsupportedOperationException("bpf(2) syscall number unknown on " + cpu);
        }
    }

    /** The errno saved by the last call on this thread. */
    static int errno() {
        return RUNTIME.getLastError();
    }

    /**
     * Calls bpf(2); returns the result (an fd or 0) or throws {@link BpfException} with {@code context} (evaluated only
     * on failure).
     */
    static int bpf(BpfCommand cmd, Attr attr, java.util.function.Supplier<String> context) {
        long rc = bpfRaw(cmd, attr);
        if (rc < 0) {
            throw new BpfException(cmd, (int) -rc, context.get());
        }
        return (int) rc;
    }

    /** Calls bpf(2); returns the non-negative result, or minus the errno. */
    static long bpfRaw(BpfCommand cmd, Attr attr) {
        try {
            long rc = LIBC.syscall(SYS_BPF, cmd.number(), attr.pointer(), attr.size());
            if (rc < 0) {
                int errno = errno();
                return -(errno == 0 ? Errno.EINVAL : errno);
            }
            return rc;
        } finally {
            // The attr (and the buffers it points to) must outlive the call.
            Reference.reachabilityFence(attr);
        }
    }

    static void close(int fd) {
        LIBC.close(fd);
    }
}
