package dev.tortie.shell.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The deployed ClusterRole ({@code deploy/rbac.yaml}) against what the agent really calls. The agent runs against the
 * mock API server behind an authorizer that grants exactly that role (403 for anything else, as the API server's RBAC
 * authorizer would), once for each Calico API group a cluster may serve; then:
 *
 * <ul>
 *   <li>every request the agent made is granted by the role (a new resource or verb in the code fails here until the
 *       role grants it, and the agent itself fails to start under the role when the resource is a core one);
 *   <li>every (group, resource, verb) the role grants was used by some run (a grant the code no longer needs fails);
 *   <li>the role equals {@link AgentAccess#rules()}, which is derived from what {@link ClusterWatcher} reads.
 * </ul>
 */
class AgentRbacIT {
    private static final String AGENT_TOKEN = "tortie-agent-sa-token";

    private static final String CLUSTER =
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec: {nodeName: node-1, containers: [{name: c, image: i}]}
            status: {phase: Running, podIP: 10.65.0.10}
            """;

    /** The ClusterRole's rules as shipped. */
    @SuppressWarnings("unchecked")
    static List<AgentAccess.Rule> deployedRole() {
        for (Map<String, Object> doc :
                MockApi.load(MockApi.read(MockApi.deployDir().resolve("rbac.yaml")))) {
            if (!"ClusterRole".equals(doc.get("kind"))) {
                continue;
            }
            List<AgentAccess.Rule> rules = new ArrayList<>();
            for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("rules")) {
                for (String group : (List<String>) r.get("apiGroups")) {
                    rules.add(new AgentAccess.Rule(
                            group, (List<String>) r.get("resources"), (List<String>) r.get("verbs")));
                }
            }
            return rules;
        }
        throw new AssertionError("deploy/rbac.yaml has no ClusterRole");
    }

    /** Every (group, resource, verb) triple a list of rules grants. */
    static Set<String> grants(List<AgentAccess.Rule> rules) {
        Set<String> out = new TreeSet<>();
        for (AgentAccess.Rule r : rules) {
            for (String res : r.resources()) {
                for (String verb : r.verbs()) {
                    out.add(verb + " " + (r.group().isEmpty() ? "core" : r.group()) + "/" + res);
                }
            }
        }
        return out;
    }

    @Test
    void theRoleIsWhatTheCodeDeclares() {
        assertThat(grants(deployedRole())).isEqualTo(grants(AgentAccess.rules()));
        assertThat(deployedRole()).as("read-only").allSatisfy(r -> assertThat(r.verbs())
                .isSubsetOf("get", "list", "watch"));
    }

    @Test
    void theAgentNeedsExactlyTheRole() {
        List<AgentAccess.Rule> role = deployedRole();
        Set<String> used = new TreeSet<>();
        for (String calico : new String[] {"projectcalico.org/v3", "crd.projectcalico.org/v1", null}) {
            try (MockApi api = new MockApi(calico)) {
                api.create(CLUSTER);
                if (calico != null) {
                    api.create(
                            """
                            apiVersion: %s
                            kind: GlobalNetworkPolicy
                            metadata: {name: deny-x}
                            spec: {selector: all(), types: [Ingress]}
                            """
                                    .formatted(calico));
                }
                api.recorder.enforce(role, AGENT_TOKEN);
                try (KubernetesClient client = agentClient(api)) {
                    FakeDataplane dp = new FakeDataplane();
                    try (NodeAgent agent = NodeAgent.start(client, dp, options(), line -> {})) {
                        AgentEndpointsIT.await(agent::converged);
                        // a change after the initial sync goes through the watch
                        api.create(
                                """
                                apiVersion: networking.k8s.io/v1
                                kind: NetworkPolicy
                                metadata: {name: deny-all, namespace: x}
                                spec: {podSelector: {}}
                                """);
                        AgentEndpointsIT.await(() ->
                                agent.watcher().index().read(i -> i.policies().size()) == (calico == null ? 1 : 2));
                        assertThat(agent.watcher().unavailable())
                                .as(String.valueOf(calico))
                                .isEmpty();
                        assertThat(agent.watcher().calicoGroupVersion()).isEqualTo(calico);
                    }
                }
                List<ApiRecorder.Access> calls = api.recorder.byToken(AGENT_TOKEN);
                assertThat(calls).isNotEmpty();
                for (ApiRecorder.Access a : calls) {
                    if (a.verb().equals("discovery")) {
                        continue;
                    }
                    String triple = a.verb() + " " + (a.group().isEmpty() ? "core" : a.group()) + "/" + a.resource();
                    assertThat(grants(role))
                            .as("the agent called %s (%s) under the role", triple, a.path())
                            .contains(triple);
                    used.add(triple);
                }
            }
        }
        assertThat(used).as("every grant of the role is used by the agent").isEqualTo(grants(role));
    }

    @Test
    void aMissingGrantStopsTheAgent() {
        List<AgentAccess.Rule> without = new ArrayList<>();
        for (AgentAccess.Rule r : deployedRole()) {
            if (!r.group().equals("networking.k8s.io")) {
                without.add(r);
            }
        }
        try (MockApi api = new MockApi(null)) {
            api.create(CLUSTER);
            api.recorder.enforce(without, AGENT_TOKEN);
            try (KubernetesClient client = agentClient(api)) {
                NodeAgent.Options o = options();
                assertThatThrownBy(() -> NodeAgent.start(client, new FakeDataplane(), o, line -> {}))
                        .isInstanceOf(KubernetesClientException.class)
                        .hasMessageContaining("networkpolicies");
            }
        }
    }

    private static NodeAgent.Options options() {
        NodeAgent.Options d = NodeAgent.Options.defaults("node-1");
        return new NodeAgent.Options(
                d.node(),
                d.debounce(),
                d.maxDelay(),
                d.refresh(),
                d.minBackoff(),
                d.maxBackoff(),
                Duration.ofSeconds(20),
                false);
    }

    private static KubernetesClient agentClient(MockApi api) {
        Config config = new ConfigBuilder(api.admin.getConfiguration())
                .withOauthToken(AGENT_TOKEN)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
