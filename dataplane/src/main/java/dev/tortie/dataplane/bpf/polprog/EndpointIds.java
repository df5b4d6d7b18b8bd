package dev.tortie.dataplane.bpf.polprog;

import dev.tortie.engine.ir.EndpointProgram;

/**
 * Ids of the decisions a program makes outside policy, per endpoint and direction, in the style of {@link
 * EndpointProgram#noProfileId()}: {@code endpoint/<ns>/<pod>/<direction>/<what>}. They are counted like rules, so
 * {@code readCounters} shows how much traffic conntrack, ARP or the IPv6 drop decided.
 */
public final class EndpointIds {
    /** Reply or related traffic of a connection this endpoint's programs allowed (no policy evaluated). */
    public static final String ESTABLISHED = "established";
    /** ARP: always allowed (pods resolve their gateway). */
    public static final String ARP = "arp";
    /** IPv6: dropped (no IPv6 policy in the program yet; fail closed). */
    public static final String IPV6 = "ipv6";
    /** Any other ethertype: dropped. */
    public static final String OTHER_ETHERTYPE = "other-ethertype";
    /** Truncated or invalid IPv4 / L4 headers: dropped. */
    public static final String MALFORMED = "malformed";
    /** Non-first IPv4 fragments: allowed (they carry no ports; the first fragment was policed). */
    public static final String FRAGMENT = "fragment";

    private EndpointIds() {}

    public static String of(EndpointProgram program, String what) {
        return "endpoint/" + program.endpoint() + "/" + program.direction().lowerName() + "/" + what;
    }
}
