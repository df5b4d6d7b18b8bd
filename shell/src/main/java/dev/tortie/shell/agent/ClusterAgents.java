package dev.tortie.shell.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the node agents of a real cluster (pods labelled {@code app.kubernetes.io/name=tortie-agent} in {@code
 * tortie-system}, as {@code deploy/} installs them) and reaches each through the API server: a port-forward (fabric8
 * {@code portForward}) to the agent pod's HTTP port, so the shell needs neither node access nor a route to the nodes,
 * only RBAC to {@code get pods} and {@code create pods/portforward} in that namespace.
 */
public final class ClusterAgents {
    private ClusterAgents() {}

    /**
     * Agent pods that run (have a node and an IP), by node name.
     *
     * @param node only the agent of this node, or null for all
     */
    public static List<Pod> find(KubernetesClient client, String namespace, String node) {
        List<Pod> pods;
        try {
            pods = client.pods()
                    .inNamespace(namespace)
                    .withLabel(AgentAccess.APP_LABEL, AgentAccess.NAME)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException(
                    "cannot list the agent pods in namespace " + namespace + ": " + e.getMessage(), e);
        }
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods) {
            String on = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (on == null || (node != null && !node.equals(on))) {
                continue;
            }
            if (p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            out.add(p);
        }
        out.sort(Comparator.comparing(p -> p.getSpec().getNodeName()));
        return out;
    }

    /** The agent container's HTTP port: the one named {@value AgentAccess#PORT_NAME}, else the default. */
    public static int port(Pod pod) {
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                if (c.getPorts() == null) {
                    continue;
                }
                for (ContainerPort p : c.getPorts()) {
                    if (AgentAccess.PORT_NAME.equals(p.getName()) && p.getContainerPort() != null) {
                        return p.getContainerPort();
                    }
                }
            }
        }
        return AgentAccess.DEFAULT_PORT;
    }

    /** A link to one agent pod through a port-forward (closed with the link). */
    public static HttpAgentLink portForward(KubernetesClient client, Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        LocalPortForward forward;
        try {
            forward = client.pods().inNamespace(namespace).withName(name).portForward(port(pod));
        } catch (KubernetesClientException e) {
            throw new IllegalStateException(
                    "cannot port-forward to agent pod " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        return new HttpAgentLink(
                pod.getSpec().getNodeName(), URI.create("http://127.0.0.1:" + forward.getLocalPort()), forward);
    }
}
