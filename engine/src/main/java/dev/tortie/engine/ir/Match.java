package dev.tortie.engine.ir;

import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.util.List;

/** One test of a rule; a rule matches when all its matches do. */
public sealed interface Match
        permits Match.IpVersion, Match.ProtocolIs, Match.Cidrs, Match.InIpSet, Match.Ports, Match.Icmp {

    /** The packet is of this IP family (4 or 6). */
    record IpVersion(int version) implements Match {}

    /** The packet's protocol is (or, negated, is not) this one. */
    record ProtocolIs(Protocol protocol, boolean negated) implements Match {}

    /** Address on {@code side} is in any of the CIDRs (negated: in none of them). */
    record Cidrs(Side side, List<Cidr> cidrs, boolean negated) implements Match {
        public Cidrs {
            cidrs = List.copyOf(cidrs);
        }
    }

    /** Address on {@code side} is (negated: is not) a member of a selector set. */
    record InIpSet(Side side, String setId, boolean negated) implements Match {}

    /**
     * Port on {@code side} is in any numeric range or its (address, protocol, port) is in any named-port set (negated:
     * none of them).
     */
    record Ports(Side side, List<PortSpec> ranges, List<String> namedPortSetIds, boolean negated) implements Match {
        public Ports {
            ranges = List.copyOf(ranges);
            namedPortSetIds = List.copyOf(namedPortSetIds);
        }
    }

    /** ICMP type (and code when not null); negated: not that type/code. */
    record Icmp(int type, Integer code, boolean negated) implements Match {}
}
