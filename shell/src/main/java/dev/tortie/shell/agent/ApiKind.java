package dev.tortie.shell.agent;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Objects;

/**
 * An API resource type the watcher reads, and what it means to the policy model.
 *
 * @param group API group, empty for the core group
 * @param version API version
 * @param kind object kind
 * @param plural the resource name in URLs
 * @param namespaced whether objects live in namespaces
 * @param role which converter and index operation the objects go to
 */
public record ApiKind(String group, String version, String kind, String plural, boolean namespaced, Role role) {
    /** What an object of this type becomes in the model. */
    public enum Role {
        NAMESPACE,
        POD,
        SERVICE_ACCOUNT,
        WORKLOAD,
        KUBERNETES_POLICY,
        CALICO_POLICY,
        TIER,
        NETWORK_SET
    }

    public static final ApiKind NAMESPACES = new ApiKind("", "v1", "Namespace", "namespaces", false, Role.NAMESPACE);
    public static final ApiKind PODS = new ApiKind("", "v1", "Pod", "pods", true, Role.POD);
    public static final ApiKind SERVICE_ACCOUNTS =
            new ApiKind("", "v1", "ServiceAccount", "serviceaccounts", true, Role.SERVICE_ACCOUNT);
    public static final ApiKind NETWORK_POLICIES =
            new ApiKind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, Role.KUBERNETES_POLICY);
    public static final ApiKind DEPLOYMENTS =
            new ApiKind("apps", "v1", "Deployment", "deployments", true, Role.WORKLOAD);
    public static final ApiKind STATEFUL_SETS =
            new ApiKind("apps", "v1", "StatefulSet", "statefulsets", true, Role.WORKLOAD);
    public static final ApiKind DAEMON_SETS = new ApiKind("apps", "v1", "DaemonSet", "daemonsets", true, Role.WORKLOAD);

    /** What every consumer needs: namespaces, pods, service accounts and Kubernetes network policies. */
    public static final List<ApiKind> CORE = List.of(NAMESPACES, SERVICE_ACCOUNTS, NETWORK_POLICIES, PODS);

    /** Workloads, so the shell can name pods by their Deployment; the agent does not need them. */
    public static final List<ApiKind> WORKLOADS = List.of(DEPLOYMENTS, STATEFUL_SETS, DAEMON_SETS);

    /** Calico's API groups, in order of preference: the Calico API server, then the CRDs it is built on. */
    public static final List<String> CALICO_GROUP_VERSIONS =
            List.of("projectcalico.org/v3", "crd.projectcalico.org/v1");

    public ApiKind {
        Objects.requireNonNull(group, "group == null");
        Objects.requireNonNull(version, "version == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(plural, "plural == null");
        Objects.requireNonNull(role, "role == null");
    }

    /** The Calico kinds tortie models, in one of {@link #CALICO_GROUP_VERSIONS}. */
    public static List<ApiKind> calico(String groupVersion) {
        int slash = groupVersion.indexOf('/');
        String group = groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        return List.of(
                new ApiKind(group, version, "Tier", "tiers", false, Role.TIER),
                new ApiKind(group, version, "GlobalNetworkSet", "globalnetworksets", false, Role.NETWORK_SET),
                new ApiKind(group, version, "NetworkSet", "networksets", true, Role.NETWORK_SET),
                new ApiKind(group, version, "GlobalNetworkPolicy", "globalnetworkpolicies", false, Role.CALICO_POLICY),
                new ApiKind(group, version, "NetworkPolicy", "networkpolicies", true, Role.CALICO_POLICY),
                new ApiKind(
                        group,
                        version,
                        "StagedGlobalNetworkPolicy",
                        "stagedglobalnetworkpolicies",
                        false,
                        Role.CALICO_POLICY),
                new ApiKind(group, version, "StagedNetworkPolicy", "stagednetworkpolicies", true, Role.CALICO_POLICY),
                new ApiKind(
                        group,
                        version,
                        "StagedKubernetesNetworkPolicy",
                        "stagedkubernetesnetworkpolicies",
                        true,
                        Role.KUBERNETES_POLICY));
    }

    /** {@code v1} or {@code group/version}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods}, {@code networkpolicies.networking.k8s.io}: how kubectl names the resource. */
    public String resource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(namespaced)
                .build();
    }

    /** A key for one object of this kind: {@code pods/ns/name}, {@code namespaces/name}. */
    public String objectKey(String namespace, String name) {
        return namespaced ? resource() + "/" + namespace + "/" + name : resource() + "/" + name;
    }

    @Override
    public String toString() {
        return resource();
    }
}
