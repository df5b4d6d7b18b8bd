package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write path: server-side apply (field manager tortie), dry-run, all or nothing, delete. */
class KubeWriterIT {
    /** The article's policy, fixed (kubernetes.io/metadata.name), plus a new one. */
    private static final String FIXED =
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-app-a-to-app-b
              namespace: app-b
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
              - from:
                - namespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: app-a
                ports:
                - protocol: TCP
                  port: 80
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: deny-egress
              namespace: app-b
            spec:
              podSelector: {}
              policyTypes: [Egress]
            """;

    private static final String FORBIDDEN_ONE =
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: third
              namespace: app-b
            spec:
              podSelector: {}
            """;

    @TempDir
    Path dir;

    MockCluster cluster;
    KubeSource source;
    KubeWriter writer;

    @BeforeEach
    void start() {
        cluster = MockCluster.start(dir);
        cluster.create(MockCluster.ARTICLE);
        source = cluster.open(false, new MockCluster.Recorder());
        writer = source.writer();
    }

    @AfterEach
    void stop() {
        source.close();
        cluster.close();
    }

    private NetworkPolicy policy(String namespace, String name) {
        return cluster.admin
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    private String selectorOf(NetworkPolicy np) {
        return np.getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .getNamespaceSelector()
                .getMatchLabels()
                .toString();
    }

    @Test
    void dryRunChangesNothing() {
        NetworkPolicy before = policy("app-b", "allow-app-a-to-app-b");
        ApplyReport report = writer.apply(MockCluster.parse("fixed.yaml", FIXED), true);

        assertThat(report.ok()).isTrue();
        assertThat(report.dryRun()).isTrue();
        assertThat(report.items())
                .extracting(ApplyReport.Item::label, ApplyReport.Item::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "NetworkPolicy app-b/allow-app-a-to-app-b", ApplyReport.Outcome.CONFIGURED),
                        org.assertj.core.groups.Tuple.tuple(
                                "NetworkPolicy app-b/deny-egress", ApplyReport.Outcome.CREATED));
        assertThat(report.items().get(0).after().toString()).contains("kubernetes.io/metadata.name=app-a");

        NetworkPolicy after = policy("app-b", "allow-app-a-to-app-b");
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(selectorOf(after)).isEqualTo("{name=app-a}");
        assertThat(policy("app-b", "deny-egress")).isNull();
    }

    @Test
    void applyCreatesAndUpdatesAndIsIdempotent() {
        ApplyReport report = writer.apply(MockCluster.parse("fixed.yaml", FIXED), false);
        assertThat(report.ok()).isTrue();
        assertThat(report.changed()).isTrue();
        assertThat(report.items())
                .extracting(ApplyReport.Item::outcome)
                .containsExactly(ApplyReport.Outcome.CONFIGURED, ApplyReport.Outcome.CREATED);
        assertThat(selectorOf(policy("app-b", "allow-app-a-to-app-b"))).contains("kubernetes.io/metadata.name=app-a");
        assertThat(policy("app-b", "deny-egress")).isNotNull();

        ApplyReport again = writer.apply(MockCluster.parse("fixed.yaml", FIXED), false);
        assertThat(again.items())
                .extracting(ApplyReport.Item::outcome)
                .containsExactly(ApplyReport.Outcome.UNCHANGED, ApplyReport.Outcome.UNCHANGED);
        assertThat(again.changed()).isFalse();

        // The fix makes the article's flow work.
        MockCluster.Run run =
                MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "trace app-a -> app-b:80");
        assertThat(run.code()).as(run.out()).isZero();
    }

    @Test
    void aFailureInTheMiddleLeavesTheClusterAsItWas() {
        cluster.server
                .expect()
                .patch()
                .withPath("/apis/networking.k8s.io/v1/namespaces/app-b/networkpolicies/third?fieldManager=tortie"
                        + "&force=false")
                .andReturn(
                        403,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
                                + "\"code\":403,\"message\":\"networkpolicies.networking.k8s.io \\\"third\\\" is"
                                + " forbidden\"}")
                .always();
        NetworkPolicy before = policy("app-b", "allow-app-a-to-app-b");
        List<Manifest> batch = new java.util.ArrayList<>(MockCluster.parse("fixed.yaml", FIXED));
        batch.addAll(MockCluster.parse("third.yaml", FORBIDDEN_ONE));

        ApplyReport report = writer.apply(batch, false);

        assertThat(report.ok()).isFalse();
        assertThat(report.failure())
                .isEqualTo("cannot create networkpolicies.networking.k8s.io app-b/third: forbidden (RBAC)");
        assertThat(report.items())
                .extracting(ApplyReport.Item::outcome, ApplyReport.Item::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ApplyReport.Outcome.ROLLED_BACK, "changed, then restored to its previous state"),
                        org.assertj.core.groups.Tuple.tuple(
                                ApplyReport.Outcome.ROLLED_BACK, "created, then deleted again"),
                        org.assertj.core.groups.Tuple.tuple(ApplyReport.Outcome.FAILED, report.failure()));
        NetworkPolicy after = policy("app-b", "allow-app-a-to-app-b");
        assertThat(after.getSpec()).isEqualTo(before.getSpec());
        assertThat(selectorOf(after)).isEqualTo("{name=app-a}");
        assertThat(policy("app-b", "deny-egress")).isNull();
        assertThat(policy("app-b", "third")).isNull();
    }

    @Test
    void validationRejectsUnknownKindsAndInvalidObjectsBeforeSendingAnything() {
        String yaml =
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: bad-port
                spec:
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 70000
                ---
                apiVersion: projectcalico.org/v3
                kind: GlobalNetworkPolicy
                metadata:
                  name: calico-one
                spec:
                  selector: all()
                """;
        int requests = cluster.server.getRequestCount();
        assertThatThrownBy(() -> writer.apply(MockCluster.parse("batch.yaml", yaml), true))
                .isInstanceOfSatisfying(
                        TortieException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INPUT))
                .hasMessageStartingWith("nothing applied: 3 problems:")
                .hasMessageContaining("batch.yaml document 1 (line 1): ConfigMap settings: kind ConfigMap (v1)"
                        + " cannot be applied by tortie")
                .hasMessageContaining("NetworkPolicy app-a/bad-port: spec.ingress[0].ports[0].port")
                .hasMessageContaining("GlobalNetworkPolicy calico-one: Calico policy resources are not installed in"
                        + " context 'mock'");
        assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
    }

    @Test
    void namespaceDefaultsToTheContextNamespace() {
        ApplyReport report = writer.apply(
                MockCluster.parse(
                        "np.yaml",
                        """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata:
                          name: deny-all
                        spec:
                          podSelector: {}
                        """),
                false);
        assertThat(report.items()).singleElement().satisfies(i -> assertThat(i.namespace())
                .isEqualTo("app-a"));
        assertThat(policy("app-a", "deny-all")).isNotNull();
    }

    @Test
    void deleteWithDryRunThenForReal() {
        DeleteReport dry = writer.delete("NetworkPolicy", "app-b", "allow-app-a-to-app-b", true);
        assertThat(dry.outcome()).isEqualTo(DeleteReport.Outcome.DELETED);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.before()).isNotNull();
        assertThat(policy("app-b", "allow-app-a-to-app-b")).isNotNull();

        DeleteReport real = writer.delete(
                new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "allow-app-a-to-app-b"), false);
        assertThat(real.outcome()).isEqualTo(DeleteReport.Outcome.DELETED);
        assertThat(real.label()).isEqualTo("NetworkPolicy app-b/allow-app-a-to-app-b");
        assertThat(policy("app-b", "allow-app-a-to-app-b")).isNull();

        DeleteReport again = writer.delete("networkpolicies.networking.k8s.io", "app-b", "allow-app-a-to-app-b", false);
        assertThat(again.outcome()).isEqualTo(DeleteReport.Outcome.NOT_FOUND);
        assertThat(again.message()).isEqualTo("networkpolicies.networking.k8s.io app-b/allow-app-a-to-app-b not found");
    }

    @Test
    void forbiddenDeleteIsReportedClearly() {
        cluster.server
                .expect()
                .delete()
                .withPath("/apis/networking.k8s.io/v1/namespaces/app-a/networkpolicies/allow-app-a-egress")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}")
                .always();
        DeleteReport report = writer.delete("networkpolicy", null, "allow-app-a-egress", false);
        assertThat(report.outcome()).isEqualTo(DeleteReport.Outcome.FAILED);
        assertThat(report.message())
                .isEqualTo("cannot delete networkpolicies.networking.k8s.io app-a/allow-app-a-egress: forbidden"
                        + " (RBAC)");
        assertThat(policy("app-a", "allow-app-a-egress")).isNotNull();
    }

    @Test
    void applyAndDeleteThroughTheShell() {
        Path fixed = cluster.write("fixed.yaml", FIXED);
        String kubeconfig = cluster.kubeconfig.toString();

        MockCluster.Run dry = MockCluster.run("--kubeconfig", kubeconfig, "-c", "apply -f " + fixed + " --dry-run");
        assertThat(dry.code()).as(dry.out() + dry.err()).isEqualTo(1);
        assertThat(dry.out())
                .contains("NetworkPolicy app-b/allow-app-a-to-app-b would be configured (server dry run)")
                .contains("NetworkPolicy app-b/deny-egress would be created (server dry run)");
        assertThat(policy("app-b", "deny-egress")).isNull();

        // One process: the applied objects are in the model at once (read your writes).
        MockCluster.Run real =
                MockCluster.run("--kubeconfig", kubeconfig, "-c", "apply -f " + fixed + "; trace app-a -> app-b:80");
        assertThat(real.code()).as(real.out() + real.err()).isZero();
        assertThat(real.out())
                .contains("NetworkPolicy app-b/allow-app-a-to-app-b configured (server-side apply)")
                .contains("NetworkPolicy app-b/deny-egress created (server-side apply)");
        assertThat(policy("app-b", "deny-egress")).isNotNull();

        MockCluster.Run delete =
                MockCluster.run("--kubeconfig", kubeconfig, "-c", "delete policy deny-egress -n app-b --dry-run");
        assertThat(delete.code()).as(delete.out() + delete.err()).isEqualTo(1);
        assertThat(delete.out()).contains("NetworkPolicy app-b/deny-egress would be deleted (server dry run)");
        assertThat(policy("app-b", "deny-egress")).isNotNull();

        MockCluster.Run deleted = MockCluster.run(
                "--kubeconfig", kubeconfig, "-c", "delete policy deny-egress -n app-b; trace app-b -> app-a:80");
        assertThat(deleted.code()).as(deleted.out() + deleted.err()).isZero();
        assertThat(deleted.out()).contains("NetworkPolicy app-b/deny-egress deleted");
        assertThat(policy("app-b", "deny-egress")).isNull();
    }

    @Test
    void aFailedApplyThroughTheShellIsAClusterError() {
        cluster.server
                .expect()
                .patch()
                .withPath("/apis/networking.k8s.io/v1/namespaces/app-b/networkpolicies/deny-egress?fieldManager=tortie"
                        + "&force=false")
                .andReturn(
                        409,
                        "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\",\"message\":"
                                + "\"Apply failed with 1 conflict: conflict with \\\"helm\\\": .spec.policyTypes\"}")
                .always();
        Path fixed = cluster.write("fixed.yaml", FIXED);
        MockCluster.Run run = MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "apply -f " + fixed);
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err())
                .contains("error: apply failed: cannot create networkpolicies.networking.k8s.io app-b/deny-egress:"
                        + " conflict: apply failed with 1 conflict: conflict with \"helm\": .spec.policyTypes"
                        + " (another field manager owns these fields); nothing was changed"
                        + " (undone: NetworkPolicy app-b/allow-app-a-to-app-b restored)");
        assertThat(selectorOf(policy("app-b", "allow-app-a-to-app-b"))).isEqualTo("{name=app-a}");
    }

    @Test
    void aWatchingSourceSeesWhatTheWriterApplied() {
        try (KubeSource watching = cluster.open(true, new MockCluster.Recorder())) {
            watching.writer().apply(MockCluster.parse("fixed.yaml", FIXED), false);
            PolicyId id = new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "deny-egress");
            assertThat(MockCluster.eventually(20_000, () -> watching.read(index -> index.policy(id) != null)))
                    .isTrue();
            Map<String, Object> status = watching.status();
            assertThat(status).containsEntry("watch", true);
        }
    }
}
