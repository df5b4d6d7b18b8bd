package dev.tortie.engine.eval;

import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.net.IpAddress;
import java.util.Objects;

/** One end of a flow: a cluster endpoint (with the address used) or an address outside the cluster. */
public record FlowEnd(Endpoint endpoint, IpAddress address) {
    public FlowEnd {
        Objects.requireNonNull(address, "address == null");
    }

    public static FlowEnd of(Endpoint endpoint) {
        IpAddress ip = endpoint.primaryIp();
        if (ip == null) {
            throw new IllegalArgumentException("pod " + endpoint.key() + " has no IP address");
        }
        return new FlowEnd(endpoint, ip);
    }

    public static FlowEnd external(IpAddress address) {
        return new FlowEnd(null, address);
    }

    public boolean inCluster() {
        return endpoint != null;
    }

    /** {@code ns/pod} for endpoints, the address otherwise. */
    public String name() {
        return endpoint != null ? endpoint.key() : address.toString();
    }
}
