package dev.tortie.shell.agent;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.shell.session.LockedIndex;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The node agent: a {@link ClusterWatcher} keeps the index current, and one loop thread compiles {@code
 * nodeProgram(node)} and hands it to the {@link Dataplane}, the only thread that ever touches the dataplane.
 *
 * <ul>
 *   <li>Bursts coalesce: each change (re)schedules the apply {@code debounce} later, but never more than {@code
 *       maxDelay} after the first change of the burst.
 *   <li>The first apply waits for the watcher's initial sync, so a partial view (pods without their policies) is never
 *       programmed.
 *   <li>A failed apply leaves the last good state in force (the dataplane's contract) and is retried with exponential
 *       backoff; a newer change retries sooner.
 *   <li>Every {@code refresh} the dataplane re-reads the kernel and repairs drift ({@link Dataplane#reconcile()}).
 *   <li>Stopping leaves the kernel state in place (like Felix), so a restarted agent adopts it without interrupting
 *       flows; {@link #close(boolean)} with {@code true} removes it.
 *   <li>The dataplane's flow log is started with the agent (a flow log that cannot start is reported, not fatal) and
 *       closed with it; {@link #flowLog()} is what {@code flows} and the agent's {@code /flows} read.
 * </ul>
 */
public final class NodeAgent implements AutoCloseable {
    /**
     * @param node the node whose endpoints are programmed
     * @param debounce quiet time after a change before applying
     * @param maxDelay longest a change waits while more keep coming
     * @param refresh interval of drift repair ({@link Dataplane#reconcile()})
     * @param minBackoff first retry delay after a failed apply
     * @param maxBackoff longest retry delay
     * @param syncTimeout how long the initial list from the API server may take
     * @param verbose log every apply that changed the kernel, not only failures and repairs
     */
    public record Options(
            String node,
            Duration debounce,
            Duration maxDelay,
            Duration refresh,
            Duration minBackoff,
            Duration maxBackoff,
            Duration syncTimeout,
            boolean verbose) {
        public Options {
            Objects.requireNonNull(node, "node == null");
            Objects.requireNonNull(debounce, "debounce == null");
            Objects.requireNonNull(maxDelay, "maxDelay == null");
            Objects.requireNonNull(refresh, "refresh == null");
            Objects.requireNonNull(minBackoff, "minBackoff == null");
            Objects.requireNonNull(maxBackoff, "maxBackoff == null");
            Objects.requireNonNull(syncTimeout, "syncTimeout == null");
            if (refresh.isNegative() || refresh.isZero()) {
                throw new IllegalArgumentException("refresh interval " + refresh + " must be positive");
            }
        }

        /** 50 ms debounce, 250 ms cap, 10 s refresh, backoff 100 ms to 10 s, 60 s to sync. */
        public static Options defaults(String node) {
            return new Options(
                    node,
                    Duration.ofMillis(50),
                    Duration.ofMillis(250),
                    Duration.ofSeconds(10),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    false);
        }

        public Options withRefresh(Duration value) {
            return new Options(node, debounce, maxDelay, value, minBackoff, maxBackoff, syncTimeout, verbose);
        }

        public Options withVerbose(boolean value) {
            return new Options(node, debounce, maxDelay, refresh, minBackoff, maxBackoff, syncTimeout, value);
        }
    }

    private final ClusterWatcher watcher;
    private final LockedIndex index;
    private final Dataplane dataplane;
    private final Options options;
    private final Consumer<String> log;
    private final ScheduledExecutorService loop;

    // Loop thread only.
    private long burstStart = -1;
    private ScheduledFuture<?> pending;
    private long pendingAt;
    private Duration backoff;

    private volatile boolean ready;
    private volatile boolean closed;
    private volatile long appliedVersion = -1;
    private volatile long wantedVersion;
    private volatile String lastError;
    private volatile Instant lastApplyAt;
    private volatile Duration lastApplyDuration = Duration.ZERO;
    private volatile Duration lastChangeToApplied = Duration.ZERO;
    private volatile ApplyReport lastReport;
    private volatile long changeSeenNanos = -1;
    private final AtomicLong applies = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong repairs = new AtomicLong();
    private final AtomicLong ruleChanges = new AtomicLong();
    private final Histogram applyDurations = Histogram.seconds();
    private volatile ProgramSize programmed = new ProgramSize(0, 0, 0);
    private volatile String flowLogProblem;

    /**
     * The size of the program in force: local endpoints, IR rules (every rule of every policy and profile applying to
     * a local endpoint, per direction) and IP sets.
     */
    public record ProgramSize(int localEndpoints, int rules, int ipSets) {
        static ProgramSize of(NodeProgram program) {
            int rules = 0;
            for (LocalEndpoint e : program.endpoints()) {
                for (EndpointProgram p : new EndpointProgram[] {e.ingress(), e.egress()}) {
                    if (p == null) {
                        continue;
                    }
                    for (IrTier t : p.tiers()) {
                        for (IrPolicy policy : t.policies()) {
                            rules += policy.rules().size();
                        }
                    }
                    for (IrProfile profile : p.profiles()) {
                        rules += profile.rules().size();
                    }
                }
            }
            return new ProgramSize(
                    program.endpoints().size(), rules, program.ipSets().size());
        }
    }

    private NodeAgent(
            ClusterWatcher watcher, Dataplane dataplane, Options options, Consumer<String> log, String threadName) {
        this.watcher = watcher;
        this.index = watcher.index();
        this.dataplane = dataplane;
        this.options = options;
        this.log = log;
        this.backoff = options.minBackoff();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching through {@code client} (which the caller keeps and closes), waits for the initial sync, programs
     * the node once, and keeps it programmed until {@link #close}.
     */
    public static NodeAgent start(KubernetesClient client, Dataplane dataplane, Options options, Consumer<String> log) {
        Objects.requireNonNull(client, "client == null");
        Objects.requireNonNull(dataplane, "dataplane == null");
        Objects.requireNonNull(options, "options == null");
        Objects.requireNonNull(log, "log == null");
        ClusterWatcher watcher = new ClusterWatcher(
                client,
                new LockedIndex(new dev.tortie.engine.compile.ClusterIndex()),
                "agent:" + options.node(),
                false,
                log);
        NodeAgent agent = new NodeAgent(watcher, dataplane, options, log, "tortie-agent-" + options.node());
        watcher.addListener(agent::onChange);
        try {
            watcher.start(options.syncTimeout());
        } catch (RuntimeException e) {
            agent.loop.shutdownNow();
            watcher.close();
            throw e;
        }
        agent.startFlowLog();
        agent.ready = true;
        agent.loop.execute(agent::applyNow);
        long refresh = options.refresh().toMillis();
        agent.loop.scheduleWithFixedDelay(agent::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
        return agent;
    }

    public ClusterWatcher watcher() {
        return watcher;
    }

    /** Opens the dataplane's flow log readers; a failure is kept in {@link #flowLogProblem()} and logged. */
    private void startFlowLog() {
        FlowLog flows = dataplane.flowLog();
        if (!flows.enabled()) {
            flowLogProblem = flows.disabledReason();
            return;
        }
        try {
            flows.start();
        } catch (RuntimeException e) {
            flowLogProblem = "cannot start the flow log: " + e.getMessage();
            log.accept("warning: " + flowLogProblem + " (policy is enforced; flows are not recorded)");
        }
    }

    /** The dataplane's flow log (started with the agent). */
    public FlowLog flowLog() {
        return dataplane.flowLog();
    }

    /** Why the flow log records nothing (disabled, or it failed to start), or null. */
    public String flowLogProblem() {
        return flowLogProblem;
    }

    public Options options() {
        return options;
    }

    public Dataplane dataplane() {
        return dataplane;
    }

    // ------------------------------------------------------------------------------------------------ scheduling

    private void onChange(long version) {
        if (closed) {
            return;
        }
        wantedVersion = Math.max(wantedVersion, version);
        if (changeSeenNanos < 0) {
            changeSeenNanos = System.nanoTime();
        }
        if (ready) {
            try {
                loop.execute(this::scheduleApply);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Loop thread: trailing debounce, capped at maxDelay after the first change of the burst. */
    private void scheduleApply() {
        long now = System.nanoTime();
        if (burstStart < 0) {
            burstStart = now;
        }
        long at = Math.min(
                now + options.debounce().toNanos(),
                burstStart + options.maxDelay().toNanos());
        scheduleAt(at);
    }

    private void scheduleAt(long at) {
        if (pending != null) {
            pending.cancel(false);
        }
        pendingAt = at;
        pending = loop.schedule(this::applyNow, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Loop thread: compile and apply; on failure keep the old state and retry with backoff. */
    private void applyNow() {
        if (closed) {
            return;
        }
        pending = null;
        burstStart = -1;
        long seen = changeSeenNanos;
        changeSeenNanos = -1;
        long[] version = new long[1];
        long start = System.nanoTime();
        NodeProgram program;
        try {
            program = index.read(idx -> {
                version[0] = idx.version();
                return idx.nodeProgram(options.node());
            });
        } catch (RuntimeException e) {
            fail("compiling the node program failed: " + e, seen);
            return;
        }
        try {
            ApplyReport report = dataplane.apply(program);
            long end = System.nanoTime();
            applies.incrementAndGet();
            ruleChanges.addAndGet(report.changeCount());
            lastReport = report;
            lastApplyAt = Instant.now();
            lastApplyDuration = Duration.ofNanos(end - start);
            applyDurations.observe((end - start) / 1e9);
            programmed = ProgramSize.of(program);
            if (seen > 0) {
                lastChangeToApplied = Duration.ofNanos(end - seen);
            }
            if (lastError != null) {
                log.accept("apply succeeded again after " + failures.get() + " failure(s)");
            }
            lastError = null;
            backoff = options.minBackoff();
            appliedVersion = version[0];
            if (options.verbose() && report.changed()) {
                log.accept("programmed " + program.endpoints().size() + " endpoint(s): " + report.changeCount()
                        + " kernel change(s) in " + lastApplyDuration.toMillis() + " ms");
            }
            for (String w : report.warnings()) {
                log.accept("warning: " + w);
            }
        } catch (RuntimeException e) {
            fail("apply failed (the last good state stays in force): " + e.getMessage(), seen);
        }
    }

    private void fail(String message, long seen) {
        failures.incrementAndGet();
        lastError = message;
        if (seen > 0 && changeSeenNanos < 0) {
            changeSeenNanos = seen;
        }
        log.accept(message + "; retrying in " + backoff.toMillis() + " ms");
        long at = System.nanoTime() + backoff.toNanos();
        Duration next = backoff.multipliedBy(2);
        backoff = next.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : next;
        if (pending == null || pending.isDone() || pendingAt - at > 0) {
            burstStart = -1;
            scheduleAt(at);
        }
    }

    /** Loop thread: drift repair. */
    private void refresh() {
        if (closed || appliedVersion < 0) {
            return;
        }
        try {
            ApplyReport report = dataplane.reconcile();
            if (report.changed()) {
                repairs.incrementAndGet();
                ruleChanges.addAndGet(report.changeCount());
                log.accept("repaired drift (" + report.changeCount() + " change(s)): "
                        + String.join("; ", report.changes().subList(0, Math.min(5, report.changeCount())))
                        + (report.changeCount() > 5 ? "; ..." : ""));
            }
        } catch (RuntimeException e) {
            log.accept("drift repair failed (retried next refresh): " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** True when the program of the index's current version is in force and nothing is pending or failing. */
    public boolean converged() {
        long current = index.read(idx -> idx.version());
        return ready && appliedVersion == current && lastError == null;
    }

    /** Waits until {@link #converged()}; false on timeout. */
    public boolean awaitConverged(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!converged()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Per-rule kernel counters, read on the loop thread (the dataplane is single-threaded). */
    public Map<String, RuleCounters> readCounters() {
        return onLoop(dataplane::readCounters);
    }

    /** Runs a reconcile now (on the loop thread) and returns what it repaired. */
    public ApplyReport reconcileNow() {
        return onLoop(dataplane::reconcile);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        Future<T> f = loop.submit(task);
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("the agent's loop did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public long appliedVersion() {
        return appliedVersion;
    }

    public long applyCount() {
        return applies.get();
    }

    public long failureCount() {
        return failures.get();
    }

    public long repairCount() {
        return repairs.get();
    }

    public String lastError() {
        return lastError;
    }

    public ApplyReport lastReport() {
        return lastReport;
    }

    /** Time from the first change of the last applied burst to the end of its apply. */
    public Duration lastChangeToApplied() {
        return lastChangeToApplied;
    }

    public Duration lastApplyDuration() {
        return lastApplyDuration;
    }

    /** Durations of successful applies (compile + kernel), in seconds. */
    public Histogram applyDurations() {
        return applyDurations;
    }

    /** The size of the program last applied successfully. */
    public ProgramSize programmed() {
        return programmed;
    }

    /** Kernel changes made by applies and repairs since the start. */
    public long kernelChangeCount() {
        return ruleChanges.get();
    }

    /** Whether the initial sync is done (the agent has started applying). */
    public boolean ready() {
        return ready;
    }

    /** When the last successful apply ended, or null. */
    public Instant lastApplyAt() {
        return lastApplyAt;
    }

    /**
     * Null when healthy: the last apply succeeded and every watch is open; otherwise why not (what {@code /healthz}
     * answers with a 503).
     */
    public String unhealthyReason() {
        if (closed) {
            return "the agent is stopped";
        }
        if (!ready) {
            return "the initial sync from the API server is not done";
        }
        String error = lastError;
        if (error != null) {
            return "the last apply failed (the last good state stays in force): " + error;
        }
        if (!watcher.watching()) {
            return "a watch on the API server is not open (reconnecting)";
        }
        return null;
    }

    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("node", options.node());
        s.put("ready", ready);
        s.put("converged", converged());
        s.put("applies", applies.get());
        s.put("failures", failures.get());
        s.put("driftRepairs", repairs.get());
        s.put("kernelChanges", ruleChanges.get());
        s.put("lastApply", String.valueOf(lastApplyAt));
        s.put("lastApplyMs", lastApplyDuration.toMillis());
        s.put("refreshSeconds", options.refresh().toMillis() / 1000.0);
        if (lastError != null) {
            s.put("lastError", lastError);
        }
        s.put("watch", watcher.status());
        return s;
    }

    @Override
    public void close() {
        close(false);
    }

    /** Stops watching and applying; with {@code removeKernelState} also deletes everything the dataplane owns. */
    public void close(boolean removeKernelState) {
        if (closed) {
            return;
        }
        closed = true;
        watcher.close();
        try {
            dataplane.flowLog().close();
        } catch (RuntimeException e) {
            log.accept("warning: closing the flow log: " + e.getMessage());
        }
        if (removeKernelState) {
            try {
                loop.submit(dataplane::remove).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.accept("warning: removing the dataplane state failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
