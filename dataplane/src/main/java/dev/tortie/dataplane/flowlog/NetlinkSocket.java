package dev.tortie.dataplane.flowlog;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * A raw netlink socket through libc, bound with jnr-ffi (socket, bind, setsockopt, sendto, recv, poll, close). A socket
 * belongs to the network namespace of the thread that created it, for its whole life: create it inside {@code
 * Netns.call} to talk to that namespace's netfilter.
 *
 * <pre>
 * struct sockaddr_nl (12 bytes)   0 u16 nl_family (AF_NETLINK 16)   2 u16 nl_pad   4 u32 nl_pid (0: the kernel assigns
 *                                 the port id)   8 u32 nl_groups (multicast groups: none, NFLOG is unicast)
 * struct pollfd (8 bytes)         0 s32 fd   4 s16 events   6 s16 revents
 * </pre>
 *
 * Thread use: one thread receives; {@link #send} may be called before that thread starts; {@link #close} after it has
 * stopped (closing an fd another thread is blocked on is not reliable on Linux, so the reader polls with a timeout).
 */
final class NetlinkSocket implements AutoCloseable {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_NETFILTER = 12;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOBUFS = 105;

    /** Bound by jnr-ffi; public only because jnr's generated class lives in another class loader. */
    public interface LibC {
        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        int bind(int fd, Pointer address, int length);

        @SaveError
        int setsockopt(int fd, int level, int name, Pointer value, int length);

        @SaveError
        @ssize_t
        long sendto(int fd, Pointer buffer, @size_t long length, int flags, Pointer address, int addressLength);

        @SaveError
        @ssize_t
        long recv(int fd, Pointer buffer, @size_t long length, int flags);

        @SaveError
        int poll(Pointer fds, long count, int timeoutMillis);

        @SaveError
        int close(int fd);

        String strerror(int errnum);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    private final int fd;
    private final String label;
    private final Pointer receiveBuffer;
    private final Pointer pollFd;
    private final byte[] copy;
    private boolean closed;

    private NetlinkSocket(int fd, String label, int receiveBufferSize) {
        this.fd = fd;
        this.label = label;
        this.receiveBuffer = Memory.allocateDirect(Holder.RUNTIME, receiveBufferSize, true);
        this.copy = new byte[receiveBufferSize];
        this.pollFd = Memory.allocateDirect(Holder.RUNTIME, 8, true);
        pollFd.putInt(0, fd);
        pollFd.putShort(4, POLLIN);
    }

    /**
     * Opens and binds a netlink socket of {@code protocol} in the calling thread's network namespace.
     *
     * @param datagramBytes the largest datagram {@link #receive} accepts (longer ones are truncated)
     */
    static NetlinkSocket open(int protocol, String label, int datagramBytes) {
        LibC libc = Holder.LIBC;
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new FlowLogException(label + ": socket(AF_NETLINK): " + lastError());
        }
        Pointer address = Memory.allocateDirect(Holder.RUNTIME, 12, true);
        address.putShort(0, (short) AF_NETLINK);
        if (libc.bind(fd, address, 12) != 0) {
            String error = lastError();
            libc.close(fd);
            throw new FlowLogException(label + ": bind(AF_NETLINK): " + error);
        }
        return new NetlinkSocket(fd, label, datagramBytes);
    }

    /**
     * Sets the receive buffer: SO_RCVBUFFORCE (root may exceed net.core.rmem_max), else SO_RCVBUF (capped by it).
     * Returns whether the forced size was granted.
     */
    boolean receiveBufferSize(int bytes) {
        Pointer value = Memory.allocateDirect(Holder.RUNTIME, 4, true);
        value.putInt(0, bytes);
        if (Holder.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) == 0) {
            return true;
        }
        Holder.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
        return false;
    }

    /** Sends one message to the kernel (port 0). */
    void send(byte[] message) {
        Pointer buffer = Memory.allocateDirect(Holder.RUNTIME, message.length, true);
        buffer.put(0, message, 0, message.length);
        Pointer kernel = Memory.allocateDirect(Holder.RUNTIME, 12, true);
        kernel.putShort(0, (short) AF_NETLINK);
        long sent = Holder.LIBC.sendto(fd, buffer, message.length, 0, kernel, 12);
        if (sent != message.length) {
            throw new FlowLogException(label + ": sendto: " + (sent < 0 ? lastError() : "short write " + sent));
        }
    }

    /** Waits up to {@code timeoutMillis} for something to read; false on timeout (or EINTR). */
    boolean awaitReadable(int timeoutMillis) {
        pollFd.putShort(6, (short) 0);
        int n = Holder.LIBC.poll(pollFd, 1, timeoutMillis);
        if (n < 0) {
            int errno = Holder.RUNTIME.getLastError();
            if (errno == EINTR) {
                return false;
            }
            throw new FlowLogException(label + ": poll: " + describe(errno));
        }
        return n > 0;
    }

    /**
     * Receives one datagram without blocking into {@link #buffer()}; returns its length, or minus the errno ({@code
     * -EAGAIN}: nothing to read; {@code -ENOBUFS}: the kernel dropped messages because the receive buffer was full).
     */
    int receive() {
        long n = Holder.LIBC.recv(fd, receiveBuffer, copy.length, MSG_DONTWAIT);
        if (n < 0) {
            int errno = Holder.RUNTIME.getLastError();
            return -(errno == 0 ? EAGAIN : errno);
        }
        int length = (int) Math.min(n, copy.length);
        receiveBuffer.get(0, copy, 0, length);
        return length;
    }

    /** The bytes of the last {@link #receive}. */
    byte[] buffer() {
        return copy;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Holder.LIBC.close(fd);
        }
    }

    static String describe(int errno) {
        String text = Holder.LIBC.strerror(errno);
        return (text == null ? "errno" : text) + " (errno " + errno + ")";
    }

    private static String lastError() {
        return describe(Holder.RUNTIME.getLastError());
    }
}
