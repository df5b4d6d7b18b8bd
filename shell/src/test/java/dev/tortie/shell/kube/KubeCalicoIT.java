package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.model.PolicyKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calico policy resources: the Calico API server's projectcalico.org/v3, else the crd.projectcalico.org/v1 CRDs. */
class KubeCalicoIT {
    private static final String OBJECTS =
            """
            apiVersion: GROUP
            kind: Tier
            metadata:
              name: security
            spec:
              order: 100
              defaultAction: Pass
            ---
            apiVersion: GROUP
            kind: GlobalNetworkPolicy
            metadata:
              name: deny-app-b-egress
            spec:
              tier: security
              order: 10
              selector: app == 'app-b'
              types: [Egress]
              egress:
              - action: Deny
            ---
            apiVersion: GROUP
            kind: GlobalNetworkSet
            metadata:
              name: dns
              labels:
                role: dns
            spec:
              nets: [8.8.8.8/32]
            ---
            apiVersion: GROUP
            kind: NetworkPolicy
            metadata:
              name: allow-web
              namespace: app-a
            spec:
              selector: app == 'app-a'
              ingress:
              - action: Allow
                protocol: TCP
                destination:
                  ports: [80]
            """;

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

    private void installCalico(String group, String version) {
        cluster.crd(group, version, "Tier", "tiers", false);
        cluster.crd(group, version, "GlobalNetworkPolicy", "globalnetworkpolicies", false);
        cluster.crd(group, version, "NetworkPolicy", "networkpolicies", true);
        cluster.crd(group, version, "GlobalNetworkSet", "globalnetworksets", false);
        cluster.crd(group, version, "NetworkSet", "networksets", true);
    }

    @Test
    void readsTheCrdsWhenThereIsNoCalicoApiServer() {
        installCalico("crd.projectcalico.org", "v1");
        cluster.createYaml(OBJECTS.replace("GROUP", "crd.projectcalico.org/v1"));
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(false, recorder)) {
            assertThat(source.calicoApi()).isEqualTo(KubeResource.CALICO_CRDS);
            assertThat(recorder.notices()).isEmpty();
            assertPoliciesLoaded(source);
            assertThat(source.status()).containsEntry("calico", "crd.projectcalico.org/v1");
        }
        // The Calico policy denies app-b's egress in tier security, before the Kubernetes policies.
        MockCluster.Run run =
                MockCluster.run("--kubeconfig", cluster.kubeconfig.toString(), "-c", "trace app-b -> app-a:80");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("deny-app-b-egress");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void prefersTheCalicoApiServerAndSkipsItsMirrorsOfKubernetesPolicies() {
        installCalico("crd.projectcalico.org", "v1");
        installCalico("projectcalico.org", "v3");
        cluster.createYaml(OBJECTS.replace("GROUP", "projectcalico.org/v3"));
        cluster.createYaml(
                """
                apiVersion: projectcalico.org/v3
                kind: NetworkPolicy
                metadata:
                  name: knp.default.allow-app-a-to-app-b
                  namespace: app-b
                spec:
                  selector: all()
                """);
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(true, recorder)) {
            assertThat(source.calicoApi()).isEqualTo(KubeResource.CALICO_API);
            assertThat(source.resources())
                    .extracting(KubeResource::resource)
                    .contains("networkpolicies.projectcalico.org", "tiers.projectcalico.org")
                    .doesNotContain("networkpolicies.crd.projectcalico.org");
            assertPoliciesLoaded(source);
        }
    }

    @Test
    void withoutCalicoReadsKubernetesPoliciesAndSaysSoOnce() {
        MockCluster.Recorder recorder = new MockCluster.Recorder();
        try (KubeSource source = cluster.open(false, recorder)) {
            assertThat(source.calicoApi()).isNull();
            assertThat(recorder.notices()).containsExactly("info: " + KubeSource.CALICO_MISSING);
            assertThat(source.resources()).noneMatch(KubeResource::isCalico);
            List<PolicyKind> kinds = source.read(index -> index.policies().stream()
                    .map(p -> p.policy().id().kind())
                    .distinct()
                    .toList());
            assertThat(kinds).containsExactly(PolicyKind.KUBERNETES_NETWORK_POLICY);
        }
    }

    private static void assertPoliciesLoaded(KubeSource source) {
        source.read(index -> {
            assertThat(index.policies())
                    .extracting(CompiledPolicy::policy)
                    .extracting(p -> p.id().kind().shortName() + "/" + p.id().name())
                    .containsExactlyInAnyOrder(
                            "knp/allow-app-a-to-app-b",
                            "knp/allow-app-a-egress",
                            "gnp/deny-app-b-egress",
                            "np/allow-web");
            assertThat(index.tier("security")).isNotNull();
            assertThat(index.tier("security").order()).isEqualTo(100.0);
            assertThat(index.networkSets()).extracting(s -> s.name()).containsExactly("dns");
            return null;
        });
    }
}
