package dev.tortie.engine.convert;

import static dev.tortie.engine.convert.Manifests.errors;
import static dev.tortie.engine.convert.Manifests.messages;
import static dev.tortie.engine.convert.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.selector.Selector;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes NetworkPolicy -> Calico shape, pinned against Calico's K8sNetworkPolicyToCalico. */
class KubernetesPolicyConverterTest {
    private static final String ORCH = "projectcalico.org/orchestrator == 'k8s'";

    private static Policy convert(String yaml) {
        Converted<Policy> converted = KubernetesPolicyConverter.convert(one(yaml));
        assertThat(errors(converted)).isEmpty();
        assertThat(converted.value()).isNotNull();
        return converted.value();
    }

    private static Converted<Policy> convertRaw(String yaml) {
        return KubernetesPolicyConverter.convert(one(yaml));
    }

    private static String policy(String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: p
                  namespace: ns1
                spec:
                """
                + spec.indent(2);
    }

    private static String canonical(String calicoSelector) {
        return Selector.parse(calicoSelector).canonical();
    }

    @Nested
    class Selectors {
        @Test
        void emptyPodSelectorIsJustTheOrchestratorTerm() {
            Policy p = convert(policy("podSelector: {}\n"));
            assertThat(p.selector().canonical()).isEqualTo("projectcalico.org/orchestrator == \"k8s\"");
            assertThat(p.selector()).isEqualTo(Selector.parse(ORCH));
        }

        @Test
        void absentPodSelectorIsEmpty() {
            Policy p = convert(policy("policyTypes: [Ingress]\n"));
            assertThat(p.selector()).isEqualTo(Selector.parse(ORCH));
        }

        @Test
        void matchLabelsInSortedKeyOrder() {
            Map<String, String> labels = new TreeMap<>(Map.of("zone", "a", "app", "web", "role", "fe"));
            KubernetesPolicyConverter.LabelSelector selector =
                    new KubernetesPolicyConverter.LabelSelector(new TreeMap<>(labels), List.of());
            assertThat(KubernetesPolicyConverter.toCalico(selector, true))
                    .isEqualTo(ORCH + " && app == 'web' && role == 'fe' && zone == 'a'");
            Policy p = convert(
                    policy(
                            """
                    podSelector:
                      matchLabels: {zone: a, app: web, role: fe}
                    """));
            assertThat(p.selector().canonical())
                    .isEqualTo("(projectcalico.org/orchestrator == \"k8s\" && app == \"web\" && role == \"fe\""
                            + " && zone == \"a\")");
        }

        @Test
        void matchExpressionsAllFourOperatorsInGivenOrder() {
            String yaml = policy(
                    """
                    podSelector:
                      matchLabels: {app: db}
                      matchExpressions:
                      - {key: env, operator: In, values: [prod, dev]}
                      - {key: tier, operator: NotIn, values: [cache]}
                      - {key: owner, operator: Exists}
                      - {key: debug, operator: DoesNotExist}
                    """);
            ConversionContext ctx = new ConversionContext(null, "test");
            Object podSelector = ((Map<?, ?>) one(yaml).tree().get("spec")).get("podSelector");
            String calico = KubernetesPolicyConverter.toCalico(
                    KubernetesPolicyConverter.readLabelSelector(ctx, podSelector, "spec.podSelector"), true);
            assertThat(calico)
                    .isEqualTo(ORCH + " && app == 'db' && env in { 'prod', 'dev' } && tier not in { 'cache' }"
                            + " && has(owner) && ! has(debug)");
            assertThat(convert(yaml).selector().canonical())
                    .isEqualTo(
                            "(projectcalico.org/orchestrator == \"k8s\" && app == \"db\" && env in {\"dev\", \"prod\"}"
                                    + " && tier not in {\"cache\"} && has(owner) && !has(debug))");
        }

        @Test
        void namespaceSelectorTranslationHasNoOrchestratorTerm() {
            KubernetesPolicyConverter.LabelSelector selector = new KubernetesPolicyConverter.LabelSelector(
                    new TreeMap<>(Map.of("namespaceRole", "dev", "namespaceFoo", "bar")), List.of());
            // conversion_test.go's expectation
            assertThat(KubernetesPolicyConverter.toCalico(selector, false))
                    .isEqualTo("namespaceFoo == 'bar' && namespaceRole == 'dev'");
            assertThat(KubernetesPolicyConverter.toCalico(null, false)).isEmpty();
            assertThat(KubernetesPolicyConverter.toCalico(
                            new KubernetesPolicyConverter.LabelSelector(new TreeMap<>(), List.of()), false))
                    .isEqualTo("all()");
        }
    }

    @Nested
    class Peers {
        @Test
        void peerWithOnlyNamespaceSelector() {
            Policy p = convert(
                    policy(
                            """
                    podSelector: {}
                    ingress:
                    - from:
                      - namespaceSelector:
                          matchLabels: {team: web}
                    """));
            Rule r = p.ingress().get(0);
            assertThat(r.source().selector()).isEqualTo(Selector.parse(ORCH));
            assertThat(r.source().namespaceSelector().canonical()).isEqualTo("team == \"web\"");
            assertThat(r.origin()).isEqualTo("ingress[0].from[0]");
        }

        @Test
        void peerWithOnlyPodSelectorHasNoNamespaceSelector() {
            Policy p = convert(
                    policy(
                            """
                    ingress:
                    - from:
                      - podSelector:
                          matchLabels: {podA: B, podC: D}
                    """));
            Rule r = p.ingress().get(0);
            assertThat(r.source().selector()).isEqualTo(Selector.parse(ORCH + " && podA == 'B' && podC == 'D'"));
            assertThat(r.source().namespaceSelector()).isNull();
        }

        @Test
        void peerWithBothSelectors() {
            Policy p = convert(
                    policy(
                            """
                    ingress:
                    - from:
                      - podSelector: {matchLabels: {role: fe}}
                        namespaceSelector: {matchLabels: {team: web}}
                    """));
            EntityRule source = p.ingress().get(0).source();
            assertThat(source.selector().canonical())
                    .isEqualTo("(projectcalico.org/orchestrator == \"k8s\" && role == \"fe\")");
            assertThat(source.namespaceSelector().canonical()).isEqualTo("team == \"web\"");
        }

        @Test
        void emptyNamespaceSelectorIsAll() {
            Policy p = convert(
                    policy(
                            """
                    egress:
                    - to:
                      - namespaceSelector: {}
                    """));
            EntityRule destination = p.egress().get(0).destination();
            assertThat(destination.namespaceSelector()).isEqualTo(Selector.all());
            assertThat(destination.namespaceSelector().canonical()).isEqualTo("all()");
            assertThat(destination.selector()).isEqualTo(Selector.parse(ORCH));
            assertThat(p.egress().get(0).source()).isEqualTo(EntityRule.ANY);
        }

        @Test
        void ipBlockWithExceptAndNonCanonicalCidr() {
            Policy p = convert(
                    policy(
                            """
                    egress:
                    - to:
                      - ipBlock:
                          cidr: 10.244.1.5/4
                          except: [10.244.1.6/32, 10.1.2.3/16]
                    """));
            EntityRule destination = p.egress().get(0).destination();
            assertThat(destination.nets()).containsExactly(Cidr.parse("0.0.0.0/4"));
            assertThat(destination.notNets()).containsExactly(Cidr.parse("10.244.1.6/32"), Cidr.parse("10.1.0.0/16"));
            assertThat(destination.selector()).isNull();
            assertThat(destination.namespaceSelector()).isNull();
        }

        @Test
        void noPeersGivesOneRuleWithAnyEntity() {
            Policy p =
                    convert(policy("""
                    ingress:
                    - {}
                    """));
            assertThat(p.ingress())
                    .containsExactly(new Rule(
                            Action.ALLOW,
                            null,
                            null,
                            null,
                            null,
                            null,
                            EntityRule.ANY,
                            EntityRule.ANY,
                            Map.of(),
                            "ingress[0]"));
        }

        @Test
        void onePeerRulePerPeerInOrder() {
            Policy p = convert(
                    policy(
                            """
                    ingress:
                    - from:
                      - podSelector: {matchLabels: {a: "1"}}
                      - ipBlock: {cidr: 192.168.0.0/16}
                      - namespaceSelector: {matchLabels: {b: "2"}}
                    """));
            assertThat(p.ingress())
                    .extracting(Rule::origin)
                    .containsExactly("ingress[0].from[0]", "ingress[0].from[1]", "ingress[0].from[2]");
        }
    }

    @Nested
    class Ports {
        @Test
        void groupedPerProtocolMergedAndSorted() {
            Policy p = convert(
                    policy(
                            """
                    ingress:
                    - from:
                      - podSelector: {}
                      - ipBlock: {cidr: 10.0.0.0/8}
                      ports:
                      - {protocol: UDP, port: 53}
                      - {port: 80}
                      - {protocol: TCP, port: 82}
                      - {protocol: TCP, port: http}
                      - {protocol: TCP, port: 81}
                      - {protocol: TCP, port: 8000, endPort: 8080}
                      - {protocol: TCP, port: 8081}
                      - {protocol: SCTP, port: 9999}
                    """));
            // protocols by name: SCTP < TCP < UDP; within each, one rule per peer in order.
            assertThat(p.ingress())
                    .extracting(Rule::protocol)
                    .containsExactly(
                            Protocol.SCTP, Protocol.SCTP, Protocol.TCP, Protocol.TCP, Protocol.UDP, Protocol.UDP);
            assertThat(p.ingress().get(2).destination().ports())
                    .containsExactly(PortSpec.named("http"), PortSpec.range(80, 82), PortSpec.range(8000, 8081));
            assertThat(p.ingress().get(0).destination().ports()).containsExactly(PortSpec.single(9999));
            assertThat(p.ingress().get(4).destination().ports()).containsExactly(PortSpec.single(53));
            assertThat(p.ingress().get(3).source().nets()).containsExactly(Cidr.parse("10.0.0.0/8"));
            assertThat(p.ingress())
                    .extracting(Rule::origin)
                    .containsExactly(
                            "ingress[0].from[0]",
                            "ingress[0].from[1]",
                            "ingress[0].from[0]",
                            "ingress[0].from[1]",
                            "ingress[0].from[0]",
                            "ingress[0].from[1]");
        }

        @Test
        void protocolOnlyPortMeansAllPortsAndWins() {
            Policy p = convert(
                    policy(
                            """
                    egress:
                    - ports:
                      - {protocol: UDP, port: 53}
                      - {protocol: UDP}
                      - {protocol: UDP, port: 54}
                      - {protocol: TCP, port: 443}
                    """));
            assertThat(p.egress()).hasSize(2);
            assertThat(p.egress().get(0).protocol()).isEqualTo(Protocol.TCP);
            assertThat(p.egress().get(0).destination().ports()).containsExactly(PortSpec.single(443));
            assertThat(p.egress().get(1).protocol()).isEqualTo(Protocol.UDP);
            assertThat(p.egress().get(1).destination().ports()).isEmpty();
            assertThat(p.egress().get(1).destination().isAny()).isTrue();
            assertThat(p.egress().get(1).origin()).isEqualTo("egress[0]");
        }

        @Test
        void portWithoutProtocolDefaultsToTcp() {
            Policy p = convert(
                    policy(
                            """
                    ingress:
                    - ports: [{port: 8080}]
                    """));
            assertThat(p.ingress().get(0).protocol()).isEqualTo(Protocol.TCP);
            assertThat(p.ingress().get(0).destination().ports()).containsExactly(PortSpec.single(8080));
        }

        @Test
        void emptyPortEntryIsAllTcp() {
            Policy p = convert(
                    policy("""
                    ingress:
                    - ports: [{}]
                    """));
            assertThat(p.ingress().get(0).protocol()).isEqualTo(Protocol.TCP);
            assertThat(p.ingress().get(0).destination().ports()).isEmpty();
        }

        @Test
        void simplifyPortsLikeCalico() {
            assertThat(KubernetesPolicyConverter.simplifyPorts(List.of(
                            PortSpec.single(80),
                            PortSpec.single(81),
                            PortSpec.single(82),
                            PortSpec.single(9090),
                            PortSpec.named("foo"))))
                    .containsExactly(PortSpec.named("foo"), PortSpec.range(80, 82), PortSpec.single(9090));
            // At most one numeric port: returned as given.
            assertThat(KubernetesPolicyConverter.simplifyPorts(List.of(PortSpec.single(80), PortSpec.named("http"))))
                    .containsExactly(PortSpec.single(80), PortSpec.named("http"));
            assertThat(KubernetesPolicyConverter.simplifyPorts(List.of(PortSpec.single(90), PortSpec.single(80))))
                    .containsExactly(PortSpec.single(80), PortSpec.single(90));
            assertThat(KubernetesPolicyConverter.simplifyPorts(List.of(PortSpec.range(80, 90), PortSpec.single(85))))
                    .containsExactly(PortSpec.range(80, 90));
            assertThat(KubernetesPolicyConverter.simplifyPorts(
                            List.of(PortSpec.single(80), PortSpec.single(80), PortSpec.range(81, 81))))
                    .containsExactly(PortSpec.range(80, 81));
            assertThat(KubernetesPolicyConverter.simplifyPorts(List.of(PortSpec.range(1, 65535), PortSpec.single(5))))
                    .containsExactly(PortSpec.range(1, 65535));
        }
    }

    @Nested
    class PolicyTypes {
        @Test
        void absentMeansIngress() {
            Policy p = convert(policy("podSelector: {}\n"));
            assertThat(p.appliesToIngress()).isTrue();
            assertThat(p.appliesToEgress()).isFalse();
        }

        @Test
        void absentWithEgressRulesAddsEgress() {
            Policy p = convert(policy("egress:\n- {}\n"));
            assertThat(p.appliesToIngress()).isTrue();
            assertThat(p.appliesToEgress()).isTrue();
        }

        @Test
        void explicitEgressOnly() {
            Policy p = convert(policy("policyTypes: [Egress]\n"));
            assertThat(p.appliesToIngress()).isFalse();
            assertThat(p.appliesToEgress()).isTrue();
            assertThat(p.egress()).isEmpty();
        }

        @Test
        void egressRulesWithoutEgressTypeWarn() {
            Converted<Policy> c = convertRaw(policy("policyTypes: [Ingress]\negress:\n- {}\n"));
            assertThat(c.value().appliesToEgress()).isFalse();
            assertThat(messages(c))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.egress: egress rules"
                            + " have no effect: policyTypes does not include Egress");
        }
    }

    @Test
    void identityTierOrderAndManifest() {
        Policy p = convert(policy("podSelector: {}\n"));
        assertThat(p.id().kind()).isEqualTo(PolicyKind.KUBERNETES_NETWORK_POLICY);
        assertThat(p.id().toString()).isEqualTo("knp/ns1/p");
        assertThat(p.tier()).isEqualTo("default");
        assertThat(p.order()).isEqualTo(1000.0);
        assertThat(p.manifest()).containsEntry("kind", "NetworkPolicy");
        assertThat(p.source().line()).isEqualTo(1);
    }

    @Test
    void namespaceDefaultsToDefault() {
        Policy p = convert(
                """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all}
                spec: {podSelector: {}}
                """);
        assertThat(p.namespace()).isEqualTo("default");
    }

    /** calico-reference c.5b, rule for rule. */
    @Test
    void workedExample() {
        Policy p = convert(
                """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: api-allow
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels: {app: api}
                  policyTypes: [Ingress]
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {team: web}}
                      podSelector: {matchLabels: {role: fe}}
                    ports:
                    - {protocol: TCP, port: 8080}
                  - from:
                    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                    ports:
                    - {port: http}
                """);
        assertThat(p.selector()).isEqualTo(Selector.parse(ORCH + " && app == 'api'"));
        assertThat(p.tier()).isEqualTo("default");
        assertThat(p.order()).isEqualTo(1000.0);
        assertThat(p.appliesToIngress()).isTrue();
        assertThat(p.appliesToEgress()).isFalse();
        assertThat(p.egress()).isEmpty();
        assertThat(p.ingress())
                .containsExactly(
                        new Rule(
                                Action.ALLOW,
                                null,
                                Protocol.TCP,
                                null,
                                null,
                                null,
                                new EntityRule(
                                        List.of(),
                                        List.of(),
                                        Selector.parse(ORCH + " && role == 'fe'"),
                                        null,
                                        Selector.parse("team == 'web'"),
                                        null,
                                        List.of(),
                                        List.of()),
                                EntityRule.ANY.withPorts(List.of(PortSpec.single(8080))),
                                Map.of(),
                                "ingress[0].from[0]"),
                        new Rule(
                                Action.ALLOW,
                                null,
                                Protocol.TCP,
                                null,
                                null,
                                null,
                                new EntityRule(
                                        List.of(Cidr.parse("10.0.0.0/8")),
                                        List.of(Cidr.parse("10.1.0.0/16")),
                                        null,
                                        null,
                                        null,
                                        null,
                                        List.of(),
                                        List.of()),
                                EntityRule.ANY.withPorts(List.of(PortSpec.named("http"))),
                                Map.of(),
                                "ingress[1].from[0]"));
    }

    @Nested
    class Staged {
        @Test
        void stagedKubernetesPolicyKeepsItsKind() {
            Converted<Policy> c = KubernetesPolicyConverter.convert(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: StagedKubernetesNetworkPolicy
                    metadata: {name: trial, namespace: ns1}
                    spec:
                      stagedAction: Set
                      podSelector: {}
                      policyTypes: [Ingress]
                    """));
            assertThat(c.value().kind()).isEqualTo(PolicyKind.STAGED_KUBERNETES_NETWORK_POLICY);
            assertThat(c.value().staged()).isTrue();
        }

        @Test
        void stagedDeleteIsSkippedWithInfo() {
            Converted<Policy> c = KubernetesPolicyConverter.convert(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: StagedKubernetesNetworkPolicy
                    metadata: {name: trial, namespace: ns1}
                    spec: {stagedAction: Delete}
                    """));
            assertThat(c.value()).isNull();
            assertThat(c.hasErrors()).isFalse();
            assertThat(c.diagnostics()).extracting(Diagnostic::severity).containsExactly(Diagnostic.Severity.INFO);
        }
    }

    @Nested
    class Validation {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '`',
                textBlock =
                        """
                ingress: [{ports: [{port: 70000}]}]                      | spec.ingress[0].ports[0].port: port 70000 is out of range 1-65535
                ingress: [{ports: [{port: 0}]}]                          | spec.ingress[0].ports[0].port: port 0 is out of range 1-65535
                ingress: [{ports: [{port: "80"}]}]                       | spec.ingress[0].ports[0].port: port '80' is not a valid port name: must contain at least one letter (a number must not be quoted)
                ingress: [{ports: [{port: Http}]}]                       | spec.ingress[0].ports[0].port: port 'Http' is not a valid port name: must contain only lower-case letters, digits and '-'
                ingress: [{ports: [{port: a-very-long-port-name}]}]      | spec.ingress[0].ports[0].port: port 'a-very-long-port-name' is not a valid port name: must be at most 15 characters
                ingress: [{ports: [{port: my--port}]}]                   | spec.ingress[0].ports[0].port: port 'my--port' is not a valid port name: must not contain '--'
                ingress: [{ports: [{port: 80, endPort: 79}]}]            | spec.ingress[0].ports[0].endPort: endPort 79 is less than port 80
                ingress: [{ports: [{endPort: 90}]}]                      | spec.ingress[0].ports[0].endPort: endPort 90 requires port
                ingress: [{ports: [{port: http, endPort: 90}]}]          | spec.ingress[0].ports[0].endPort: endPort 90 requires a numeric port, not 'http'
                ingress: [{ports: [{protocol: tcp, port: 80}]}]          | spec.ingress[0].ports[0].protocol: protocol 'tcp' is invalid: must be TCP, UDP or SCTP
                ingress: [{ports: [{protocol: ICMP}]}]                   | spec.ingress[0].ports[0].protocol: protocol 'ICMP' is invalid: must be TCP, UDP or SCTP
                egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]         | spec.egress[0].to[0].ipBlock.cidr: cidr '10.0.0.0/33' is not a valid CIDR
                egress: [{to: [{ipBlock: {cidr: 10.0.0.1}}]}]            | spec.egress[0].to[0].ipBlock.cidr: cidr '10.0.0.1' is not a valid CIDR
                egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}] | spec.egress[0].to[0].ipBlock.except[0]: except 10.1.0.0/24 must be a strict subset of cidr 10.0.0.0/16
                egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}}]}] | spec.egress[0].to[0].ipBlock.except[0]: except 10.0.0.0/16 must be a strict subset of cidr 10.0.0.0/16
                egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]        | spec.egress[0].to[0]: may not specify both ipBlock and another peer (podSelector or namespaceSelector)
                ingress: [{from: [{}]}]                                  | spec.ingress[0].from[0]: must specify a peer: podSelector, namespaceSelector or ipBlock
                policyTypes: [ingress]                                   | spec.policyTypes[0]: policy type 'ingress' is invalid: must be Ingress or Egress
                podSelector: {matchExpressions: [{key: app, operator: In}]}                 | spec.podSelector.matchExpressions[0].values: values must be given when operator is In
                podSelector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]} | spec.podSelector.matchExpressions[0].values: values [a] must be empty when operator is Exists
                podSelector: {matchExpressions: [{key: app, operator: in, values: [a]}]}    | spec.podSelector.matchExpressions[0].operator: operator 'in' is invalid: must be In, NotIn, Exists or DoesNotExist
                podSelector: {matchExpressions: [{key: 'bad key', operator: Exists}]}       | spec.podSelector.matchExpressions[0].key: key 'bad key' is invalid: name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit
                podSelector: {matchLabels: {app: 'a b'}}                 | spec.podSelector.matchLabels: label app value 'a b' is invalid: must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit
                podSelector: {matchLabels: {app: true}}                  | spec.podSelector.matchLabels.app: expected a string, got boolean true (quote it: 'true')
                """)
        void apiServerValidation(String spec, String expected) {
            Converted<Policy> c = convertRaw(policy(spec + "\n"));
            assertThat(c.value()).isNull();
            assertThat(errors(c)).containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: " + expected);
        }

        @Test
        void invalidName() {
            Converted<Policy> c = KubernetesPolicyConverter.convert(
                    one(
                            """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: Allow_All, namespace: ns1}
                    spec: {podSelector: {}}
                    """));
            assertThat(errors(c))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/Allow_All: metadata.name: name"
                            + " 'Allow_All' is invalid: must be a DNS-1123 subdomain: lower-case letters, digits, '-'"
                            + " and '.', starting and ending with a letter or digit");
        }

        @Test
        void missingName() {
            Converted<Policy> c = KubernetesPolicyConverter.convert(
                    one(
                            """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {namespace: ns1}
                    spec: {podSelector: {}}
                    """));
            assertThat(errors(c))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/(unnamed): metadata.name: name"
                            + " is missing");
        }

        @Test
        void unknownFieldsWarn() {
            Converted<Policy> c = convertRaw(policy("podSelector: {}\ningres: []\n"));
            assertThat(c.value()).isNotNull();
            assertThat(messages(c))
                    .containsExactly(
                            "test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.ingres: unknown field 'ingres' ignored");
        }
    }
}
