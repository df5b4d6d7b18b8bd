package dev.tortie.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestLoaderTest {
    private static final String GOOD_BEFORE =
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: app-a}
            ---
            """;
    private static final String GOOD_AFTER =
            """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: app-b}
            spec: {podSelector: {}}
            """;

    private static List<String> strings(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::toString).toList();
    }

    /** The bad object sits in document 2 between two good ones; only it is missing from the result. */
    private static LoadResult loadBetween(String bad) {
        LoadResult result = ManifestLoader.load("examples/x.yaml", GOOD_BEFORE + bad + GOOD_AFTER);
        assertThat(result.namespaces()).extracting(n -> n.name()).containsExactly("app-a");
        assertThat(result.policies())
                .extracting(Policy::id)
                .contains(new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "deny-all"));
        return result;
    }

    @Test
    void portOutOfRange() {
        LoadResult result = loadBetween(
                """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: allow-a
                  namespace: app-b
                spec:
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 70000
                """);
        assertThat(result.policies()).hasSize(1);
        assertThat(strings(result.errors()))
                .containsExactly("examples/x.yaml document 2 (line 5): NetworkPolicy app-b/allow-a:"
                        + " spec.ingress[0].ports[0].port: port 70000 is out of range 1-65535");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            endPort below port     | ingress: [{ports: [{port: 8080, endPort: 80}]}]          | spec.ingress[0].ports[0].endPort: endPort 80 is less than port 8080
            invalid CIDR           | egress: [{to: [{ipBlock: {cidr: 10.0.0.0/99}}]}]          | spec.egress[0].to[0].ipBlock.cidr: cidr '10.0.0.0/99' is not a valid CIDR
            bad peer selector key  | ingress: [{from: [{podSelector: {matchLabels: {'-x': a}}}]}] | spec.ingress[0].from[0].podSelector.matchLabels: label key '-x' is invalid: name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit
            """)
    void kubernetesPolicyErrors(String name, String spec, String expected) {
        LoadResult result = loadBetween(
                """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-a, namespace: app-b}
                spec:
                """
                        + ("podSelector: {}\n" + spec + "\n").indent(2));
        assertThat(strings(result.errors()))
                .containsExactly("examples/x.yaml document 2 (line 5): NetworkPolicy app-b/allow-a: " + expected);
    }

    @Test
    void badSelectorNamesTheColumn() {
        LoadResult result = loadBetween(
                """
                apiVersion: projectcalico.org/v3
                kind: GlobalNetworkPolicy
                metadata: {name: gnp-1}
                spec:
                  selector: app == 'a' && (role == 'b'
                """);
        assertThat(result.policies()).hasSize(1);
        assertThat(result.errors()).hasSize(1);
        Diagnostic d = result.errors().get(0);
        assertThat(d.source()).isEqualTo(new dev.tortie.engine.model.ObjectSource("examples/x.yaml", 2, 5));
        assertThat(d.object()).isEqualTo("GlobalNetworkPolicy gnp-1");
        assertThat(d.field()).isEqualTo("spec.selector");
        assertThat(d.message())
                .startsWith("invalid selector 'app == 'a' && (role == 'b'': ")
                .contains("at column 27");
    }

    @Test
    void bareIpInCalicoNets() {
        LoadResult result = loadBetween(
                """
                apiVersion: projectcalico.org/v3
                kind: NetworkPolicy
                metadata: {name: allow-host, namespace: app-b}
                spec:
                  egress:
                  - action: Allow
                    destination: {nets: [192.168.1.1]}
                """);
        assertThat(strings(result.errors()))
                .containsExactly("examples/x.yaml document 2 (line 5): NetworkPolicy app-b/allow-host:"
                        + " spec.egress[0].destination.nets[0]: '192.168.1.1' is an IP address, not a CIDR: Calico"
                        + " requires a prefix length here (write 192.168.1.1/32)");
    }

    @Test
    void missingName() {
        LoadResult result = loadBetween(
                """
                apiVersion: v1
                kind: Pod
                metadata:
                  namespace: app-b
                  labels: {app: b}
                """);
        assertThat(result.endpoints()).isEmpty();
        assertThat(strings(result.errors()))
                .containsExactly("examples/x.yaml document 2 (line 5): Pod app-b/(unnamed): metadata.name: name is"
                        + " missing");
    }

    @Test
    void unknownKind() {
        LoadResult result = loadBetween(
                """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """);
        assertThat(strings(result.errors()))
                .containsExactly("examples/x.yaml document 2 (line 5): Widget w: unknown kind Widget in apiVersion"
                        + " example.com/v1");
    }

    @Test
    void knownKindUnderWrongApiVersion() {
        LoadResult result = loadBetween(
                """
                apiVersion: extensions/v1beta1
                kind: NetworkPolicy
                metadata: {name: old, namespace: app-b}
                """);
        assertThat(strings(result.errors()))
                .containsExactly("examples/x.yaml document 2 (line 5): NetworkPolicy app-b/old: unknown kind"
                        + " NetworkPolicy in apiVersion extensions/v1beta1 (tortie reads NetworkPolicy as"
                        + " networking.k8s.io/v1)");
    }

    @Test
    void missingKindAndApiVersion() {
        LoadResult result = loadBetween("apiVersion: v1\nmetadata: {name: x}\n---\nkind: Pod\nmetadata: {name: y}\n");
        assertThat(strings(result.errors()))
                .containsExactly(
                        "examples/x.yaml document 2 (line 5): kind: kind is missing (apiVersion v1)",
                        "examples/x.yaml document 3 (line 8): Pod y: apiVersion: apiVersion is missing (kind Pod)");
    }

    @Test
    void malformedYaml() {
        LoadResult result = loadBetween("apiVersion: v1\nkind: Pod\nmetadata: {name: [x}\n");
        assertThat(result.endpoints()).isEmpty();
        assertThat(result.errors()).hasSize(1);
        assertThat(result.errors().get(0).toString())
                .startsWith("examples/x.yaml document 2 (line 7): malformed YAML" + " at line 7, column ");
    }

    @Test
    void diagnosticsComeInDocumentOrder() {
        LoadResult result = ManifestLoader.load(
                "o.yaml",
                """
                apiVersion: v1
                kind: Pod
                metadata: {name: Bad_1}
                ---
                kind: [
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: Bad_3}
                """);
        assertThat(result.diagnostics()).extracting(d -> d.source().document()).containsExactly(1, 2, 3);
    }

    @Test
    void ignoredAndUnsupportedKinds() {
        LoadResult result = ManifestLoader.load(
                "k.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: admin}
                ---
                apiVersion: projectcalico.org/v3
                kind: HostEndpoint
                metadata: {name: eth0}
                ---
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: anp}
                """);
        assertThat(result.hasErrors()).isFalse();
        assertThat(strings(result.diagnostics()))
                .containsExactly(
                        "k.yaml document 1 (line 1): Service shop/web: Service ignored: it does not affect network"
                                + " policy",
                        "k.yaml document 2 (line 5): ClusterRoleBinding admin: ClusterRoleBinding ignored: it does not"
                                + " affect network policy",
                        "k.yaml document 3 (line 9): HostEndpoint eth0: HostEndpoint (projectcalico.org/v3) is not"
                                + " supported, ignored: policy from it is not modelled",
                        "k.yaml document 4 (line 13): AdminNetworkPolicy anp: AdminNetworkPolicy"
                                + " (policy.networking.k8s.io/v1alpha1) is not supported, ignored: policy from it is"
                                + " not modelled");
        assertThat(result.diagnostics())
                .extracting(Diagnostic::severity)
                .containsExactly(
                        Diagnostic.Severity.INFO,
                        Diagnostic.Severity.INFO,
                        Diagnostic.Severity.WARNING,
                        Diagnostic.Severity.WARNING);
    }

    @Test
    void duplicateIdentityReplacesWithWarning() {
        LoadResult result = ManifestLoader.load(
                List.of(
                        new SourceText(
                                "one.yaml",
                                """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: p, namespace: ns}
                        spec: {podSelector: {}}
                        ---
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: ns}
                        """),
                        new SourceText(
                                "two.yaml",
                                """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: p, namespace: ns}
                        spec: {podSelector: {}, policyTypes: [Egress]}
                        ---
                        apiVersion: projectcalico.org/v3
                        kind: NetworkPolicy
                        metadata: {name: p, namespace: ns}
                        spec: {}
                        """)));
        assertThat(result.policies()).hasSize(2);
        assertThat(result.policies().get(0).appliesToEgress()).isTrue();
        assertThat(result.policies().get(0).source().location()).isEqualTo("two.yaml");
        assertThat(strings(result.diagnostics()))
                .containsExactly("two.yaml document 1 (line 1): NetworkPolicy ns/p: replaces the one from one.yaml"
                        + " document 1");
        assertThat(result.diagnostics().get(0).severity()).isEqualTo(Diagnostic.Severity.WARNING);
    }

    @Test
    void everyKindLoadsAndAppliesToClusterState() {
        LoadResult result = ManifestLoader.load(
                "all.yaml",
                """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: Namespace, metadata: {name: shop}}
                - {apiVersion: v1, kind: ServiceAccount, metadata: {name: api, namespace: shop}}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: api-0, namespace: shop, labels: {app: api}}
                  status: {podIP: 10.0.0.5}
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: api, namespace: shop}
                  spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}}}
                - apiVersion: batch/v1
                  kind: Job
                  metadata: {name: migrate, namespace: shop}
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: knp, namespace: shop}
                - apiVersion: projectcalico.org/v3
                  kind: GlobalNetworkPolicy
                  metadata: {name: gnp}
                  spec: {tier: security}
                - apiVersion: crd.projectcalico.org/v1
                  kind: StagedNetworkPolicy
                  metadata: {name: snp, namespace: shop}
                - apiVersion: projectcalico.org/v3
                  kind: StagedKubernetesNetworkPolicy
                  metadata: {name: sknp, namespace: shop}
                - apiVersion: projectcalico.org/v3
                  kind: Tier
                  metadata: {name: security}
                  spec: {order: 100}
                - apiVersion: projectcalico.org/v3
                  kind: NetworkSet
                  metadata: {name: ext, namespace: shop}
                  spec: {nets: [1.2.3.4]}
                - apiVersion: projectcalico.org/v3
                  kind: GlobalNetworkSet
                  metadata: {name: world}
                  spec: {nets: [0.0.0.0/0]}
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(result.namespaces()).hasSize(1);
        assertThat(result.serviceAccounts()).hasSize(1);
        assertThat(result.endpoints()).hasSize(1);
        assertThat(result.workloads()).hasSize(2);
        assertThat(result.policies())
                .extracting(p -> p.id().toString())
                .containsExactly("knp/shop/knp", "gnp/gnp", "snp/shop/snp", "sknp/shop/sknp");
        assertThat(result.tiers()).hasSize(1);
        assertThat(result.networkSets()).hasSize(2);
        assertThat(result.objectCount()).isEqualTo(12);

        ClusterState state = result.applyTo(ClusterState.builder()).build();
        assertThat(state.endpoint("shop", "api-0")).isPresent();
        assertThat(state.tiers()).extracting(t -> t.name()).containsExactly("default", "security");
        assertThat(state.policies()).hasSize(4);
        assertThat(state.networkSets()).hasSize(2);
        assertThat(state.workloads()).hasSize(2);
    }

    @Test
    void jsonFile() {
        LoadResult result = ManifestLoader.load(
                "np.json",
                """
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "from-json", "namespace": "y"},
                 "spec": {"podSelector": {"matchLabels": {"on": "y"}}, "policyTypes": ["Ingress"]}}
                """);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.policies().get(0).selector().canonical())
                .isEqualTo("(projectcalico.org/orchestrator == \"k8s\" && on == \"y\")");
    }

    @Test
    void resultListsAreImmutable() {
        LoadResult result = ManifestLoader.load("e.yaml", "");
        assertThat(result.objectCount()).isZero();
        assertThat(result.hasErrors()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> result.policies().add(null))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
