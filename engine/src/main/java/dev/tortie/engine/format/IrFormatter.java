package dev.tortie.engine.format;

import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IpSetLookup;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrProfile;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.net.Cidr;
import java.util.ArrayList;
import java.util.List;

/** The IR as an indented listing, one match per line, every rule with its id: stable enough for golden files. */
public final class IrFormatter {
    private IrFormatter() {}

    public static String format(NodeProgram program, IpSetLookup sets) {
        StringBuilder sb = new StringBuilder();
        for (LocalEndpoint e : program.endpoints()) {
            sb.append("endpoint ").append(e.key()).append(' ').append(e.ips()).append('\n');
            appendProgram(sb, e.ingress(), sets, "  ");
            appendProgram(sb, e.egress(), sets, "  ");
        }
        sb.append("ip sets\n");
        for (IpSetContent set : program.ipSets().values()) {
            sb.append("  ")
                    .append(set.definition().id())
                    .append(' ')
                    .append(set.definition().type().ipsetType());
            sb.append("  # ").append(set.definition().describe()).append('\n');
            for (String member : set.members()) {
                sb.append("    ").append(member).append('\n');
            }
        }
        return sb.toString();
    }

    public static String format(EndpointProgram program, IpSetLookup sets) {
        StringBuilder sb = new StringBuilder();
        appendProgram(sb, program, sets, "");
        return sb.toString();
    }

    private static void appendProgram(StringBuilder sb, EndpointProgram p, IpSetLookup sets, String indent) {
        sb.append(indent).append(p.direction().lowerName()).append(p.isolated() ? " (isolated)" : " (open)");
        sb.append('\n');
        for (IrTier tier : p.tiers()) {
            sb.append(indent)
                    .append("  tier ")
                    .append(tier.name())
                    .append(" (default action ")
                    .append(tier.defaultAction().displayName())
                    .append(")\n");
            for (IrPolicy policy : tier.policies()) {
                appendPolicy(sb, policy, sets, indent + "    ");
            }
            sb.append(indent)
                    .append("    end of tier ")
                    .append(tier.name())
                    .append(": ")
                    .append(tier.defaultAction().displayName())
                    .append("  [")
                    .append(tier.endOfTierId())
                    .append("]\n");
        }
        for (IrProfile profile : p.profiles()) {
            sb.append(indent).append("  profile ").append(profile.name()).append('\n');
            for (IrRule rule : profile.rules()) {
                appendRule(sb, rule, sets, indent + "    ");
            }
        }
        sb.append(indent).append("  drop  [").append(p.noProfileId()).append("]\n");
    }

    public static void appendPolicy(StringBuilder sb, IrPolicy policy, IpSetLookup sets, String indent) {
        sb.append(indent).append("policy ").append(policy.id());
        if (policy.order() != null) {
            sb.append(" order ").append(formatOrder(policy.order()));
        }
        sb.append('\n');
        for (IrRule rule : policy.rules()) {
            appendRule(sb, rule, sets, indent + "  ");
        }
        if (policy.rules().isEmpty()) {
            sb.append(indent).append("  (no rules)\n");
        }
    }

    private static void appendRule(StringBuilder sb, IrRule rule, IpSetLookup sets, String indent) {
        sb.append(indent)
                .append("rule ")
                .append(rule.id().index())
                .append(' ')
                .append(rule.action().displayName())
                .append("  [")
                .append(rule.id())
                .append(' ')
                .append(rule.id().hash())
                .append("]\n");
        for (Match m : rule.matches()) {
            sb.append(indent).append("  ").append(describe(m, sets)).append('\n');
        }
        if (rule.matches().isEmpty()) {
            sb.append(indent).append("  (matches everything)\n");
        }
    }

    /** One match in words, with set ids and their meaning. */
    public static String describe(Match m, IpSetLookup sets) {
        if (m instanceof Match.IpVersion v) {
            return "ip version " + v.version();
        }
        if (m instanceof Match.ProtocolIs p) {
            return (p.negated() ? "protocol not " : "protocol ") + p.protocol().displayName();
        }
        if (m instanceof Match.Cidrs c) {
            List<String> cidrs = new ArrayList<>();
            for (Cidr cidr : c.cidrs()) {
                cidrs.add(cidr.toString());
            }
            return c.side().shortName() + (c.negated() ? " not in " : " in ") + String.join(", ", cidrs);
        }
        if (m instanceof Match.InIpSet s) {
            return s.side().shortName() + (s.negated() ? " not in set " : " in set ") + s.setId() + "  # "
                    + sets.describeSet(s.setId());
        }
        if (m instanceof Match.Ports p) {
            List<String> parts = new ArrayList<>();
            for (PortSpec r : p.ranges()) {
                parts.add(r.toString());
            }
            for (String id : p.namedPortSetIds()) {
                parts.add("set " + id + " (" + sets.describeSet(id) + ")");
            }
            return p.side().shortName() + (p.negated() ? " port not " : " port ") + String.join(" or ", parts);
        }
        if (m instanceof Match.Icmp i) {
            return (i.negated() ? "icmp not type " : "icmp type ")
                    + i.type()
                    + (i.code() == null ? "" : " code " + i.code());
        }
        return m.toString();
    }

    private static String formatOrder(double order) {
        return order == Math.rint(order) ? Long.toString((long) order) : Double.toString(order);
    }
}
