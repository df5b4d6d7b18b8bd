package dev.tortie.engine.ir;

import dev.tortie.engine.net.IpAddress;
import java.util.List;

/** An endpoint a node enforces for: its identity, addresses, and both programs. */
public record LocalEndpoint(
        String namespace, String name, List<IpAddress> ips, EndpointProgram ingress, EndpointProgram egress) {
    public LocalEndpoint {
        ips = List.copyOf(ips);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
