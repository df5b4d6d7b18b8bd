package dev.tortie.dataplane.bpf.sys;

import java.util.Map;

/** Linux errno names and descriptions for messages ({@code EPERM (Operation not permitted)}). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENOTSUP = 95;
    public static final int E2BIG = 7;
    /** Kernel-internal "operation not supported" that leaks to user space from bpf(2). */
    public static final int ENOTSUPP = 524;

    private static final Map<Integer, String[]> NAMES = Map.ofEntries(
            Map.entry(EPERM, new String[] {"EPERM", "Operation not permitted"}),
            Map.entry(ENOENT, new String[] {"ENOENT", "No such file or directory"}),
            Map.entry(3, new String[] {"ESRCH", "No such process"}),
            Map.entry(EINTR, new String[] {"EINTR", "Interrupted system call"}),
            Map.entry(5, new String[] {"EIO", "Input/output error"}),
            Map.entry(6, new String[] {"ENXIO", "No such device or address"}),
            Map.entry(E2BIG, new String[] {"E2BIG", "Argument list too long"}),
            Map.entry(EBADF, new String[] {"EBADF", "Bad file descriptor"}),
            Map.entry(EAGAIN, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
            Map.entry(ENOMEM, new String[] {"ENOMEM", "Cannot allocate memory"}),
            Map.entry(EACCES, new String[] {"EACCES", "Permission denied"}),
            Map.entry(EFAULT, new String[] {"EFAULT", "Bad address"}),
            Map.entry(EBUSY, new String[] {"EBUSY", "Device or resource busy"}),
            Map.entry(EEXIST, new String[] {"EEXIST", "File exists"}),
            Map.entry(18, new String[] {"EXDEV", "Invalid cross-device link"}),
            Map.entry(ENODEV, new String[] {"ENODEV", "No such device"}),
            Map.entry(ENOTDIR, new String[] {"ENOTDIR", "Not a directory"}),
            Map.entry(21, new String[] {"EISDIR", "Is a directory"}),
            Map.entry(EINVAL, new String[] {"EINVAL", "Invalid argument"}),
            Map.entry(24, new String[] {"EMFILE", "Too many open files"}),
            Map.entry(ENOSPC, new String[] {"ENOSPC", "No space left on device"}),
            Map.entry(ERANGE, new String[] {"ERANGE", "Numerical result out of range"}),
            Map.entry(36, new String[] {"ENAMETOOLONG", "File name too long"}),
            Map.entry(ENOSYS, new String[] {"ENOSYS", "Function not implemented"}),
            Map.entry(39, new String[] {"ENOTEMPTY", "Directory not empty"}),
            Map.entry(40, new String[] {"ELOOP", "Too many levels of symbolic links"}),
            Map.entry(ENOTSUP, new String[] {"EOPNOTSUPP", "Operation not supported"}),
            Map.entry(ENOTSUPP, new String[] {"ENOTSUPP", "Operation not supported (kernel-internal)"}));

    private Errno() {}

    /** {@code EPERM}, or {@code errno 123} for numbers not in the table. */
    public static String name(int errno) {
        String[] e = NAMES.get(errno);
        return e == null ? "errno " + errno : e[0];
    }

    /** {@code EPERM (Operation not permitted)}. */
    public static String describe(int errno) {
        String[] e = NAMES.get(errno);
        return e == null ? "errno " + errno : e[0] + " (" + e[1] + ")";
    }
}
