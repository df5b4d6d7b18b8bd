package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC: recorded expectations answer 403 for network policies (they take precedence over the CRUD store, which keeps
 * serving everything else); the shell warns, naming resource and verb, and works with what it can read.
 */
class KubeRbacIT {
    private static final String CLUSTER_LIST = "/apis/networking.k8s.io/v1/networkpolicies?limit=500";
    private static final String NAMESPACE_LIST =
            "/apis/networking.k8s.io/v1/namespaces/app-a/networkpolicies?limit=500";
    private static final String CLUSTER_WATCH_LIST = "/apis/networking.k8s.io/v1/networkpolicies?resourceVersion=0";

    @TempDir
    Path dir;

    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = MockCluster.start(dir);
        cluster.create(MockCluster.ARTICLE);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void forbid(String path, String scope) {
        cluster.server
                .expect()
                .get()
                .withPath(path)
                .andReturn(
                        403,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
                                + "\"code\":403,\"message\":\"networkpolicies.networking.k8s.io is forbidden: User"
                                + " \\\"tester\\\" cannot list resource \\\"networkpolicies\\\" in API group"
                                + " \\\"networking.k8s.io\\\" " + scope + "\"}")
                .always();
    }

    @Test
    void forbiddenPoliciesAreAWarningAndPodsAreStillRead() {
        forbid(CLUSTER_LIST, "at the cluster scope");
        forbid(NAMESPACE_LIST, "in the namespace \\\"app-a\\\"");
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(false, recorder)) {
            assertThat(recorder.notices())
                    .contains("warning: cannot list networkpolicies.networking.k8s.io at cluster scope or in"
                            + " namespace app-a: forbidden (RBAC); continuing without them");
            int endpoints = source.read(index -> index.endpoints().size());
            int policies = source.read(index -> index.policies().size());
            assertThat(endpoints).isEqualTo(2);
            assertThat(policies).isZero();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> unreadable =
                    (List<Map<String, Object>>) source.status().get("unreadable");
            assertThat(unreadable)
                    .singleElement()
                    .isEqualTo(Map.of(
                            "resource", "networkpolicies.networking.k8s.io",
                            "verb", "list",
                            "scope", "cluster, namespace app-a",
                            "reason", "forbidden (RBAC)"));
        }

        MockCluster.Run run = MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "endpoints -A");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("app-a-deployment-5d8f7c9b6-x2k9q").contains("app-b-deployment-7b9c6d4f8-m4p7z");
        assertThat(run.err())
                .contains("warning: cannot list networkpolicies.networking.k8s.io at cluster scope or in namespace"
                        + " app-a: forbidden (RBAC)");
    }

    @Test
    void forbiddenAtClusterScopeFallsBackToTheContextNamespace() {
        forbid(CLUSTER_LIST, "at the cluster scope");
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(false, recorder)) {
            assertThat(recorder.notices())
                    .contains("warning: cannot list networkpolicies.networking.k8s.io at cluster scope: forbidden"
                            + " (RBAC); reading namespace app-a only");
            List<String> policies = source.read(index -> index.policies().stream()
                    .map(p ->
                            p.policy().id().namespace() + "/" + p.policy().id().name())
                    .toList());
            assertThat(policies).containsExactly("app-a/allow-app-a-egress");
        }
    }

    @Test
    void watchModeWarnsTheSameWay() {
        forbid(CLUSTER_WATCH_LIST, "at the cluster scope");
        cluster.server
                .expect()
                .get()
                .withPath("/apis/networking.k8s.io/v1/namespaces/app-a/networkpolicies?resourceVersion=0")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}")
                .always();
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(true, recorder)) {
            assertThat(recorder.notices())
                    .contains("warning: cannot list networkpolicies.networking.k8s.io at cluster scope or in"
                            + " namespace app-a: forbidden (RBAC); continuing without them");
            int endpoints = source.read(index -> index.endpoints().size());
            assertThat(endpoints).isEqualTo(2);
            assertThat(MockCluster.eventually(20_000, source::allWatching)).isTrue();
        }
    }
}
