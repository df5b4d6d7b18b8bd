package dev.tortie.dataplane.lab;

import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.net.IpAddress;
import java.util.List;
import java.util.Objects;

/**
 * A pod to add to the lab: namespace, name, address ({@code null} to allocate one from the pod CIDR) and the container
 * ports to serve.
 */
public record PodSpec(String namespace, String name, IpAddress ip, List<ContainerPort> ports) {
    public PodSpec {
        checkName("namespace", namespace);
        checkName("name", name);
        ports = List.copyOf(Objects.requireNonNull(ports, "ports == null"));
    }

    /** A pod whose address the lab allocates. */
    public static PodSpec of(String namespace, String name, List<ContainerPort> ports) {
        return new PodSpec(namespace, name, null, ports);
    }

    /** {@code namespace/name}, the text the pod's servers answer with. */
    public String key() {
        return namespace + "/" + name;
    }

    private static void checkName(String what, String value) {
        Objects.requireNonNull(value, what + " == null");
        if (value.isEmpty() || value.length() > 253 || value.chars().anyMatch(c -> c == '/' || c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("pod " + what + " '" + value
                    + "' must be 1-253 printable ASCII characters without '/' or whitespace");
        }
    }
}
