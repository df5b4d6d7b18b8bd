package dev.tortie.shell.kube;

import dev.tortie.engine.model.PolicyKind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An API resource tortie reads or writes, and what its objects become in the model.
 *
 * @param group API group, empty for the core group
 * @param plural the resource name in URLs ({@code networkpolicies})
 * @param namespaced whether objects live in namespaces
 * @param role which converter and index operation the objects go to
 */
public record KubeResource(String group, String version, String kind, String plural, boolean namespaced, Role role) {
    /** What an object of this resource becomes in the model. */
    public enum Role {
        NAMESPACE,
        SERVICE_ACCOUNT,
        WORKLOAD,
        POD,
        KUBERNETES_POLICY,
        CALICO_POLICY,
        TIER,
        NETWORK_SET
    }

    public static final String CALICO_API = "projectcalico.org/v3";
    public static final String CALICO_CRDS = "crd.projectcalico.org/v1";

    public static final KubeResource NAMESPACES =
            new KubeResource("", "v1", "Namespace", "namespaces", false, Role.NAMESPACE);
    public static final KubeResource SERVICE_ACCOUNTS =
            new KubeResource("", "v1", "ServiceAccount", "serviceaccounts", true, Role.SERVICE_ACCOUNT);
    public static final KubeResource PODS = new KubeResource("", "v1", "Pod", "pods", true, Role.POD);
    public static final KubeResource DEPLOYMENTS =
            new KubeResource("apps", "v1", "Deployment", "deployments", true, Role.WORKLOAD);
    public static final KubeResource STATEFUL_SETS =
            new KubeResource("apps", "v1", "StatefulSet", "statefulsets", true, Role.WORKLOAD);
    public static final KubeResource DAEMON_SETS =
            new KubeResource("apps", "v1", "DaemonSet", "daemonsets", true, Role.WORKLOAD);
    public static final KubeResource NETWORK_POLICIES = new KubeResource(
            "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, Role.KUBERNETES_POLICY);

    /** The Kubernetes resources every live source reads, in the order they are put into the index. */
    public static final List<KubeResource> KUBERNETES =
            List.of(NAMESPACES, SERVICE_ACCOUNTS, DEPLOYMENTS, STATEFUL_SETS, DAEMON_SETS, PODS, NETWORK_POLICIES);

    public KubeResource {
        Objects.requireNonNull(group, "group == null");
        Objects.requireNonNull(version, "version == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(plural, "plural == null");
        Objects.requireNonNull(role, "role == null");
    }

    /**
     * The Calico resources tortie models in {@code groupVersion} ({@link #CALICO_API} or {@link #CALICO_CRDS}; the
     * spec shape is the same), tiers and network sets before the policies that refer to them.
     */
    public static List<KubeResource> calico(String groupVersion) {
        int slash = groupVersion.indexOf('/');
        String g = groupVersion.substring(0, slash);
        String v = groupVersion.substring(slash + 1);
        return List.of(
                new KubeResource(g, v, "Tier", "tiers", false, Role.TIER),
                new KubeResource(g, v, "GlobalNetworkSet", "globalnetworksets", false, Role.NETWORK_SET),
                new KubeResource(g, v, "NetworkSet", "networksets", true, Role.NETWORK_SET),
                new KubeResource(g, v, "GlobalNetworkPolicy", "globalnetworkpolicies", false, Role.CALICO_POLICY),
                new KubeResource(g, v, "NetworkPolicy", "networkpolicies", true, Role.CALICO_POLICY),
                new KubeResource(
                        g, v, "StagedGlobalNetworkPolicy", "stagedglobalnetworkpolicies", false, Role.CALICO_POLICY),
                new KubeResource(g, v, "StagedNetworkPolicy", "stagednetworkpolicies", true, Role.CALICO_POLICY),
                new KubeResource(
                        g,
                        v,
                        "StagedKubernetesNetworkPolicy",
                        "stagedkubernetesnetworkpolicies",
                        true,
                        Role.KUBERNETES_POLICY));
    }

    /** {@code v1} or {@code group/version}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods}, {@code networkpolicies.networking.k8s.io}: how kubectl and RBAC name the resource. */
    public String resource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean isCalico() {
        return group.equals("projectcalico.org") || group.equals("crd.projectcalico.org");
    }

    /** The policy kind of this resource's objects, or null when they are not policies. */
    public PolicyKind policyKind() {
        if (role == Role.KUBERNETES_POLICY) {
            return kind.equals("NetworkPolicy")
                    ? PolicyKind.KUBERNETES_NETWORK_POLICY
                    : PolicyKind.STAGED_KUBERNETES_NETWORK_POLICY;
        }
        if (role != Role.CALICO_POLICY) {
            return null;
        }
        return switch (kind) {
            case "NetworkPolicy" -> PolicyKind.CALICO_NETWORK_POLICY;
            case "GlobalNetworkPolicy" -> PolicyKind.GLOBAL_NETWORK_POLICY;
            case "StagedNetworkPolicy" -> PolicyKind.STAGED_NETWORK_POLICY;
            case "StagedGlobalNetworkPolicy" -> PolicyKind.STAGED_GLOBAL_NETWORK_POLICY;
            default -> null;
        };
    }

    /** Whether {@code name} names this resource: its kind, plural, or either qualified by the group. */
    public boolean matches(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String k = kind.toLowerCase(Locale.ROOT);
        return n.equals(k) || n.equals(plural) || n.equals(k + "." + group) || n.equals(resource());
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(namespaced)
                .build();
    }

    /** {@code pods app-a/web-1}, {@code namespaces app-a}: how messages name one object. */
    public String describe(String namespace, String name) {
        return resource() + " " + (namespaced && namespace != null ? namespace + "/" + name : name);
    }

    @Override
    public String toString() {
        return resource();
    }
}
