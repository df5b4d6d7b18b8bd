package dev.tortie.dataplane.driver;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.dataplane.flowlog.NflogReader;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.plan.IpsetPlan;
import dev.tortie.dataplane.plan.IpsetPlanner;
import dev.tortie.dataplane.plan.IptablesPlan;
import dev.tortie.dataplane.plan.IptablesPlanner;
import dev.tortie.dataplane.plan.ObservedRule;
import dev.tortie.dataplane.plan.ObservedSet;
import dev.tortie.dataplane.plan.ObservedTable;
import dev.tortie.dataplane.render.ipset.IpsetRenderer;
import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.dataplane.render.ipset.KernelSet;
import dev.tortie.dataplane.render.iptables.IptablesChain;
import dev.tortie.dataplane.render.iptables.IptablesRenderer;
import dev.tortie.dataplane.render.iptables.Ruleset;
import dev.tortie.engine.ir.NodeProgram;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The iptables + ipset dataplane. Each apply or reconcile re-reads the kernel, plans the minimal delta and applies it
 * in Felix's order:
 *
 * <ol>
 *   <li>{@code ipset restore}: create sets, add and delete members (before any rule uses them);
 *   <li>{@code iptables-restore --noflush}: the whole filter delta in one atomic transaction;
 *   <li>{@code ipset restore}: destroy sets no rule references any more.
 * </ol>
 *
 * When step 1 or 2 fails, the IP sets are put back as they were read, so the previous good state stays in force, and a
 * {@link DataplaneException} carries the failing argv and stderr; the program stays the desired state, so {@link
 * #reconcile()} or another apply retries.
 *
 * <p>Flow logs: the rendered rules log every verdict to NFLOG ({@link IptablesRenderer}); {@link #flowLog()} reads them
 * with an {@link NflogReader} in the node's network namespace (the one given to the constructor) and resolves the
 * prefixes through the rule ids of every ruleset applied so far.
 */
public final class IptablesDataplane implements Dataplane {
    /** What to program: the rendered ruleset and sets. */
    public record Rendering(Ruleset ruleset, IpsetRendering sets) {}

    private final CommandRunner runner;
    private final DataplaneConfig config;
    private final String netns;
    private final Map<Long, String> nflogRuleIds = new ConcurrentHashMap<>();
    private final FlowLog flowLog;
    private final IpsetDriver ipsets;
    private IptablesDriver iptables;
    private Rendering desired;
    private UnaryOperator<String> restoreHook = UnaryOperator.identity();

    /**
     * A dataplane for the namespace {@code runner} runs its commands in; its flow log reads NFLOG in the calling
     * process's network namespace (see {@link #IptablesDataplane(CommandRunner, DataplaneConfig, String)}).
     */
    public IptablesDataplane(CommandRunner runner, DataplaneConfig config) {
        this(runner, config, null);
    }

    /**
     * @param runner runs iptables, ipset, ... where the workload interfaces are (e.g. {@code runner.inNetns(ns)})
     * @param netns the named network namespace {@code runner} works in, where the flow log's NFLOG socket is opened;
     *     null for the calling process's own (an agent on the host)
     */
    public IptablesDataplane(CommandRunner runner, DataplaneConfig config, String netns) {
        this.runner = Objects.requireNonNull(runner, "runner == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.netns = netns;
        this.ipsets = new IpsetDriver(runner);
        this.flowLog = FlowLog.of(
                "iptables (nflog)",
                config.flowLogs(),
                Clock.systemUTC(),
                () -> List.of(new NflogReader(netns, config.flowLogs(), nflogRuleIds::get)));
    }

    /** Renders a program for this dataplane without touching the kernel (what {@code render} and dry runs show). */
    public static Rendering render(NodeProgram program, DataplaneConfig config) {
        Ruleset ruleset = IptablesRenderer.render(program, config);
        return new Rendering(ruleset, IpsetRenderer.render(program, ruleset.auxiliarySets(), config));
    }

    /**
     * Test hook: rewrites the main iptables-restore transaction before it is sent (e.g. to inject a rule the kernel
     * rejects). Identity by default.
     */
    public synchronized IptablesDataplane withRestoreHook(UnaryOperator<String> hook) {
        this.restoreHook = Objects.requireNonNull(hook, "hook == null");
        return this;
    }

    /** The backend in use (detected on first use when the configuration says AUTO). */
    public synchronized IptablesBackend backend() {
        return driver().backend();
    }

    /** The last rendering passed to {@link #apply}, or null. */
    public synchronized Rendering desired() {
        return desired;
    }

    @Override
    public synchronized ApplyReport apply(NodeProgram program) {
        desired = render(program, config);
        // Before the rules exist, so the reader can name every flow they log; ids of earlier rulesets stay (their
        // messages may still be queued).
        nflogRuleIds.putAll(desired.ruleset().nflogRuleIds());
        return sync(desired);
    }

    /** The NFLOG reader's flow log (not synchronized with apply: safe to call from any thread). */
    @Override
    public FlowLog flowLog() {
        return flowLog;
    }

    /** The network namespace of the flow log's NFLOG socket, or null for the process's own. */
    public String netns() {
        return netns;
    }

    @Override
    public synchronized ApplyReport reconcile() {
        if (desired == null) {
            return ApplyReport.noChange(Duration.ZERO);
        }
        return sync(desired);
    }

    @Override
    public synchronized Map<String, RuleCounters> readCounters() {
        ObservedTable table = driver().read();
        Map<String, RuleCounters> out = new TreeMap<>();
        for (List<ObservedRule> rules : table.chains().values()) {
            for (ObservedRule r : rules) {
                if (r.commentId() == null) {
                    continue;
                }
                String id = desired == null ? r.commentId() : desired.ruleset().ruleIdForComment(r.commentId());
                out.merge(id, new RuleCounters(r.packets(), r.bytes()), RuleCounters::plus);
            }
        }
        return out;
    }

    @Override
    public synchronized ApplyReport remove() {
        long start = System.nanoTime();
        ObservedTable table = driver().read();
        Map<String, ObservedSet> sets = ipsets.read();
        IptablesPlan tablePlan = IptablesPlanner.removal(table);
        IpsetPlan setPlan = IpsetPlanner.removal(sets);
        if (!tablePlan.isEmpty()) {
            driver().restore(tablePlan.restoreText(), "iptables-restore (remove tortie chains)");
        }
        if (!setPlan.after().isEmpty()) {
            ipsets.restore(setPlan.after(), "ipset restore (destroy tortie sets)");
        }
        desired = null;
        List<String> changes = new ArrayList<>(tablePlan.changes());
        changes.addAll(setPlan.changes());
        return new ApplyReport(changes, List.of(), Duration.ofNanos(System.nanoTime() - start));
    }

    private ApplyReport sync(Rendering want) {
        long start = System.nanoTime();
        IptablesDriver tables = driver();
        ObservedTable table = tables.read();
        Map<String, ObservedSet> sets = ipsets.read();

        IpsetPlan setPlan = IpsetPlanner.plan(want.sets(), sets);
        Set<String> quarantine = chainsMatchingOn(table, setPlan.recreated());
        Set<String> force = new TreeSet<>(quarantine);
        for (IptablesChain c : want.ruleset().chains()) {
            for (String s : c.referencedSets()) {
                if (setPlan.recreated().contains(s)) {
                    force.add(c.name());
                }
            }
        }
        IptablesPlan tablePlan = IptablesPlanner.plan(want.ruleset(), table, force);
        if (setPlan.isEmpty() && tablePlan.isEmpty()) {
            return ApplyReport.noChange(Duration.ofNanos(System.nanoTime() - start));
        }

        boolean quarantined = false;
        if (!quarantine.isEmpty()) {
            tables.restore(
                    IptablesPlanner.quarantine(quarantine), "iptables-restore (quarantine chains for set repair)");
            quarantined = true;
        }
        if (!setPlan.before().isEmpty()) {
            try {
                ipsets.restore(setPlan.before(), "ipset restore (create and update sets)");
            } catch (DataplaneException e) {
                throw rollback(sets, e, quarantined);
            }
        }
        if (!tablePlan.isEmpty()) {
            try {
                tables.restore(restoreHook.apply(tablePlan.restoreText()), "iptables-restore (filter delta)");
            } catch (DataplaneException e) {
                throw rollback(sets, e, quarantined);
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!setPlan.after().isEmpty()) {
            try {
                ipsets.restore(setPlan.after(), "ipset restore (destroy unused sets)");
            } catch (DataplaneException e) {
                warnings.add("unused sets not destroyed yet (retried on the next reconcile): " + e.getMessage());
            }
        }
        List<String> changes = new ArrayList<>(setPlan.changes());
        changes.addAll(tablePlan.changes());
        return new ApplyReport(changes, warnings, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Puts the IP sets back as they were read before this apply, then returns the exception to throw. */
    private DataplaneException rollback(Map<String, ObservedSet> before, DataplaneException failure, boolean changed) {
        try {
            List<KernelSet> previous = new ArrayList<>();
            for (ObservedSet s : before.values()) {
                previous.add(s.toKernelSet());
            }
            IpsetPlan back = IpsetPlanner.plan(new IpsetRendering(previous), ipsets.read());
            if (!back.before().isEmpty()) {
                ipsets.restore(back.before(), "ipset restore (roll back)");
            }
            if (!back.after().isEmpty()) {
                ipsets.restore(back.after(), "ipset restore (roll back: destroy new sets)");
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return new DataplaneException(failure.stage(), failure.result(), true, failure);
        }
        return changed ? new DataplaneException(failure.stage(), failure.result(), true, failure) : failure;
    }

    private static Set<String> chainsMatchingOn(ObservedTable table, Set<String> sets) {
        Set<String> out = new TreeSet<>();
        if (sets.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, List<ObservedRule>> e : table.chains().entrySet()) {
            for (ObservedRule r : e.getValue()) {
                for (String s : r.setNames()) {
                    if (sets.contains(s)) {
                        out.add(e.getKey());
                    }
                }
            }
        }
        return out;
    }

    private IptablesDriver driver() {
        if (iptables == null) {
            iptables = new IptablesDriver(runner, IptablesBackend.detect(runner, config.iptablesMode()));
        }
        return iptables;
    }
}
