package dev.tortie.engine.eval;

import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetLookup;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a packet through one endpoint's program with Calico's semantics (felix/rules/endpoints.go): tiers in order;
 * in a tier, policies in order and rules in order; the first Allow, Deny or Pass that matches ends the tier (Log
 * records and continues); no decision means the tier's default action; after the tiers, profiles; else drop.
 */
public final class ProgramEvaluator {
    private ProgramEvaluator() {}

    public static DirectionTrace evaluate(EndpointProgram program, Packet packet, IpSetLookup sets) {
        List<TierStep> tierSteps = new ArrayList<>();
        List<RuleStep> logged = new ArrayList<>();
        for (IrTier tier : program.tiers()) {
            List<PolicyStep> policySteps = new ArrayList<>();
            Decision decided = null;
            boolean passed = false;
            for (IrPolicy policy : tier.policies()) {
                List<RuleStep> ruleSteps = new ArrayList<>();
                for (IrRule rule : policy.rules()) {
                    String failure = firstFailure(rule, packet, sets);
                    RuleStep step = new RuleStep(rule, failure == null, failure);
                    ruleSteps.add(step);
                    if (failure != null) {
                        continue;
                    }
                    if (rule.action() == Action.LOG) {
                        logged.add(step);
                        continue;
                    }
                    if (rule.action() == Action.PASS) {
                        passed = true;
                    } else {
                        Verdict v = rule.action() == Action.ALLOW ? Verdict.ALLOW : Verdict.DENY;
                        decided = new Decision(
                                Decision.Kind.RULE,
                                v,
                                rule.id().toString(),
                                rule,
                                tier.name(),
                                (v == Verdict.ALLOW ? "allowed by " : "denied by ") + rule.id());
                    }
                    break;
                }
                policySteps.add(new PolicyStep(policy.id(), ruleSteps));
                if (decided != null || passed) {
                    break;
                }
            }
            if (decided != null) {
                tierSteps.add(new TierStep(tier.name(), policySteps, TierStep.Outcome.DECIDED));
                return new DirectionTrace(program.endpoint(), program.direction(), true, tierSteps, logged, decided);
            }
            if (passed) {
                tierSteps.add(new TierStep(tier.name(), policySteps, TierStep.Outcome.PASSED_BY_RULE));
                continue;
            }
            if (tier.defaultAction() == Action.PASS) {
                tierSteps.add(new TierStep(tier.name(), policySteps, TierStep.Outcome.END_OF_TIER_PASS));
                continue;
            }
            tierSteps.add(new TierStep(tier.name(), policySteps, TierStep.Outcome.END_OF_TIER_DENY));
            Decision endOfTier = new Decision(
                    Decision.Kind.END_OF_TIER,
                    Verdict.DENY,
                    tier.endOfTierId(),
                    null,
                    tier.name(),
                    "denied at the end of tier " + tier.name() + ": policies select this endpoint for "
                            + program.direction().lowerName() + " and none of their rules matched");
            return new DirectionTrace(program.endpoint(), program.direction(), true, tierSteps, logged, endOfTier);
        }
        for (IrProfile profile : program.profiles()) {
            for (IrRule rule : profile.rules()) {
                if (firstFailure(rule, packet, sets) != null) {
                    continue;
                }
                if (rule.action() == Action.ALLOW) {
                    String why = program.tiers().isEmpty()
                            ? "no policy selects this endpoint for "
                                    + program.direction().lowerName() + ": allowed by namespace profile "
                                    + profile.name()
                            : "every tier passed: allowed by namespace profile " + profile.name();
                    Decision d = new Decision(
                            Decision.Kind.PROFILE, Verdict.ALLOW, rule.id().toString(), rule, null, why);
                    return new DirectionTrace(
                            program.endpoint(), program.direction(), program.isolated(), tierSteps, logged, d);
                }
                if (rule.action() == Action.DENY || rule.action() == Action.PASS) {
                    break;
                }
            }
        }
        Decision none = new Decision(
                Decision.Kind.NO_PROFILE,
                Verdict.DENY,
                program.noProfileId(),
                null,
                null,
                "denied: no tier decided and no profile allowed");
        return new DirectionTrace(program.endpoint(), program.direction(), program.isolated(), tierSteps, logged, none);
    }

    /** Null when every match holds; otherwise the first failing match in words. */
    static String firstFailure(IrRule rule, Packet packet, IpSetLookup sets) {
        for (Match m : rule.matches()) {
            String failure = check(m, packet, sets);
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private static String check(Match m, Packet p, IpSetLookup sets) {
        if (m instanceof Match.IpVersion v) {
            return p.src().family() == v.version() ? null : "not IPv" + v.version();
        }
        if (m instanceof Match.ProtocolIs proto) {
            boolean same = proto.protocol().equals(p.protocol());
            if (same == proto.negated()) {
                return proto.negated()
                        ? "protocol is " + p.protocol().displayName()
                        : "protocol " + p.protocol().displayName() + " is not "
                                + proto.protocol().displayName();
            }
            return null;
        }
        if (m instanceof Match.Cidrs cidrs) {
            IpAddress address = address(cidrs.side(), p);
            boolean inAny = false;
            for (Cidr c : cidrs.cidrs()) {
                if (c.contains(address)) {
                    inAny = true;
                    break;
                }
            }
            if (inAny == cidrs.negated()) {
                return (cidrs.side() == Side.SOURCE ? "source " : "destination ")
                        + address
                        + (cidrs.negated() ? " is in excluded " : " is not in ")
                        + cidrs.cidrs();
            }
            return null;
        }
        if (m instanceof Match.InIpSet set) {
            IpAddress address = address(set.side(), p);
            boolean member = sets.containsAddress(set.setId(), address);
            if (member == set.negated()) {
                return (set.side() == Side.SOURCE ? "source " : "destination ")
                        + address
                        + (set.negated() ? " is among " : " is not among ")
                        + sets.describeSet(set.setId());
            }
            return null;
        }
        if (m instanceof Match.Ports ports) {
            if (!p.protocol().supportsPorts()) {
                return "protocol " + p.protocol().displayName() + " has no ports";
            }
            IpAddress address = address(ports.side(), p);
            int port = ports.side() == Side.SOURCE ? p.srcPort() : p.dstPort();
            boolean hit = false;
            for (PortSpec r : ports.ranges()) {
                if (r.contains(port)) {
                    hit = true;
                    break;
                }
            }
            if (!hit) {
                for (String id : ports.namedPortSetIds()) {
                    if (sets.containsAddressPort(id, address, p.protocol(), port)) {
                        hit = true;
                        break;
                    }
                }
            }
            if (hit == ports.negated()) {
                String what = ports.side() == Side.SOURCE ? "source port " : "port ";
                return ports.negated()
                        ? what + port + " is excluded"
                        : what + port + " is not " + describePorts(ports, sets);
            }
            return null;
        }
        if (m instanceof Match.Icmp icmp) {
            boolean hit = p.protocol().isIcmp()
                    && p.icmpType() == icmp.type()
                    && (icmp.code() == null || icmp.code() == p.icmpCode());
            if (hit == icmp.negated()) {
                return icmp.negated() ? "ICMP type/code is excluded" : "ICMP type/code differs";
            }
            return null;
        }
        throw new IllegalStateException("unknown match " + m);
    }

    private static String describePorts(Match.Ports ports, IpSetLookup sets) {
        List<String> parts = new ArrayList<>();
        for (PortSpec r : ports.ranges()) {
            parts.add(r.toString());
        }
        for (String id : ports.namedPortSetIds()) {
            parts.add(sets.describeSet(id));
        }
        return String.join(" or ", parts);
    }

    private static IpAddress address(Side side, Packet p) {
        return side == Side.SOURCE ? p.src() : p.dst();
    }
}
