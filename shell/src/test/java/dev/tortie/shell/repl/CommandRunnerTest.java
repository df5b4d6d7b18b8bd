package dev.tortie.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Ctrl-C while a command runs: the worker is interrupted and the REPL gets control back at once. */
class CommandRunnerTest {
    @Test
    void returnsTheExitCode() {
        CommandRunner runner = new CommandRunner(t -> {});
        assertThat(runner.run(() -> 4)).isEqualTo(new CommandRunner.Outcome(false, 4));
        assertThat(runner.busy()).isFalse();
        assertThat(runner.cancel()).isFalse();
    }

    @Test
    void rethrowsWhatTheCommandThrows() {
        CommandRunner runner = new CommandRunner(t -> {});
        assertThatThrownBy(() -> runner.run(() -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
        assertThatThrownBy(() -> runner.run(() -> {
                    throw new StackOverflowError("deep");
                }))
                .isInstanceOf(StackOverflowError.class);
    }

    @Test
    void cancelInterruptsAnInterruptibleCommand() throws Exception {
        List<Thread> abandoned = new ArrayList<>();
        CommandRunner runner = new CommandRunner(abandoned::add);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                return;
            }
            runner.cancel();
        });
        canceller.start();
        long t0 = System.nanoTime();
        CommandRunner.Outcome outcome = runner.run(() -> {
            started.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            } finally {
                finished.countDown();
            }
            return 0;
        });
        assertThat(outcome.cancelled()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(abandoned).hasSize(1);
        assertThat(runner.busy()).isFalse();
    }

    @Test
    void cancelReturnsAtOnceEvenWhenTheCommandIgnoresTheInterrupt() throws Exception {
        List<Thread> abandoned = new ArrayList<>();
        CommandRunner runner = new CommandRunner(abandoned::add);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                return;
            }
            runner.cancel();
        });
        canceller.start();
        CommandRunner.Outcome outcome = runner.run(() -> {
            started.countDown();
            while (true) {
                try {
                    if (release.await(50, TimeUnit.MILLISECONDS)) {
                        return 0;
                    }
                } catch (InterruptedException e) {
                    // a command that does not care
                }
            }
        });
        assertThat(outcome.cancelled()).isTrue();
        assertThat(abandoned).singleElement().satisfies(t -> assertThat(t.isAlive())
                .isTrue());
        release.countDown();
        abandoned.get(0).join(10_000);
        // the next command runs normally on a new thread
        assertThat(runner.run(() -> 0).exitCode()).isZero();
    }
}
