package dev.tortie.dataplane.render.iptables;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.flowlog.FlowLogConfig;
import dev.tortie.dataplane.render.ipset.IpsetNames;
import dev.tortie.dataplane.render.ipset.KernelSet;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link NodeProgram} as Felix-style iptables chains (filter table, IPv4). Pure and deterministic.
 *
 * <pre>
 * FORWARD (kernel)   1: -j tortie-FORWARD                       (the only rule tortie puts in a kernel chain)
 * tortie-FORWARD        clear tortie marks; -i cali+ -j tortie-from-wl-dispatch; -o cali+ -j tortie-to-wl-dispatch;
 *                       accept if the accept mark is set (so pod-to-pod on one node passes egress AND ingress)
 * tortie-from-wl-dispatch  -i &lt;iface&gt; -g tortie-fw-&lt;iface&gt; ... ; DROP (unknown workload interface: fail closed)
 * tortie-to-wl-dispatch    -o &lt;iface&gt; -g tortie-tw-&lt;iface&gt; ... ; DROP
 * tortie-tw-/fw-&lt;iface&gt;    ct ESTABLISHED,RELATED accept; ct INVALID drop; clear accept+pass; per tier: clear pass,
 *                       per policy "jump tortie-pi-/po-&lt;hash&gt; unless passed" + "return if accepted", end-of-tier
 *                       DROP unless passed (not for defaultAction Pass); per profile: jump + return if accepted;
 *                       DROP (no profile matched)
 * tortie-pi-/po-&lt;hash&gt;  the policy's rules: Allow = set accept mark + RETURN, Deny = DROP, Pass = set pass mark +
 *                       RETURN, Log = LOG and continue
 * tortie-pri-/pro-&lt;name&gt; the profile's rules: Allow = set accept mark + RETURN; Deny/Pass = RETURN (next profile)
 * </pre>
 *
 * Every rule carries {@code -m comment --comment "tortie:<hash>[ <rule id>]"}; every deciding rule (policy rule
 * verdict or log, end-of-tier drop, profile rule, no-profile drop, unknown-interface drop) is its own line with its id,
 * so per-rule kernel counters map back to IR rule ids.
 *
 * <p>Flow logs ({@code config.flowLogs().enabled()}): every verdict also goes to NFLOG, group {@code ingressGroup} for
 * ingress policy and {@code egressGroup} for egress, with the {@link NflogPrefix} of the deciding rule id (mapped back
 * by {@link Ruleset#nflogRuleIds()}), {@code --nflog-size} bytes of the packet and {@code --nflog-threshold} batching.
 * NFLOG does not end the traversal, so a Deny logs on its own line with the same match, just before the DROP; an Allow
 * logs right after the line that set the accept mark, matching only that mark (which only this rule can have set since
 * the mark was cleared), so its match is not evaluated twice; end-of-tier, no-profile and unknown-interface drops log
 * just before dropping. Pass, Log and a profile's Deny/Pass decide nothing and are not logged. The NFLOG lines carry no
 * rule id in their comment, so counters are not counted twice. Only new flows reach policy (the endpoint chains accept
 * established and related traffic first), so there is one NFLOG message per new flow and deciding direction.
 *
 * <p>Scope, on purpose: IPv4 only (an IPv6-only rule is not rendered and is listed in {@link Ruleset#notes()});
 * forwarded traffic only (workload to its own host, INPUT/OUTPUT, host endpoints and failsafes are not policed); Log
 * is the kernel LOG target; no encapsulation (VXLAN/IPIP) bypass guard; the dispatch tree is one
 * level deep. See {@link MatchCompiler} for how matches become iptables arguments (CIDR lists as auxiliary hash:net
 * sets, OR-shaped port matches as match blocks).
 */
public final class IptablesRenderer {
    /** Rule id of the dispatch chains' final drop, per direction of the workload. */
    public static final String UNKNOWN_INTERFACE_FROM = "dataplane/unknown-interface/egress";

    public static final String UNKNOWN_INTERFACE_TO = "dataplane/unknown-interface/ingress";

    private final DataplaneConfig config;
    private final NodeProgram program;
    private final Map<String, KernelSet> auxiliarySets = new TreeMap<>();
    private final Map<String, IptablesChain> policyChains = new TreeMap<>();
    private final Map<String, IrPolicy> policiesByChain = new TreeMap<>();
    private final Map<String, IptablesChain> profileChains = new TreeMap<>();
    private final Map<String, IrProfile> profilesByChain = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<Long, String> nflogRuleIds = new TreeMap<>();
    private final MatchCompiler matches;

    private IptablesRenderer(NodeProgram program, DataplaneConfig config) {
        this.program = program;
        this.config = config;
        this.matches = new MatchCompiler(config.scratch0Mark(), config.scratch1Mark(), new MatchCompiler.Sets() {
            @Override
            public String setName(String setId) {
                return program.ipSets().containsKey(setId) ? IpsetNames.main(setId) : null;
            }

            @Override
            public Protocol namedPortProtocol(String setId) {
                IpSetContent c = program.ipSets().get(setId);
                return c == null ? null : c.definition().namedPortProtocol();
            }

            @Override
            public String cidrSet(List<Cidr> cidrs) {
                String name = IpsetNames.main(IpsetNames.cidrSetId(cidrs));
                List<String> members = new ArrayList<>();
                for (Cidr c : cidrs) {
                    members.add(c.toString());
                }
                auxiliarySets.putIfAbsent(
                        name,
                        new KernelSet(
                                name,
                                KernelSet.HASH_NET,
                                config.maxSetSize(),
                                members,
                                "CIDRs " + String.join(", ", members)));
                return name;
            }
        });
    }

    public static Ruleset render(NodeProgram program, DataplaneConfig config) {
        return new IptablesRenderer(program, config).render();
    }

    /** The host-side interface of an endpoint under this configuration. */
    public static String workloadInterface(LocalEndpoint endpoint, DataplaneConfig config) {
        return Names.workloadInterface(config.namingPrefix(), endpoint.namespace(), endpoint.name());
    }

    private record Workload(String iface, String key, String toChain, String fromChain) {}

    private Ruleset render() {
        Map<String, Workload> workloads = new TreeMap<>();
        List<IptablesChain> endpointChains = new ArrayList<>();
        for (LocalEndpoint e : program.endpoints()) {
            String iface = workloadInterface(e, config);
            Workload w = new Workload(iface, e.key(), ChainNames.toWorkload(iface), ChainNames.fromWorkload(iface));
            Workload previous = workloads.put(iface, w);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "endpoints " + previous.key() + " and " + e.key() + " map to the same interface " + iface);
            }
            endpointChains.add(endpointChain(w.toChain(), "ingress of " + e.key() + " (to workload)", e.ingress()));
            endpointChains.add(endpointChain(w.fromChain(), "egress of " + e.key() + " (from workload)", e.egress()));
        }
        endpointChains.sort((a, b) -> a.name().compareTo(b.name()));

        List<IptablesChain> chains = new ArrayList<>();
        chains.add(forwardChain());
        chains.addAll(dispatch(workloads, true));
        chains.addAll(dispatch(workloads, false));
        chains.addAll(endpointChains);
        chains.addAll(policyChains.values());
        chains.addAll(profileChains.values());
        return new Ruleset(chains, new ArrayList<>(auxiliarySets.values()), notes, nflogRuleIds);
    }

    private IptablesChain forwardChain() {
        List<IptablesRule> rules = new ArrayList<>();
        rules.add(IptablesRule.of(
                "clear tortie mark bits", "-j", "MARK", "--set-xmark", MatchCompiler.mark(0, config.allMarks())));
        for (String prefix : config.interfacePrefixes()) {
            rules.add(IptablesRule.of(
                    "from a workload: its egress policy", "-i", prefix + "+", "-j", ChainNames.FROM_WORKLOAD_DISPATCH));
        }
        for (String prefix : config.interfacePrefixes()) {
            rules.add(IptablesRule.of(
                    "to a workload: its ingress policy", "-o", prefix + "+", "-j", ChainNames.TO_WORKLOAD_DISPATCH));
        }
        rules.add(IptablesRule.of(
                "accept what policy accepted (both directions for pod-to-pod)",
                "-m",
                "mark",
                "--mark",
                acceptMark(),
                "-j",
                "ACCEPT"));
        return new IptablesChain(ChainNames.FORWARD, "entry from FORWARD", rules);
    }

    private List<IptablesChain> dispatch(Map<String, Workload> workloads, boolean fromWorkload) {
        String root = fromWorkload ? ChainNames.FROM_WORKLOAD_DISPATCH : ChainNames.TO_WORKLOAD_DISPATCH;
        String ifaceFlag = fromWorkload ? "-i" : "-o";
        String unknownId = fromWorkload ? UNKNOWN_INTERFACE_FROM : UNKNOWN_INTERFACE_TO;
        String what = fromWorkload ? "traffic from workloads" : "traffic to workloads";
        Direction unknownDirection = fromWorkload ? Direction.EGRESS : Direction.INGRESS;
        List<IptablesRule> unknown = new ArrayList<>();
        flowLog(unknownId, false, unknownDirection, List.of(), unknown);
        unknown.add(IptablesRule.decision(
                unknownId, "unknown workload interface: drop (fail closed)", List.of("-j", "DROP")));
        List<IptablesChain> out = new ArrayList<>();
        if (workloads.size() <= config.dispatchFanout()) {
            List<IptablesRule> rules = new ArrayList<>();
            for (Workload w : workloads.values()) {
                rules.add(gotoEndpoint(w, ifaceFlag, fromWorkload));
            }
            rules.addAll(unknown);
            out.add(new IptablesChain(root, "dispatch " + what + " by interface", rules));
            return out;
        }
        int at = config.namingPrefix().length();
        Map<String, List<Workload>> bins = new TreeMap<>();
        for (Workload w : workloads.values()) {
            bins.computeIfAbsent(w.iface().substring(at, at + 1), k -> new ArrayList<>())
                    .add(w);
        }
        List<IptablesRule> rootRules = new ArrayList<>();
        Map<String, IptablesChain> binChains = new LinkedHashMap<>();
        for (Map.Entry<String, List<Workload>> bin : bins.entrySet()) {
            String binChain = ChainNames.dispatchBin(root, bin.getKey());
            String pattern = config.namingPrefix() + bin.getKey() + "+";
            rootRules.add(IptablesRule.of("interfaces " + pattern, ifaceFlag, pattern, "-g", binChain));
            List<IptablesRule> rules = new ArrayList<>();
            for (Workload w : bin.getValue()) {
                rules.add(gotoEndpoint(w, ifaceFlag, fromWorkload));
            }
            rules.addAll(unknown);
            binChains.put(binChain, new IptablesChain(binChain, "dispatch " + what + " on " + pattern, rules));
        }
        rootRules.addAll(unknown);
        out.add(new IptablesChain(root, "dispatch " + what + " by interface (tree)", rootRules));
        out.addAll(binChains.values());
        return out;
    }

    private static IptablesRule gotoEndpoint(Workload w, String ifaceFlag, boolean fromWorkload) {
        return IptablesRule.of(
                w.key() + (fromWorkload ? " egress" : " ingress"),
                ifaceFlag,
                w.iface(),
                "-g",
                fromWorkload ? w.fromChain() : w.toChain());
    }

    private IptablesChain endpointChain(String name, String description, EndpointProgram p) {
        List<IptablesRule> rules = new ArrayList<>();
        rules.add(IptablesRule.of(
                "accept established and related",
                "-m",
                "conntrack",
                "--ctstate",
                "RELATED,ESTABLISHED",
                "-j",
                "ACCEPT"));
        rules.add(IptablesRule.of("drop invalid", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP"));
        rules.add(IptablesRule.of(
                "clear accept and pass marks",
                "-j",
                "MARK",
                "--set-xmark",
                MatchCompiler.mark(0, config.acceptMark() | config.passMark())));
        for (IrTier tier : p.tiers()) {
            rules.add(IptablesRule.of(
                    "start of tier " + tier.name(),
                    "-j",
                    "MARK",
                    "--set-xmark",
                    MatchCompiler.mark(0, config.passMark())));
            for (IrPolicy policy : tier.policies()) {
                String chain = policyChain(policy);
                rules.add(IptablesRule.of(
                        "policy " + policy.id() + " unless passed", "-m", "mark", "--mark", passClear(), "-j", chain));
                rules.add(IptablesRule.of(
                        "return if policy " + policy.id() + " accepted",
                        "-m",
                        "mark",
                        "--mark",
                        acceptMark(),
                        "-j",
                        "RETURN"));
            }
            if (tier.defaultAction() != Action.PASS) {
                flowLog(tier.endOfTierId(), false, p.direction(), List.of("-m", "mark", "--mark", passClear()), rules);
                rules.add(IptablesRule.decision(
                        tier.endOfTierId(),
                        "end of tier " + tier.name() + ": drop if no policy passed",
                        List.of("-m", "mark", "--mark", passClear(), "-j", "DROP")));
            }
        }
        for (IrProfile profile : p.profiles()) {
            if (profile.rules().isEmpty()) {
                continue; // a label-only profile (ksa.*) can neither allow nor stop anything
            }
            String chain = profileChain(profile, p.direction());
            rules.add(IptablesRule.of("profile " + profile.name(), "-j", chain));
            rules.add(IptablesRule.of(
                    "return if profile " + profile.name() + " accepted",
                    "-m",
                    "mark",
                    "--mark",
                    acceptMark(),
                    "-j",
                    "RETURN"));
        }
        flowLog(p.noProfileId(), false, p.direction(), List.of(), rules);
        rules.add(IptablesRule.decision(p.noProfileId(), "drop: no profile matched", List.of("-j", "DROP")));
        return new IptablesChain(name, description, rules);
    }

    private String policyChain(IrPolicy policy) {
        String name = ChainNames.policy(policy.id(), policy.direction());
        IrPolicy seen = policiesByChain.get(name);
        if (seen != null) {
            if (!seen.equals(policy)) {
                throw new IllegalArgumentException(
                        "policy " + policy.id() + " " + policy.direction().lowerName()
                                + " appears with two different rule lists (or its chain name collides)");
            }
            return name;
        }
        policiesByChain.put(name, policy);
        List<IptablesRule> rules = new ArrayList<>();
        for (IrRule rule : policy.rules()) {
            renderRule(rule, false, policy.direction(), rules);
        }
        policyChains.put(
                name,
                new IptablesChain(
                        name, "policy " + policy.id() + " " + policy.direction().lowerName(), rules));
        return name;
    }

    private String profileChain(IrProfile profile, Direction direction) {
        String name = ChainNames.profile(profile.name(), direction);
        IrProfile seen = profilesByChain.get(name);
        if (seen != null) {
            if (!seen.equals(profile)) {
                throw new IllegalArgumentException("profile " + profile.name() + " appears with two rule lists");
            }
            return name;
        }
        profilesByChain.put(name, profile);
        List<IptablesRule> rules = new ArrayList<>();
        for (IrRule rule : profile.rules()) {
            renderRule(rule, true, direction, rules);
        }
        profileChains.put(
                name, new IptablesChain(name, "profile " + profile.name() + " " + direction.lowerName(), rules));
        return name;
    }

    private void renderRule(IrRule rule, boolean inProfile, Direction direction, List<IptablesRule> out) {
        MatchCompiler.Result m = matches.compile(rule);
        String id = rule.id().toString();
        if (m.skipped()) {
            notes.add(id + ": " + m.skipReason());
            return;
        }
        for (List<String> pre : m.preRules()) {
            out.add(new IptablesRule(pre, null, "match block of " + id));
        }
        List<String> args = new ArrayList<>(m.inline());
        String summary = rule.summary() == null ? rule.action().displayName() : rule.summary();
        switch (rule.action()) {
            case ALLOW -> {
                args.addAll(List.of("-j", "MARK", "--set-xmark", acceptMark()));
                out.add(IptablesRule.decision(id, summary, args));
                flowLog(id, true, direction, List.of("-m", "mark", "--mark", acceptMark()), out);
                out.add(IptablesRule.of("return: accepted", "-m", "mark", "--mark", acceptMark(), "-j", "RETURN"));
            }
            case DENY -> {
                if (!inProfile) {
                    flowLog(id, false, direction, m.inline(), out);
                }
                args.addAll(inProfile ? List.of("-j", "RETURN") : List.of("-j", "DROP"));
                out.add(IptablesRule.decision(id, summary, args));
            }
            case PASS -> {
                if (inProfile) {
                    args.addAll(List.of("-j", "RETURN"));
                    out.add(IptablesRule.decision(id, summary, args));
                } else {
                    String pass = MatchCompiler.mark(config.passMark(), config.passMark());
                    args.addAll(List.of("-j", "MARK", "--set-xmark", pass));
                    out.add(IptablesRule.decision(id, summary, args));
                    out.add(IptablesRule.of("return: passed", "-m", "mark", "--mark", pass, "-j", "RETURN"));
                }
            }
            case LOG -> {
                args.addAll(List.of("-j", "LOG", "--log-prefix", logPrefix(rule)));
                out.add(IptablesRule.decision(id, summary, args));
            }
        }
    }

    /**
     * When flow logs are on: the NFLOG line of the verdict {@code ruleId} makes, matching {@code match}, and the
     * prefix's number in the ruleset's map.
     */
    private void flowLog(
            String ruleId, boolean allow, Direction direction, List<String> match, List<IptablesRule> out) {
        FlowLogConfig flowLogs = config.flowLogs();
        if (!flowLogs.enabled()) {
            return;
        }
        NflogPrefix prefix = NflogPrefix.of(ruleId, allow, direction);
        String seen = nflogRuleIds.putIfAbsent(prefix.numericId(), ruleId);
        if (seen != null && !seen.equals(ruleId)) {
            notes.add("flow log: rule ids " + seen + " and " + ruleId + " share the NFLOG number "
                    + prefix.text().substring(NflogPrefix.LENGTH - 16) + "; flows of the second are attributed to the"
                    + " first");
        }
        List<String> args = new ArrayList<>(match);
        args.addAll(List.of(
                "-j",
                "NFLOG",
                "--nflog-group",
                Integer.toString(flowLogs.group(direction)),
                "--nflog-prefix",
                prefix.text(),
                "--nflog-size",
                Integer.toString(flowLogs.copyBytes()),
                "--nflog-threshold",
                Integer.toString(flowLogs.kernelBatch())));
        out.add(new IptablesRule(args, null, "flow log: " + (allow ? "allow" : "deny") + " by " + ruleId));
    }

    /** {@code <logPrefix>:<16-char rule id hash> }, at most 29 characters (the kernel's limit). */
    private String logPrefix(IrRule rule) {
        String hash = rule.id().hash();
        String base = config.logPrefix().replace('"', '\'');
        int room = 29 - hash.length() - 2;
        if (base.length() > room) {
            base = base.substring(0, room);
        }
        return base + ":" + hash + " ";
    }

    private String acceptMark() {
        return MatchCompiler.mark(config.acceptMark(), config.acceptMark());
    }

    private String passClear() {
        return MatchCompiler.mark(0, config.passMark());
    }
}
