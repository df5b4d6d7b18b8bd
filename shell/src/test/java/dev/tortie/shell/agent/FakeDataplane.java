package dev.tortie.shell.agent;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.dataplane.flowlog.FlowLogConfig;
import dev.tortie.dataplane.render.ipset.KernelSet;
import dev.tortie.dataplane.render.iptables.IptablesChain;
import dev.tortie.engine.ir.NodeProgram;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dataplane for tests without a kernel: "programs" an in-memory kernel (the iptables rendering of each program, as
 * {@link KernelState}), can be told to fail, and has a flow log fed by the test through its aggregator.
 */
final class FakeDataplane implements Dataplane {
    private final FlowLog flowLog = FlowLog.of("fake", FlowLogConfig.defaults(), Clock.systemUTC(), List::of);
    private volatile KernelState kernel =
            new KernelState(Dataplanes.IPTABLES, "cali", Map.of(), List.of(), Map.of(), Map.of());
    private volatile String failWith;
    volatile int applies;

    @Override
    public synchronized ApplyReport apply(NodeProgram program) {
        if (failWith != null) {
            throw new IllegalStateException(failWith);
        }
        applies++;
        kernel = render(program);
        return new ApplyReport(
                List.of("applied " + program.endpoints().size() + " endpoint(s)"), List.of(), Duration.ZERO);
    }

    static KernelState render(NodeProgram program) {
        IptablesDataplane.Rendering r = IptablesDataplane.render(program, DataplaneConfig.defaults());
        Map<String, List<String>> chains = new TreeMap<>();
        for (IptablesChain c : r.ruleset().chains()) {
            chains.put(c.name(), c.hashes());
        }
        Map<String, KernelState.SetState> sets = new TreeMap<>();
        for (KernelSet s : r.sets().sets()) {
            sets.put(s.name(), new KernelState.SetState(s.type(), s.members()));
        }
        List<String> hooks = new ArrayList<>();
        hooks.add("FORWARD@0 " + r.ruleset().forwardHook().hashes().get(0));
        return new KernelState(Dataplanes.IPTABLES, "cali", chains, hooks, sets, Map.of());
    }

    void failWith(String message) {
        failWith = message;
    }

    KernelState kernel() {
        return kernel;
    }

    void setKernel(KernelState state) {
        kernel = state;
    }

    @Override
    public ApplyReport reconcile() {
        return ApplyReport.noChange(Duration.ZERO);
    }

    @Override
    public Map<String, RuleCounters> readCounters() {
        return Map.of();
    }

    @Override
    public ApplyReport remove() {
        return ApplyReport.noChange(Duration.ZERO);
    }

    @Override
    public FlowLog flowLog() {
        return flowLog;
    }
}
