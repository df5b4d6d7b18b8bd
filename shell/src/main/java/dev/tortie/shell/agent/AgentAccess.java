package dev.tortie.shell.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What {@code tortie agent} may do on the API server, derived from what its {@link ClusterWatcher} reads ({@link
 * ClusterWatcher#kindsRead}, {@link ClusterWatcher#VERBS}): the one place the deployed ClusterRole ({@code
 * deploy/rbac.yaml}) is checked against, so code that starts reading another resource (or using another verb) fails
 * the RBAC test until the role grants it, and a role that grants more than the code uses fails it too.
 *
 * <p>Discovery ({@code GET /api}, {@code /apis}, {@code /apis/GROUP/VERSION}, {@code /version}) is not listed: every
 * authenticated user may read it through the built-in {@code system:discovery} ClusterRole.
 */
public final class AgentAccess {
    /** One ClusterRole rule: a group, its resources and the verbs on them. */
    public record Rule(String group, List<String> resources, List<String> verbs) {
        public Rule {
            Objects.requireNonNull(group, "group == null");
            resources = List.copyOf(new TreeSet<>(resources));
            verbs = List.copyOf(new TreeSet<>(verbs));
        }

        public boolean allows(String group, String resource, String verb) {
            return this.group.equals(group) && resources.contains(resource) && verbs.contains(verb);
        }
    }

    /** The service account, namespace and names the manifests in {@code deploy/} use. */
    public static final String NAMESPACE = "tortie-system";

    public static final String NAME = "tortie-agent";

    /** The label that selects agent pods ({@code app.kubernetes.io/name: tortie-agent}). */
    public static final String APP_LABEL = "app.kubernetes.io/name";

    /** The agent's default HTTP port ({@code /healthz}, {@code /metrics}, {@code /flows}). */
    public static final int DEFAULT_PORT = 9464;

    /** The container port's name in the DaemonSet. */
    public static final String PORT_NAME = "http-metrics";

    private AgentAccess() {}

    /** The rules the agent needs, one per API group, in a stable order. */
    public static List<Rule> rules() {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (ApiKind k : ClusterWatcher.kindsRead(false)) {
            byGroup.computeIfAbsent(k.group(), g -> new ArrayList<>()).add(k.plural());
        }
        List<Rule> out = new ArrayList<>();
        byGroup.forEach((group, resources) -> out.add(new Rule(group, resources, ClusterWatcher.VERBS)));
        return out;
    }

    /** Whether {@link #rules()} allow {@code verb} on {@code group}/{@code resource}. */
    public static boolean allows(String group, String resource, String verb) {
        return rules().stream().anyMatch(r -> r.allows(group, resource, verb));
    }
}
