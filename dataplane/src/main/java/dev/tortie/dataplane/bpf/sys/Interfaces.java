package dev.tortie.dataplane.bpf.sys;

/** Network device lookups in the calling thread's network namespace (which is what bpf(2) resolves ifindexes in). */
public final class Interfaces {
    private Interfaces() {}

    /** The ifindex of {@code device} in this thread's netns; throws if there is none. */
    public static int ifindex(String device) {
        int index = Native.LIBC.if_nametoindex(device);
        if (index == 0) {
            int errno = Native.errno();
            throw new IllegalArgumentException(
                    "no device '" + device + "' in this thread's network namespace: " + Errno.describe(errno));
        }
        return index;
    }
}
