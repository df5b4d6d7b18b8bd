package dev.tortie.engine.ir;

import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;

/** Membership of IP sets, as the evaluator and renderers need it; the index answers it live. */
public interface IpSetLookup {
    /** Whether {@code address} is in the selector set {@code setId} (an endpoint IP or inside a network-set CIDR). */
    boolean containsAddress(String setId, IpAddress address);

    /** Whether {@code (address, protocol, port)} is in the named-port set {@code setId}. */
    boolean containsAddressPort(String setId, IpAddress address, Protocol protocol, int port);

    /** The set in words for traces; by default its id. */
    default String describeSet(String setId) {
        return "set " + setId;
    }
}
