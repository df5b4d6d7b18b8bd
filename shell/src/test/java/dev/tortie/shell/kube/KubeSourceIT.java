package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.model.PolicyKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connect and list (one-shot mode) against fabric8's CRUD mock server, through a kubeconfig file. */
class KubeSourceIT {
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

    @Test
    void listsTheArticleScenarioIntoTheIndex() {
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        long start = System.nanoTime();
        try (KubeSource source = cluster.open(false, recorder)) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("connect+list on the mock server: " + millis + " ms");
            assertThat(source.name()).isEqualTo("mock");
            assertThat(source.defaultNamespace()).isEqualTo("app-a");
            assertThat(source.watching()).isFalse();
            source.read(index -> {
                assertThat(index.namespaces()).extracting(n -> n.name()).containsExactly("app-a", "app-b");
                assertThat(index.endpoints())
                        .extracting(e -> e.key())
                        .containsExactly(
                                "app-a/app-a-deployment-5d8f7c9b6-x2k9q", "app-b/app-b-deployment-7b9c6d4f8-m4p7z");
                assertThat(index.endpoint("app-a", "app-a-deployment-5d8f7c9b6-x2k9q")
                                .workload())
                        .isEqualTo("Deployment/app-a-deployment");
                assertThat(index.workloads()).hasSize(2);
                assertThat(index.policies())
                        .extracting(p -> p.policy().id().kind())
                        .containsOnly(PolicyKind.KUBERNETES_NETWORK_POLICY)
                        .hasSize(2);
                assertThat(index.policies())
                        .extracting(p -> p.policy().source().location())
                        .containsOnly("cluster:mock");
                return null;
            });
            assertThat(recorder.notices()).containsExactly("info: " + KubeSource.CALICO_MISSING);
            assertThat(recorder.diagnostics()).noneMatch(Diagnostic::isError);

            Map<String, Object> status = source.status();
            assertThat(status)
                    .containsEntry("source", "kubernetes")
                    .containsEntry("context", "mock")
                    .containsEntry("server", cluster.url() + "/")
                    .containsEntry("calico", "not installed")
                    .containsEntry("watch", false)
                    .containsEntry("namespaces", 2)
                    .containsEntry("endpoints", 2)
                    .containsEntry("policies", 2)
                    .containsEntry("invalid", 0)
                    .containsEntry("kubeconfig", cluster.kubeconfig.toString());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> resources = (List<Map<String, Object>>) status.get("resources");
            assertThat(resources)
                    .filteredOn(r -> r.get("resource").equals("pods"))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r).containsEntry("count", 1 + 1).containsEntry("scope", "cluster");
                        assertThat(r.get("resourceVersion")).isNotNull();
                    });
            assertThat((List<?>) status.get("unreadable")).isEmpty();
        }
    }

    @Test
    void traceThroughTheShellIsDenied() {
        MockCluster.Run run =
                MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "trace app-a -> app-b:80");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("DENY");
        assertThat(run.err()).isEqualTo("info: " + KubeSource.CALICO_MISSING + "\n");

        MockCluster.Run reverse =
                MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "trace app-b -> app-a:80");
        assertThat(reverse.code()).as(reverse.out() + reverse.err()).isZero();
    }

    @Test
    void contextOptionPicksTheContext() {
        cluster.write(
                "two-contexts",
                "apiVersion: v1\nkind: Config\ncurrent-context: elsewhere\n"
                        + "clusters:\n- name: c\n  cluster:\n    server: " + cluster.url() + "\n"
                        + "- name: nowhere\n  cluster:\n    server: http://127.0.0.1:9\n"
                        + "contexts:\n- name: elsewhere\n  context:\n    cluster: nowhere\n    user: u\n"
                        + "- name: prod\n  context:\n    cluster: c\n    user: u\n    namespace: app-b\n"
                        + "users:\n- name: u\n  user:\n    token: t\n");
        MockCluster.Run run = MockCluster.run(
                "--kubeconfig",
                dir.resolve("two-contexts").toString(),
                "--context",
                "prod",
                "-c",
                "trace app-a -> app-b:80");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    }

    @Test
    void invalidObjectsAreReportedAndLeftOut() {
        cluster.createYaml(
                """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: bad-port
                  namespace: app-b
                spec:
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 70000
                """);
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(false, recorder)) {
            assertThat(recorder.diagnostics())
                    .filteredOn(Diagnostic::isError)
                    .singleElement()
                    .satisfies(d -> assertThat(d.toString())
                            .startsWith("cluster:mock: NetworkPolicy app-b/bad-port: spec.ingress[0].ports[0].port:")
                            .contains("70000"));
            assertThat(recorder.notices())
                    .contains("warning: 1 object in context 'mock' is invalid (see above) and left out");
            int policies = source.read(index -> index.policies().size());
            assertThat(policies).isEqualTo(2);
            assertThat(source.status()).containsEntry("invalid", 1);
        }
        MockCluster.Run run = MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "policies -A");
        assertThat(run.code()).isZero();
        assertThat(run.err())
                .contains("error: cluster:mock: NetworkPolicy app-b/bad-port: spec.ingress[0].ports[0].port:")
                .contains("warning: 1 object in context 'mock' is invalid (see above) and left out");
    }
}
