package dev.tortie.dataplane.bpf.sys;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open fd for a kernel BPF object. {@link #close()} releases it deterministically (idempotent); an unclosed handle
 * that becomes unreachable is closed by a {@link Cleaner} as a safety net. The kernel object lives on while another fd,
 * a pin or (for programs) an attachment still holds it.
 */
public abstract sealed class BpfObject implements AutoCloseable permits BpfMap, BpfProgram, BpfLink {
    private final FdState state;
    private final Cleaner.Cleanable cleanable;

    BpfObject(int fd) {
        this.state = new FdState(fd);
        this.cleanable = Native.CLEANER.register(this, state);
    }

    /** The fd; throws once closed. */
    public int fd() {
        if (state.closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        return state.fd;
    }

    public boolean isOpen() {
        return !state.closed.get();
    }

    /**
     * Pins the object at {@code path} on a bpf filesystem (BPF_OBJ_PIN); the pin keeps it alive after the fd is closed
     * until the file is removed ({@link BpfFs#unpin}).
     */
    public void pin(Path path) {
        BpfFs.pin(fd(), path, describe());
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    /** What it is, for messages: {@code map ip_sets}. */
    abstract String describe();

    @Override
    public String toString() {
        return describe() + " (fd " + state.fd + (isOpen() ? ")" : ", closed)");
    }

    private static final class FdState implements Runnable {
        private final int fd;
        private final AtomicBoolean closed = new AtomicBoolean();

        FdState(int fd) {
            this.fd = fd;
        }

        @Override
        public void run() {
            if (closed.compareAndSet(false, true)) {
                Native.close(fd);
            }
        }
    }
}
