package dev.tortie.engine.model;

/** A container port declared with a name, e.g. {@code http} = TCP 80. */
public record NamedPort(String name, Protocol protocol, int port) {
    public NamedPort {
        java.util.Objects.requireNonNull(name, "name == null");
        java.util.Objects.requireNonNull(protocol, "protocol == null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
    }
}
