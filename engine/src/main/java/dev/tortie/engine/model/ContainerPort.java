package dev.tortie.engine.model;

/** A port a pod's container declares (named or not); the lab starts a server on each. */
public record ContainerPort(String name, Protocol protocol, int port) {
    public ContainerPort {
        java.util.Objects.requireNonNull(protocol, "protocol == null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
    }
}
