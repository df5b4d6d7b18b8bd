package dev.tortie.shell.command;

import dev.tortie.shell.agent.AgentAccess;
import dev.tortie.shell.agent.AgentLink;
import dev.tortie.shell.agent.ClusterAgents;
import dev.tortie.shell.agent.KernelReader;
import dev.tortie.shell.agent.LocalAgentLink;
import dev.tortie.shell.agent.NodeAgent;
import dev.tortie.shell.kube.KubeSource;
import dev.tortie.shell.lab.Lab;
import dev.tortie.shell.lab.LabSource;
import dev.tortie.shell.session.ClusterSource;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * The node agents a session can ask ({@code flows}, {@code node check}): the lab's in-process agent, or on a live
 * cluster each agent pod through a port-forward. The caller closes the links.
 */
final class AgentLinks {
    private AgentLinks() {}

    /**
     * @param node only this node's agent, or null for every agent
     * @param agentNamespace where the agent pods run on a live cluster
     */
    static List<AgentLink> open(Session session, String node, String agentNamespace) {
        ClusterSource source = session.source();
        if (source instanceof LabSource labSource) {
            Lab lab = labSource.lab();
            NodeAgent agent = lab.agent();
            if (agent == null) {
                throw TortieException.usage("this lab runs no agent: " + lab.probesUnavailable());
            }
            if (node != null && !node.equals(lab.node())) {
                throw TortieException.input("the lab has one node, " + lab.node() + ", not '" + node + "'");
            }
            return List.of(new LocalAgentLink(
                    agent,
                    new KernelReader(
                            agent.dataplane(),
                            lab.network().nodeRunner(),
                            lab.options().interfacePrefix())));
        }
        if (source instanceof KubeSource kube) {
            List<Pod> pods;
            try {
                pods = ClusterAgents.find(kube.client(), agentNamespace, node);
            } catch (IllegalStateException e) {
                throw TortieException.cluster(e.getMessage(), e);
            }
            if (pods.isEmpty()) {
                throw TortieException.cluster(
                        "no tortie agent " + (node == null ? "pods" : "pod on node " + node) + " in namespace "
                                + agentNamespace + " (label " + AgentAccess.APP_LABEL + "=" + AgentAccess.NAME
                                + "): install deploy/ (see deploy/README.md)",
                        null);
            }
            List<AgentLink> links = new ArrayList<>();
            try {
                for (Pod p : pods) {
                    links.add(ClusterAgents.portForward(kube.client(), p));
                }
            } catch (IllegalStateException e) {
                links.forEach(AgentLink::close);
                throw TortieException.cluster(e.getMessage(), e);
            }
            return links;
        }
        throw TortieException.usage(
                "flows and node checks come from the node agents: use the lab (tortie --lab) or a live cluster"
                        + " (--kubeconfig/--context); " + source.name() + " has no agents");
    }

    static void closeAll(List<AgentLink> links) {
        for (AgentLink l : links) {
            l.close();
        }
    }
}
