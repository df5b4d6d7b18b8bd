package dev.tortie.dataplane.render.iptables;

import java.util.List;
import java.util.Objects;

/**
 * One iptables rule without its chain and comment: match and target arguments as separate tokens.
 *
 * @param ruleId the id of the IR decision this rule makes (policy rule, end of tier, profile rule, no-profile drop),
 *     or null for plumbing (conntrack, marks, jumps, match blocks); it goes into the comment so counters map back
 * @param description for humans, shown in listings only
 */
public record IptablesRule(List<String> args, String ruleId, String description) {
    public IptablesRule {
        args = List.copyOf(args);
        Objects.requireNonNull(description, "description == null");
        for (String a : args) {
            if (a.indexOf('"') >= 0 || a.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("rule argument carries a quote or newline: " + a);
            }
        }
    }

    public static IptablesRule of(String description, String... args) {
        return new IptablesRule(List.of(args), null, description);
    }

    public static IptablesRule decision(String ruleId, String description, List<String> args) {
        return new IptablesRule(args, Objects.requireNonNull(ruleId, "ruleId == null"), description);
    }

    /** The arguments as iptables-restore reads them (quoted where needed). */
    public String spec() {
        return join(args);
    }

    static String join(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(t));
        }
        return sb.toString();
    }

    static String quote(String token) {
        if (token.isEmpty() || token.indexOf(' ') >= 0 || token.indexOf('\t') >= 0) {
            return "\"" + token + "\"";
        }
        return token;
    }
}
