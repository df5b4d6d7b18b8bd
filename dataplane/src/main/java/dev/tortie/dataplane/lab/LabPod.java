package dev.tortie.dataplane.lab;

import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.net.IpAddress;
import java.util.List;
import java.util.Objects;

/**
 * A pod in the lab: its identity and address, its network namespace and host-side interface, the ports it declared,
 * those it serves, and those it cannot serve (with the reason).
 */
public record LabPod(
        String namespace,
        String name,
        IpAddress ip,
        String netns,
        String hostInterface,
        List<ContainerPort> ports,
        List<ContainerPort> servedPorts,
        List<UnsupportedPort> unsupportedPorts) {

    /** A declared port the lab runs no server for. */
    public record UnsupportedPort(ContainerPort port, String reason) {
        public UnsupportedPort {
            Objects.requireNonNull(port, "port == null");
            Objects.requireNonNull(reason, "reason == null");
        }
    }

    public LabPod {
        Objects.requireNonNull(namespace, "namespace == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(ip, "ip == null");
        Objects.requireNonNull(netns, "netns == null");
        Objects.requireNonNull(hostInterface, "hostInterface == null");
        ports = List.copyOf(ports);
        servedPorts = List.copyOf(servedPorts);
        unsupportedPorts = List.copyOf(unsupportedPorts);
    }

    /** {@code namespace/name}: also the banner its servers answer with (followed by a newline). */
    public String key() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return key() + " " + ip + " (netns " + netns + ", " + hostInterface + ")";
    }
}
