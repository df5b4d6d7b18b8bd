package dev.tortie.engine.compile;

import dev.tortie.engine.ir.IpSetDefinition;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.RuleId;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles a {@link Policy} into IR rules the way Felix's rule scanner parses rules (felix/calc/rule_scanner.go):
 * one positive selector set per side (namespace-scoped, negation folded in), named ports as (ip, proto, port) sets
 * filtered by that selector, and the plain selector set dropped when named ports alone already imply it.
 */
public final class PolicyCompiler {
    private PolicyCompiler() {}

    public static CompiledPolicy compile(Policy policy) {
        Set<IpSetDefinition> sets = new LinkedHashSet<>();
        IrPolicy ingress = policy.appliesToIngress() ? compileDirection(policy, Direction.INGRESS, sets) : null;
        IrPolicy egress = policy.appliesToEgress() ? compileDirection(policy, Direction.EGRESS, sets) : null;
        return new CompiledPolicy(policy, FelixSelectors.policySelector(policy), ingress, egress, sets);
    }

    private static IrPolicy compileDirection(Policy policy, Direction direction, Set<IpSetDefinition> sets) {
        List<Rule> rules = policy.rules(direction);
        List<IrRule> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            RuleId id = new RuleId(policy.id(), direction, i);
            out.add(new IrRule(
                    id,
                    rule.action(),
                    compileMatches(rule, policy.namespace(), sets),
                    RuleDescriber.describe(rule, policy.namespace()),
                    rule.origin()));
        }
        return new IrPolicy(policy.id(), direction, policy.order(), out);
    }

    /** The matches of one rule, in a fixed order (cheap tests first). */
    public static List<Match> compileMatches(Rule rule, String policyNamespace, Set<IpSetDefinition> sets) {
        List<Match> matches = new ArrayList<>();
        if (rule.ipVersion() != null) {
            matches.add(new Match.IpVersion(rule.ipVersion()));
        }
        if (rule.protocol() != null) {
            matches.add(new Match.ProtocolIs(rule.protocol(), false));
        }
        if (rule.notProtocol() != null) {
            matches.add(new Match.ProtocolIs(rule.notProtocol(), true));
        }
        Protocol namedPortProtocol = namedPortProtocol(rule.protocol());
        addSide(matches, Side.SOURCE, rule.source(), policyNamespace, namedPortProtocol, sets);
        addSide(matches, Side.DESTINATION, rule.destination(), policyNamespace, namedPortProtocol, sets);
        if (rule.icmp() != null) {
            matches.add(new Match.Icmp(rule.icmp().type(), rule.icmp().code(), false));
        }
        if (rule.notIcmp() != null) {
            matches.add(new Match.Icmp(rule.notIcmp().type(), rule.notIcmp().code(), true));
        }
        return matches;
    }

    private static void addSide(
            List<Match> matches,
            Side side,
            EntityRule entity,
            String policyNamespace,
            Protocol namedPortProtocol,
            Set<IpSetDefinition> sets) {
        if (!entity.nets().isEmpty()) {
            matches.add(new Match.Cidrs(side, entity.nets(), false));
        }
        if (!entity.notNets().isEmpty()) {
            matches.add(new Match.Cidrs(side, entity.notNets(), true));
        }
        String[] folded = FelixSelectors.foldNegation(
                FelixSelectors.entitySelector(entity, policyNamespace), entity.notSelector());
        Selector positive = folded[0].isEmpty() ? null : Selector.parse(folded[0]);
        Selector negative = folded[1].isEmpty() ? null : Selector.parse(folded[1]);

        List<PortSpec> numeric = numericPorts(entity.ports());
        List<String> named = namedPorts(entity.ports());
        List<PortSpec> notNumeric = numericPorts(entity.notPorts());
        List<String> notNamed = namedPorts(entity.notPorts());
        Selector portFilter = positive == null ? Selector.all() : positive;

        // Named ports already imply the selector (their sets are filtered by it); numeric ports cannot, so then the
        // plain selector set must stay.
        if (positive != null && (!numeric.isEmpty() || named.isEmpty())) {
            IpSetDefinition set = IpSetDefinition.forSelector(positive);
            sets.add(set);
            matches.add(new Match.InIpSet(side, set.id(), false));
        }
        if (negative != null) {
            IpSetDefinition set = IpSetDefinition.forSelector(negative);
            sets.add(set);
            matches.add(new Match.InIpSet(side, set.id(), true));
        }
        if (!numeric.isEmpty() || !named.isEmpty()) {
            matches.add(
                    new Match.Ports(side, numeric, namedPortSets(named, portFilter, namedPortProtocol, sets), false));
        }
        if (!notNumeric.isEmpty() || !notNamed.isEmpty()) {
            matches.add(new Match.Ports(
                    side, notNumeric, namedPortSets(notNamed, portFilter, namedPortProtocol, sets), true));
        }
    }

    private static List<String> namedPortSets(
            List<String> names, Selector filter, Protocol protocol, Set<IpSetDefinition> sets) {
        List<String> ids = new ArrayList<>(names.size());
        for (String name : names) {
            IpSetDefinition set = IpSetDefinition.forNamedPort(filter, protocol, name);
            sets.add(set);
            ids.add(set.id());
        }
        return ids;
    }

    /** Endpoints declare named ports per protocol; Felix takes the rule's protocol, TCP unless UDP or SCTP. */
    static Protocol namedPortProtocol(Protocol ruleProtocol) {
        if (Protocol.UDP.equals(ruleProtocol) || Protocol.SCTP.equals(ruleProtocol)) {
            return ruleProtocol;
        }
        return Protocol.TCP;
    }

    private static List<PortSpec> numericPorts(List<PortSpec> ports) {
        List<PortSpec> out = new ArrayList<>();
        for (PortSpec p : ports) {
            if (!p.isNamed()) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> namedPorts(List<PortSpec> ports) {
        List<String> out = new ArrayList<>();
        for (PortSpec p : ports) {
            if (p.isNamed()) {
                out.add(p.name());
            }
        }
        return out;
    }
}
