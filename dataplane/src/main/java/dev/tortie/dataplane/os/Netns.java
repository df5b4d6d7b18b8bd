package dev.tortie.dataplane.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * Named network namespaces ({@code /var/run/netns/NAME}, as {@code ip netns} manages them): create, delete and list
 * them through a {@link CommandRunner}, and run Java code with the current thread switched into one.
 *
 * <h2>Thread confinement</h2>
 *
 * {@link #call} switches only the <em>calling OS thread</em> ({@code setns(2)} is per thread; a Java platform thread is
 * one OS thread) and always switches it back, also when the task throws. What stays behind is what the task created:
 * a socket belongs to the namespace it was created in for its whole life, so a channel opened inside {@code call} can
 * be bound, connected, read and closed from any thread afterwards. That is how the lab runs servers and probes for
 * many pods from one JVM with no helper processes. Inside the task:
 *
 * <ul>
 *   <li>Do not start threads, submit to executors, complete futures asynchronously or start processes: a thread
 *       created by a switched thread <em>inherits its namespace</em> and keeps it forever (a lazily started pool
 *       worker would silently create every later socket in the pod's namespace; the JDK's process reaper is such a
 *       lazily started thread).
 *   <li>Do not resolve host names: the resolver would talk to the namespace's (absent) network.
 *   <li>Keep it short and syscall-only: open and bind channels, read {@code /proc/sys/net} or {@code
 *       /proc/thread-self/net}. Everything else (processes, files outside {@code /proc}) is unaffected by the network
 *       namespace anyway.
 * </ul>
 *
 * Switching needs {@code CAP_SYS_ADMIN} (root). Calls nest: the inner call restores the outer namespace. This relies
 * on a Java thread being one OS thread for the whole task, which holds for platform threads; never call it from a
 * virtual thread (Java 21+), which may move between carrier threads while it runs.
 */
public final class Netns {
    /** Where {@code ip netns} bind-mounts named namespaces. */
    public static final Path RUN_DIR = Path.of("/var/run/netns");

    static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final String THREAD_NS = "/proc/thread-self/ns/net";
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    private Netns() {}

    /** libc, loaded on first switch so that code which only lists namespaces never loads native code. */
    public interface LibC {
        @SaveError
        int open(String path, int flags);

        @SaveError
        int close(int fd);

        @SaveError
        int setns(int fd, int nstype);

        String strerror(int errnum);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    /** A failed namespace syscall; the message names the namespace, the call and the errno text. */
    public static final class NetnsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NetnsException(String message) {
            super(message);
        }

        NetnsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Rejects names that {@code ip netns} would misread or that would escape {@link #RUN_DIR}. */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name == null");
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "invalid network namespace name '" + name + "' (allowed: letters, digits, '.', '_', '-')");
        }
        return name;
    }

    /** The bind-mount path of a named namespace. */
    public static Path path(String name) {
        return RUN_DIR.resolve(checkName(name));
    }

    /**
     * Runs {@code task} with the current thread inside the named namespace and switches back before returning or
     * throwing. See the class comment for what the task may do.
     *
     * @throws NetnsException when the namespace cannot be opened or entered (the task did not run)
     * @throws Exception whatever the task throws
     */
    public static <T> T call(String name, Callable<T> task) throws Exception {
        return callAt(path(name).toString(), name, task);
    }

    /** Like {@link #call} for a task that throws no checked exception. */
    public static <T> T get(String name, java.util.function.Supplier<T> task) {
        try {
            return call(name, task::get);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a Supplier cannot throw a checked exception", e);
        }
    }

    /** Like {@link #call} for a namespace file given by path, e.g. {@code /proc/PID/ns/net}. */
    public static <T> T callAt(Path nsFile, Callable<T> task) throws Exception {
        return callAt(nsFile.toString(), nsFile.toString(), task);
    }

    private static <T> T callAt(String file, String label, Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task == null");
        LibC libc = Holder.LIBC;
        int original = libc.open(THREAD_NS, O_RDONLY | O_CLOEXEC);
        if (original < 0) {
            throw new NetnsException("open " + THREAD_NS + ": " + lastError());
        }
        try {
            int target = libc.open(file, O_RDONLY | O_CLOEXEC);
            if (target < 0) {
                throw new NetnsException("netns " + label + ": open " + file + ": " + lastError());
            }
            try {
                if (libc.setns(target, CLONE_NEWNET) != 0) {
                    throw new NetnsException("netns " + label + ": setns: " + lastError());
                }
            } finally {
                libc.close(target);
            }
            try {
                return task.call();
            } finally {
                if (libc.setns(original, CLONE_NEWNET) != 0) {
                    // Cannot happen for a valid namespace fd we hold open; if it does, this thread would keep running
                    // in the wrong namespace, which must never go unnoticed.
                    throw new IllegalStateException("netns " + label + ": cannot switch thread "
                            + Thread.currentThread().getName() + " back to its namespace: " + lastError());
                }
            }
        } finally {
            libc.close(original);
        }
    }

    /**
     * An identifier of the current thread's network namespace, {@code net:[INODE]}; equal ids mean the same namespace.
     */
    public static String currentId() {
        try {
            return Files.readSymbolicLink(Path.of(THREAD_NS)).toString();
        } catch (java.io.IOException e) {
            throw new NetnsException("readlink " + THREAD_NS + ": " + e.getMessage(), e);
        }
    }

    /** The identifier ({@code net:[INODE]}) of a named namespace. */
    public static String idOf(String name) {
        return get(name, Netns::currentId);
    }

    private static String lastError() {
        int errno = Holder.RUNTIME.getLastError();
        String text = Holder.LIBC.strerror(errno);
        return (text == null ? "errno" : text) + " (errno " + errno + ")";
    }

    // ---------------------------------------------------------------- ip netns

    /** {@code ip netns add NAME}. */
    public static void create(CommandRunner runner, String name) {
        runner.run("ip", "netns", "add", checkName(name)).orThrow();
    }

    /** {@code ip netns delete NAME}. */
    public static void delete(CommandRunner runner, String name) {
        runner.run("ip", "netns", "delete", checkName(name)).orThrow();
    }

    /** Creates all namespaces with one {@code ip -batch -}; stops at the first failure (and throws). */
    public static void createAll(CommandRunner runner, Collection<String> names) {
        batch(runner, names, "netns add ", false);
    }

    /**
     * Deletes all namespaces with one {@code ip -force -batch -}, carrying on past names that are already gone.
     *
     * @return the result, so callers can report what failed without failing themselves
     */
    public static CommandResult deleteAll(CommandRunner runner, Collection<String> names) {
        return batch(runner, names, "netns delete ", true);
    }

    private static CommandResult batch(CommandRunner runner, Collection<String> names, String verb, boolean force) {
        if (names.isEmpty()) {
            return new CommandResult(List.of("ip", "-batch", "-"), 0, "", "");
        }
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            script.append(verb).append(checkName(name)).append('\n');
        }
        List<String> argv = force ? List.of("ip", "-force", "-batch", "-") : List.of("ip", "-batch", "-");
        CommandResult result = runner.run(argv, script.toString(), CommandRunner.DEFAULT_TIMEOUT);
        return force ? result : result.orThrow();
    }

    /** True when {@code ip netns list} shows the name. */
    public static boolean exists(CommandRunner runner, String name) {
        return list(runner).contains(checkName(name));
    }

    /** The named namespaces, as {@code ip netns list} prints them (without the {@code (id: N)} suffix). */
    public static List<String> list(CommandRunner runner) {
        return parseList(runner.run("ip", "netns", "list").orThrow().stdout());
    }

    /** Parses {@code ip netns list} output: one namespace per line, optionally followed by {@code (id: N)}. */
    public static List<String> parseList(String output) {
        List<String> names = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            names.add(space < 0 ? trimmed : trimmed.substring(0, space));
        }
        return names;
    }
}
