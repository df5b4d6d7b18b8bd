package dev.tortie.engine.ir;

import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.selector.Selector;
import java.util.Objects;

/**
 * What an IP set contains, by definition: the endpoints (and network-set CIDRs) a selector matches, or for a named
 * port the (address, protocol, port) of every matching endpoint that declares that port name.
 *
 * <p>The id follows Felix: a selector set's id is the selector's unique id ({@code s:...}); a named-port set's id is
 * {@code n:} + base64url(SHA-224("n:" + selectorId + "," + protocol + "," + portName)).
 */
public record IpSetDefinition(
        String id, IpSetType type, Selector selector, Protocol namedPortProtocol, String namedPort) {
    public IpSetDefinition {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(selector, "selector == null");
        if ((type == IpSetType.IP_PORT) != (namedPort != null)) {
            throw new IllegalArgumentException("named-port sets and only they carry a port name");
        }
    }

    public static IpSetDefinition forSelector(Selector selector) {
        return new IpSetDefinition(selector.uniqueId(), IpSetType.NET, selector, null, null);
    }

    public static IpSetDefinition forNamedPort(Selector selector, Protocol protocol, String portName) {
        String id = Hashes.uniqueId("n", selector.uniqueId() + "," + protocol.kernelName() + "," + portName);
        return new IpSetDefinition(id, IpSetType.IP_PORT, selector, protocol, portName);
    }

    /** Human description: {@code selector app == "web"} or {@code named port tcp/http of all()}. */
    public String describe() {
        if (namedPort == null) {
            return "selector " + selector.canonical();
        }
        return "named port " + namedPortProtocol.kernelName() + "/" + namedPort + " of " + selector.canonical();
    }
}
