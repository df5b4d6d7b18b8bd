package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.command.Tokenizer;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch mode (the REPL): informers keep the index current, one incremental update per event. */
class KubeWatchIT {
    @TempDir
    Path dir;

    MockCluster cluster;
    KubeSource source;
    MockCluster.Recorder recorder = new MockCluster.Recorder();

    @BeforeEach
    void start() {
        cluster = MockCluster.start(dir);
        cluster.create(MockCluster.ARTICLE);
        source = cluster.open(true, recorder);
    }

    @AfterEach
    void stop() {
        source.close();
        cluster.close();
    }

    /** Runs a command against the live source, as the REPL would; returns the exit code. */
    int run(String command) {
        StringWriter out = new StringWriter();
        Session session = new Session(
                new PrintWriter(out),
                new PrintWriter(new StringWriter()),
                new Style(false),
                120,
                Clock.systemUTC(),
                Map.of(),
                () -> source,
                OutputFormat.TABLE,
                null);
        return ShellCommands.run(session, Tokenizer.words(command));
    }

    @Test
    void labellingTheNamespaceFlipsTheArticleFlowToAllow() {
        assertThat(source.watching()).isTrue();
        assertThat(run("trace app-a -> app-b:80")).isEqualTo(1);
        long before = source.read(index -> index.version());

        cluster.admin.namespaces().withName("app-a").edit(ns -> new NamespaceBuilder(ns)
                .editMetadata()
                .addToLabels("name", "app-a")
                .endMetadata()
                .build());

        assertThat(MockCluster.eventually(20_000, () -> run("trace app-a -> app-b:80") == 0))
                .as("app-a -> app-b:80 allowed once namespace app-a has name=app-a")
                .isTrue();
        // One relabel = one event = one incremental namespace upsert (no reload of the cluster).
        long after = source.read(index -> index.version());
        assertThat(after - before).isEqualTo(1);

        Map<String, Object> status = source.status();
        assertThat(status).containsEntry("watch", true);
        assertThat(status.get("lastEventAt")).isNotNull();
        assertThat((Long) status.get("events")).isEqualTo(1L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> resources = (List<Map<String, Object>>) status.get("resources");
        assertThat(resources)
                .filteredOn(r -> r.get("resource").equals("namespaces"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("watching", true));
    }

    @Test
    void policiesAndPodsAppearAndDisappear() {
        cluster.createYaml(
                """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: deny-all-egress
                  namespace: app-b
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                """);
        PolicyId id = new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "deny-all-egress");
        assertThat(MockCluster.eventually(20_000, () -> source.read(index -> index.policy(id) != null)))
                .isTrue();
        assertThat(run("trace app-b -> app-a:80")).isEqualTo(1);

        cluster.admin
                .network()
                .v1()
                .networkPolicies()
                .inNamespace("app-b")
                .withName("deny-all-egress")
                .delete();
        assertThat(MockCluster.eventually(20_000, () -> source.read(index -> index.policy(id) == null)))
                .isTrue();
        assertThat(run("trace app-b -> app-a:80")).isZero();

        cluster.admin
                .pods()
                .inNamespace("app-a")
                .withName("app-a-deployment-5d8f7c9b6-x2k9q")
                .delete();
        assertThat(MockCluster.eventually(
                        20_000,
                        () -> source.read(index -> index.endpointsIn("app-a").isEmpty())))
                .isTrue();
    }

    @Test
    void anUpdateTheConverterRejectsKeepsTheLastGoodVersion() {
        cluster.admin
                .network()
                .v1()
                .networkPolicies()
                .inNamespace("app-b")
                .withName("allow-app-a-to-app-b")
                .edit(np -> {
                    np.getSpec()
                            .getIngress()
                            .get(0)
                            .getPorts()
                            .get(0)
                            .setPort(new io.fabric8.kubernetes.api.model.IntOrString(70000));
                    return np;
                });
        assertThat(MockCluster.eventually(
                        20_000, () -> !source.status().get("invalid").equals(0)))
                .isTrue();
        PolicyId id = new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "allow-app-a-to-app-b");
        boolean kept = source.read(index -> index.policy(id) != null);
        assertThat(kept).isTrue();
        assertThat(source.status().get("invalidObjects").toString())
                .contains("rejected, keeping the last good version")
                .contains("NetworkPolicy app-b/allow-app-a-to-app-b");
        assertThat(recorder.diagnostics())
                .anyMatch(d -> d.isError() && d.toString().contains("NetworkPolicy app-b/allow-app-a-to-app-b"));
    }

    @Test
    void closeStopsTheWatches() {
        assertThat(MockCluster.eventually(20_000, source::allWatching)).isTrue();
        assertThat(source.informersRunning()).isTrue();
        source.close();
        assertThat(source.watching()).isFalse();
        assertThat(source.informersRunning()).isFalse();
        assertThat(source.allWatching()).isFalse();
        assertThat(source.status()).containsEntry("watch", false);
    }
}
