package dev.tortie.dataplane.lab;

import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.util.Objects;

/** One probe: from a lab pod's namespace to {@code destination:port} over {@code protocol}. */
public record ProbeRequest(LabPod source, IpAddress destination, Protocol protocol, int port) {
    public ProbeRequest {
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(destination, "destination == null");
        Objects.requireNonNull(protocol, "protocol == null");
        if (protocol.supportsPorts() && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
    }

    /** A probe to another lab pod. */
    public static ProbeRequest to(LabPod source, LabPod destination, Protocol protocol, int port) {
        return new ProbeRequest(source, destination.ip(), protocol, port);
    }

    @Override
    public String toString() {
        return source.key() + " -> " + destination + " " + protocol.displayName() + "/" + port;
    }
}
