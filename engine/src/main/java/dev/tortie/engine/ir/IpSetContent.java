package dev.tortie.engine.ir;

import java.util.List;

/**
 * A set's definition with its members in ipset syntax, sorted: {@code 10.65.0.5/32} or a network-set CIDR for
 * {@link IpSetType#NET}, {@code 10.65.0.5,tcp:80} for {@link IpSetType#IP_PORT}.
 */
public record IpSetContent(IpSetDefinition definition, List<String> members) {
    public IpSetContent {
        members = List.copyOf(members);
    }
}
