package dev.tortie.engine.model;

import dev.tortie.engine.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workload endpoint: one pod with its addresses and declared ports.
 *
 * @param labels the pod's own labels (the implicit projectcalico.org/* labels are added by the index)
 * @param serviceAccount null or empty means "default"
 * @param workload the owning workload as {@code Kind/name} (e.g. Deployment/app-a), or null
 */
public record Endpoint(
        String namespace,
        String name,
        String node,
        List<IpAddress> ips,
        Map<String, String> labels,
        String serviceAccount,
        List<ContainerPort> ports,
        String workload,
        ObjectSource source) {

    public Endpoint {
        Objects.requireNonNull(namespace, "namespace == null");
        Objects.requireNonNull(name, "name == null");
        ips = List.copyOf(ips);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        serviceAccount = serviceAccount == null || serviceAccount.isEmpty() ? "default" : serviceAccount;
        ports = List.copyOf(ports);
        source = source == null ? ObjectSource.UNKNOWN : source;
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** The first IPv4 address, else the first address, else null. */
    public IpAddress primaryIp() {
        for (IpAddress ip : ips) {
            if (!ip.isV6()) {
                return ip;
            }
        }
        return ips.isEmpty() ? null : ips.get(0);
    }

    public Endpoint withLabels(Map<String, String> newLabels) {
        return new Endpoint(namespace, name, node, ips, newLabels, serviceAccount, ports, workload, source);
    }

    public Endpoint withIps(List<IpAddress> newIps) {
        return new Endpoint(namespace, name, node, newIps, labels, serviceAccount, ports, workload, source);
    }
}
