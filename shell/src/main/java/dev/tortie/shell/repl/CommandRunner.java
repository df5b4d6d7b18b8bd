package dev.tortie.shell.repl;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs one command at a time on a worker thread so Ctrl-C can interrupt it: {@link #cancel} (called from the
 * terminal's SIGINT handler) interrupts the worker and releases the waiting REPL at once. A worker that ignores the
 * interrupt is abandoned: {@code onAbandon} hears of it (the REPL mutes its output) and it finishes in the background.
 */
final class CommandRunner {
    private final Consumer<Thread> onAbandon;
    private CompletableFuture<Integer> current;
    private Thread worker;
    private int started;

    CommandRunner(Consumer<Thread> onAbandon) {
        this.onAbandon = Objects.requireNonNull(onAbandon, "onAbandon == null");
    }

    /** The outcome of one run: the exit code, or cancelled. */
    record Outcome(boolean cancelled, int exitCode) {}

    /** Runs {@code task} and waits for it; exceptions it throws are rethrown here (unchecked as they were). */
    Outcome run(IntSupplier task) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        result.complete(task.getAsInt());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "tortie-command-" + (++started));
        t.setDaemon(true);
        synchronized (this) {
            current = result;
            worker = t;
        }
        t.start();
        try {
            return new Outcome(false, result.get());
        } catch (CancellationException e) {
            return new Outcome(true, 130);
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            return new Outcome(true, 130);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            synchronized (this) {
                current = null;
                worker = null;
            }
        }
    }

    /** Interrupts the running command, if any; returns whether there was one. Safe from any thread. */
    boolean cancel() {
        CompletableFuture<Integer> f;
        Thread t;
        synchronized (this) {
            f = current;
            t = worker;
        }
        if (f == null || f.isDone()) {
            return false;
        }
        onAbandon.accept(t); // before the REPL wakes up: nothing the worker prints after this point shows
        if (!f.cancel(false)) {
            return false;
        }
        t.interrupt();
        return true;
    }

    synchronized boolean busy() {
        return current != null;
    }
}
