package dev.tortie.shell.probe;

import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.lab.ProbeProgress;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.shell.agent.NodeAgent;
import dev.tortie.shell.lab.Lab;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.TortieException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code trace --live}: sends a real probe and reads the dataplane's per-rule counters before and after, so the rule
 * the kernel matched is named next to the rule the engine predicts. Every deciding kernel rule carries its IR rule id
 * (policy rules, end-of-tier drops, profile rules, the no-profile drop), so the counter deltas of one probe name, per
 * direction, the Log rules that fired, any Pass, and the one rule that decided.
 *
 * <p>Probes run one at a time so counters are not mixed; the lab has no other traffic.
 */
public final class LiveTrace {
    /** A kernel rule whose counters moved during the probe. */
    public record Hit(String ruleId, Direction direction, String action, long packets) {}

    /**
     * One live-traced flow.
     *
     * @param kernelDecision per direction, the deciding rule the kernel matched (absent: not reached)
     * @param engineDecision per direction, the rule the engine names
     */
    public record Result(
            LabProbes.Measured probe,
            List<Hit> hits,
            Map<Direction, String> kernelDecision,
            Map<Direction, String> engineDecision,
            boolean agree,
            String explanation) {}

    /**
     * Counter ids a dataplane keeps per endpoint for its own plumbing rather than for a policy decision (the eBPF
     * dataplane counts packets of established connections, ARP and dropped IPv6): {@code endpoint/NS/POD/DIR/WHAT},
     * except the no-profile drop, which is a decision.
     */
    private static final java.util.regex.Pattern PLUMBING =
            java.util.regex.Pattern.compile("^endpoint/[^/]+/[^/]+/(ingress|egress)/(?!no-profile$)[^/]+$");

    private LiveTrace() {}

    /**
     * Live-traces each flow (which must have an engine trace) through the lab's agent.
     *
     * @param read runs a query on the shell's index (for rule actions)
     */
    public static List<Result> run(
            Lab lab,
            List<LabProbes.Flow> flows,
            Duration timeout,
            Function<Function<ClusterIndex, Map<String, Action>>, Map<String, Action>> read) {
        LabProbes.requireProbes(lab);
        NodeAgent agent = lab.agent();
        if (agent == null) {
            throw TortieException.cluster("the lab runs no agent, so there are no kernel counters to read", null);
        }
        List<Result> out = new ArrayList<>();
        for (LabProbes.Flow f : flows) {
            Map<String, Action> actions = read.apply(index -> actionsFor(index, f));
            Map<String, RuleCounters> before = agent.readCounters();
            LabProbes.Measured m =
                    LabProbes.run(lab, List.of(f), timeout, ProbeProgress.NONE).get(0);
            Map<String, RuleCounters> after = agent.readCounters();
            out.add(compare(f, m, delta(before, after, actions)));
        }
        return out;
    }

    /** Rule id -> action for the rules of the source's egress and the destination's ingress. */
    private static Map<String, Action> actionsFor(ClusterIndex index, LabProbes.Flow f) {
        Map<String, Action> actions = new HashMap<>();
        FlowTrace t = f.trace();
        if (t == null) {
            return actions;
        }
        if (t.source().inCluster()) {
            collect(index, t.source().endpoint(), Direction.EGRESS, actions);
        }
        if (t.destination().inCluster()) {
            collect(index, t.destination().endpoint(), Direction.INGRESS, actions);
        }
        return actions;
    }

    private static void collect(ClusterIndex index, Endpoint e, Direction d, Map<String, Action> actions) {
        Endpoint current = index.endpoint(e.namespace(), e.name());
        if (current == null) {
            return;
        }
        EndpointProgram p = index.program(current, d);
        for (IrTier tier : p.tiers()) {
            for (IrPolicy policy : tier.policies()) {
                for (IrRule r : policy.rules()) {
                    actions.put(r.id().toString(), r.action());
                }
            }
            actions.put(tier.endOfTierId(), Action.DENY);
        }
        for (IrProfile profile : p.profiles()) {
            for (IrRule r : profile.rules()) {
                actions.put(r.id().toString(), r.action());
            }
        }
        actions.put(p.noProfileId(), Action.DENY);
    }

    private static List<Hit> delta(
            Map<String, RuleCounters> before, Map<String, RuleCounters> after, Map<String, Action> actions) {
        List<Hit> hits = new ArrayList<>();
        for (Map.Entry<String, RuleCounters> e : after.entrySet()) {
            String id = e.getKey();
            Direction d = directionOf(id);
            if (d == null) {
                continue; // plumbing rules (dispatch jumps, conntrack, marks) carry no rule id
            }
            if (PLUMBING.matcher(id).matches()) {
                continue; // the dataplane's own counters: connection tracking fast path, ARP, IPv6 drops
            }
            long was = before.getOrDefault(id, RuleCounters.ZERO).packets();
            long packets = e.getValue().packets() - was;
            if (packets > 0) {
                Action a = actions.get(id);
                hits.add(new Hit(id, d, a == null ? "?" : a.displayName(), packets));
            }
        }
        return hits;
    }

    /** The direction named in a rule id ({@code .../ingress/0}, {@code tier/x/egress/end}), or null. */
    static Direction directionOf(String id) {
        String[] parts = id.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (parts[i].equals("ingress")) {
                return Direction.INGRESS;
            }
            if (parts[i].equals("egress")) {
                return Direction.EGRESS;
            }
        }
        return null;
    }

    private static Result compare(LabProbes.Flow f, LabProbes.Measured m, List<Hit> hits) {
        Map<Direction, String> kernel = new LinkedHashMap<>();
        Map<Direction, List<String>> ambiguous = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Hit h : hits) {
            if (h.action().equals("?")) {
                unknown.add(h.ruleId());
            }
            if (h.action().equals("Log") || h.action().equals("Pass")) {
                continue;
            }
            String previous = kernel.putIfAbsent(h.direction(), h.ruleId());
            if (previous != null) {
                ambiguous
                        .computeIfAbsent(h.direction(), d -> new ArrayList<>(List.of(previous)))
                        .add(h.ruleId());
            }
        }
        Map<Direction, String> engine = new LinkedHashMap<>();
        FlowTrace t = f.trace();
        if (t != null) {
            put(engine, Direction.EGRESS, t.egress());
            put(engine, Direction.INGRESS, t.ingress());
        }
        List<String> problems = new ArrayList<>();
        if (m.disagrees()) {
            problems.add(
                    "the kernel's verdict (" + m.verdict() + ") differs from the prediction (" + m.predicted() + ")");
        }
        if (!m.known()) {
            problems.add("the probe could not decide: " + m.detail());
        }
        if (!unknown.isEmpty()) {
            problems.add("the kernel counted rules the engine's programs for these pods do not have: " + unknown);
        }
        for (Direction d : List.of(Direction.EGRESS, Direction.INGRESS)) {
            String k = kernel.get(d);
            String e = engine.get(d);
            if (ambiguous.containsKey(d)) {
                problems.add(d.lowerName() + ": several deciding rules counted packets: " + ambiguous.get(d));
            } else if (k == null && e != null) {
                boolean droppedEarlier = d == Direction.INGRESS
                        && kernel.get(Direction.EGRESS) != null
                        && m.verdict().equals("deny")
                        && t != null
                        && t.egress() != null
                        && t.egress().verdict().lowerName().equals("deny");
                if (!droppedEarlier && m.known()) {
                    problems.add(d.lowerName() + ": no kernel rule counted the probe");
                }
            } else if (k != null && !k.equals(e)) {
                problems.add(d.lowerName() + ": the kernel matched " + k + ", the engine names " + e);
            }
        }
        boolean agree = problems.isEmpty();
        String explanation = agree ? "the kernel matched the rules the engine names" : String.join("; ", problems);
        return new Result(m, hits, kernel, engine, agree, explanation);
    }

    private static void put(Map<Direction, String> engine, Direction d, DirectionTrace side) {
        if (side != null) {
            engine.put(d, side.decision().ruleId());
        }
    }

    /** 0 all allowed, 1 all denied (and everything agreed), 2 mixed, unknown or any disagreement. */
    public static ExitCode exitCode(List<Result> results) {
        List<LabProbes.Measured> measured = new ArrayList<>();
        for (Result r : results) {
            if (!r.agree()) {
                return ExitCode.UNDECIDED;
            }
            measured.add(r.probe());
        }
        return LabProbes.exitCode(measured);
    }

    /** The JSON/YAML form of one result. */
    public static Map<String, Object> tree(Result r) {
        Map<String, Object> m = new LinkedHashMap<>(r.probe().cell());
        Map<String, Object> kernel = new LinkedHashMap<>();
        Map<String, Object> engine = new LinkedHashMap<>();
        for (Direction d : List.of(Direction.EGRESS, Direction.INGRESS)) {
            kernel.put(d.lowerName(), r.kernelDecision().get(d));
            engine.put(d.lowerName(), r.engineDecision().get(d));
        }
        m.put("kernelRule", kernel);
        m.put("engineRule", engine);
        List<Object> hits = new ArrayList<>();
        for (Hit h : r.hits()) {
            Map<String, Object> hit = new LinkedHashMap<>();
            hit.put("rule", h.ruleId());
            hit.put("direction", h.direction().lowerName());
            hit.put("action", h.action());
            hit.put("packets", h.packets());
            hits.add(hit);
        }
        m.put("counters", hits);
        m.put("agree", r.agree());
        m.put("explanation", r.explanation());
        return m;
    }
}
