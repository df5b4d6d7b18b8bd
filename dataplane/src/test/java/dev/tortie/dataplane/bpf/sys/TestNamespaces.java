package dev.tortie.dataplane.bpf.sys;

import dev.tortie.dataplane.os.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Minimal namespace plumbing for the bpf tests, private to them (the shared {@code os.Netns} can replace the netns
 * part once it is committed). Each call runs its task on a fresh thread that enters the namespace and then dies, so
 * no thread of the JVM is ever left in a foreign namespace.
 */
final class TestNamespaces implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int CLONE_NEWNS = 0x00020000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final long MS_REC = 0x4000;
    private static final long MS_PRIVATE = 0x40000;

    /** {@code tortie-bpfit-<pid>-<rand>}: unique per run, recognisable as ours. */
    final String prefix;

    private final List<String> created = new ArrayList<>();
    private final Thread cleanupHook;

    TestNamespaces() {
        prefix = "tortie-bpfit-" + Long.toHexString(ProcessHandle.current().pid()) + "-"
                + String.format("%04x", new Random().nextInt(0x10000));
        cleanupHook = new Thread(this::deleteAll, prefix + "-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /** Creates network namespace {@code prefix-suffix} and returns its name. */
    String netns(String suffix) {
        String name = prefix + "-" + suffix;
        ip("netns", "add", name);
        created.add(name);
        return name;
    }

    static void ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        ProcessRunner.INSTANCE.run(argv).orThrow();
    }

    /** Runs {@code task} on a new thread inside network namespace {@code name}. */
    static <T> T inNetns(String name, Callable<T> task) throws Exception {
        return onFreshThread("netns " + name, () -> {
            int fd = Native.LIBC.open("/run/netns/" + name, O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open netns " + name + ": " + Errno.describe(Native.errno()));
            }
            try {
                if (Native.LIBC.setns(fd, CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns " + name + ": " + Errno.describe(Native.errno()));
                }
            } finally {
                Native.LIBC.close(fd);
            }
            return task.call();
        });
    }

    /**
     * Runs {@code task} on a new thread with a private mount namespace (all mounts private, so nothing propagates
     * back) that has a bpf filesystem at /sys/fs/bpf: the host's, if it is mounted there, else a fresh one that
     * disappears with the thread. The task gets the thread's id (for {@code nsenter -m/proc/PID/task/TID/ns/mnt}).
     */
    static <T> T inPrivateMountNs(ThreadTask<T> task) throws Exception {
        return onFreshThread("private mount ns", () -> {
            if (Native.LIBC.unshare(CLONE_NEWNS) != 0) {
                throw new IllegalStateException("unshare(CLONE_NEWNS): " + Errno.describe(Native.errno()));
            }
            if (Native.LIBC.mount(null, "/", null, MS_REC | MS_PRIVATE, null) != 0) {
                throw new IllegalStateException("mount --make-rprivate /: " + Errno.describe(Native.errno()));
            }
            if (!BpfFs.isBpfFs(BpfFs.DEFAULT_ROOT)
                    && Native.LIBC.mount("bpffs", BpfFs.DEFAULT_ROOT.toString(), "bpf", 0, "mode=0700") != 0) {
                throw new IllegalStateException("mount bpffs: " + Errno.describe(Native.errno()));
            }
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // PID/task/TID
            return task.run(Long.parseLong(self.substring(self.lastIndexOf('/') + 1)));
        });
    }

    interface ThreadTask<T> {
        T run(long tid) throws Exception;
    }

    private static <T> T onFreshThread(String what, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        result.set(task.call());
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "tortie-bpfit " + what);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception) {
            throw (Exception) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        return result.get();
    }

    private synchronized void deleteAll() {
        for (String name : created) {
            ProcessRunner.INSTANCE.run("ip", "netns", "delete", name);
        }
        created.clear();
    }

    /** Names of our namespaces still present. */
    List<String> leftovers() {
        String out = ProcessRunner.INSTANCE.run("ip", "netns", "list").stdout();
        return out.lines()
                .map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(prefix))
                .toList();
    }

    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
