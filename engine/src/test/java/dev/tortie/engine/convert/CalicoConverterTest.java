package dev.tortie.engine.convert;

import static dev.tortie.engine.convert.Manifests.errors;
import static dev.tortie.engine.convert.Manifests.messages;
import static dev.tortie.engine.convert.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.IcmpMatch;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.selector.Selector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** projectcalico.org/v3 (and crd.projectcalico.org/v1) resources -> model, with Calico's validation. */
class CalicoConverterTest {

    private static String networkPolicy(String spec) {
        return """
                apiVersion: projectcalico.org/v3
                kind: NetworkPolicy
                metadata:
                  name: p
                  namespace: ns1
                spec:
                """
                + spec.indent(2);
    }

    private static String globalPolicy(String spec) {
        return """
                apiVersion: projectcalico.org/v3
                kind: GlobalNetworkPolicy
                metadata:
                  name: g
                spec:
                """
                + spec.indent(2);
    }

    private static Policy convert(String yaml) {
        Converted<Policy> c = CalicoConverter.convertPolicy(one(yaml));
        assertThat(errors(c)).isEmpty();
        return c.value();
    }

    private static Rule onlyIngressRule(String rule) {
        Policy p = convert(networkPolicy("ingress:\n" + rule.indent(2).replaceFirst("^  ", "- ")));
        assertThat(p.ingress()).hasSize(1);
        return p.ingress().get(0);
    }

    @Nested
    class PolicyFields {
        @Test
        void defaults() {
            Policy p = convert(networkPolicy("{}\n"));
            assertThat(p.id().kind()).isEqualTo(PolicyKind.CALICO_NETWORK_POLICY);
            assertThat(p.id().toString()).isEqualTo("np/ns1/p");
            assertThat(p.tier()).isEqualTo("default");
            assertThat(p.order()).isNull();
            assertThat(p.selector()).isEqualTo(Selector.all());
            assertThat(p.namespaceSelector()).isNull();
            assertThat(p.serviceAccountSelector()).isNull();
            assertThat(p.appliesToIngress()).isTrue();
            assertThat(p.appliesToEgress()).isFalse();
        }

        @Test
        void explicitFields() {
            Policy p = convert(
                    networkPolicy(
                            """
                    tier: security
                    order: 10.5
                    selector: app == 'web'
                    serviceAccountSelector: role == 'admin'
                    types: [Egress]
                    """));
            assertThat(p.tier()).isEqualTo("security");
            assertThat(p.order()).isEqualTo(10.5);
            assertThat(p.selector().canonical()).isEqualTo("app == \"web\"");
            assertThat(p.serviceAccountSelector().canonical()).isEqualTo("role == \"admin\"");
            assertThat(p.appliesToIngress()).isFalse();
            assertThat(p.appliesToEgress()).isTrue();
        }

        @Test
        void integerOrder() {
            assertThat(convert(networkPolicy("order: 100\n")).order()).isEqualTo(100.0);
        }

        @Test
        void globalPolicyNamespaceSelector() {
            Converted<Policy> c = CalicoConverter.convertPolicy(
                    one(
                            globalPolicy(
                                    """
                    namespaceSelector: team == 'a'
                    doNotTrack: true
                    applyOnForward: true
                    ingress: [{action: Allow}]
                    """)));
            Policy p = c.value();
            assertThat(p.id().toString()).isEqualTo("gnp/g");
            assertThat(p.namespace()).isNull();
            assertThat(p.namespaceSelector().canonical()).isEqualTo("team == \"a\"");
            assertThat(messages(c))
                    .containsExactly(
                            "test.yaml document 1 (line 1): GlobalNetworkPolicy g: spec.doNotTrack: doNotTrack only"
                                    + " matters for host endpoints, which tortie does not model; ignored",
                            "test.yaml document 1 (line 1): GlobalNetworkPolicy g: spec.applyOnForward: applyOnForward"
                                    + " only matters for host endpoints, which tortie does not model; ignored");
        }

        @Test
        void legacyTierPrefixedNameIsKeptAsWritten() {
            Converted<Policy> c = CalicoConverter.convertPolicy(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: NetworkPolicy
                    metadata: {name: security.allow-dns, namespace: ns1}
                    spec: {tier: security}
                    """));
            assertThat(c.diagnostics()).isEmpty();
            assertThat(c.value().name()).isEqualTo("security.allow-dns");
            assertThat(c.value().tier()).isEqualTo("security");

            Converted<Policy> defaultPrefixed = CalicoConverter.convertPolicy(
                    one(
                            """
                    apiVersion: crd.projectcalico.org/v1
                    kind: GlobalNetworkPolicy
                    metadata: {name: default.deny-all}
                    spec: {}
                    """));
            assertThat(defaultPrefixed.diagnostics()).isEmpty();
            assertThat(defaultPrefixed.value().name()).isEqualTo("default.deny-all");
            assertThat(defaultPrefixed.value().tier()).isEqualTo("default");
        }

        @Test
        void prefixThatIsNotTheTierIsReported() {
            Converted<Policy> c = CalicoConverter.convertPolicy(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: NetworkPolicy
                    metadata: {name: security.allow-dns, namespace: ns1}
                    spec: {}
                    """));
            assertThat(c.value().tier()).isEqualTo("default");
            assertThat(c.diagnostics()).extracting(Diagnostic::severity).containsExactly(Diagnostic.Severity.INFO);
        }

        @Test
        void stagedPolicies() {
            Converted<Policy> staged = CalicoConverter.convertPolicy(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: StagedGlobalNetworkPolicy
                    metadata: {name: trial}
                    spec: {stagedAction: Set, selector: all()}
                    """));
            assertThat(staged.value().kind()).isEqualTo(PolicyKind.STAGED_GLOBAL_NETWORK_POLICY);
            Converted<Policy> deleted = CalicoConverter.convertPolicy(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: StagedNetworkPolicy
                    metadata: {name: trial, namespace: ns1}
                    spec: {stagedAction: Delete}
                    """));
            assertThat(deleted.value()).isNull();
            assertThat(deleted.hasErrors()).isFalse();
            assertThat(messages(deleted))
                    .containsExactly("test.yaml document 1 (line 1): StagedNetworkPolicy ns1/trial: spec.stagedAction:"
                            + " staged delete skipped: Calico does not evaluate it");
        }
    }

    @Nested
    class TypesDefaulting {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                textBlock =
                        """
                no rules                | {}                                                     | true  | false
                ingress only            | {ingress: [{action: Allow}]}                           | true  | false
                egress only             | {egress: [{action: Allow}]}                            | false | true
                both                    | {ingress: [{action: Allow}], egress: [{action: Deny}]} | true  | true
                explicit both, no rules | {types: [Ingress, Egress]}                             | true  | true
                explicit ingress        | {types: [Ingress], egress: [{action: Allow}]}          | true  | false
                """)
        void types(String name, String spec, boolean ingress, boolean egress) {
            Policy p = convert(networkPolicy(spec + "\n"));
            assertThat(p.appliesToIngress()).isEqualTo(ingress);
            assertThat(p.appliesToEgress()).isEqualTo(egress);
        }
    }

    @Nested
    class RuleFields {
        @ParameterizedTest
        @ValueSource(strings = {"Allow", "Deny", "Pass", "Log"})
        void actions(String action) {
            assertThat(onlyIngressRule("action: " + action).action()).isEqualTo(Action.fromCalico(action));
        }

        @Test
        void ipVersionProtocolAndNotProtocol() {
            Rule r = onlyIngressRule("action: Allow\nipVersion: 6\nprotocol: UDPLite\nnotProtocol: 17\n");
            assertThat(r.ipVersion()).isEqualTo(6);
            assertThat(r.protocol()).isEqualTo(Protocol.UDPLITE);
            assertThat(r.notProtocol()).isEqualTo(Protocol.UDP);
            assertThat(onlyIngressRule("action: Allow\nprotocol: '47'\n").protocol())
                    .isEqualTo(new Protocol(47));
        }

        @Test
        void icmpAndNotIcmp() {
            Rule r = onlyIngressRule("action: Allow\nprotocol: ICMP\nicmp: {type: 8, code: 0}\nnotICMP: {type: 3}\n");
            assertThat(r.icmp()).isEqualTo(new IcmpMatch(8, 0));
            assertThat(r.notIcmp()).isEqualTo(new IcmpMatch(3, null));
            Rule v6 = onlyIngressRule("action: Allow\nipVersion: 6\nprotocol: ICMPv6\nicmp: {type: 128}\n");
            assertThat(v6.icmp()).isEqualTo(new IcmpMatch(128, null));
        }

        @Test
        void netsAndNotNetsAreNormalised() {
            Rule r = onlyIngressRule(
                    """
                    action: Deny
                    source:
                      nets: [10.1.2.3/16, 192.168.0.0/24]
                      notNets: [10.1.0.0/24]
                    destination:
                      nets: [172.16.0.0/12]
                    """);
            assertThat(r.source().nets()).containsExactly(Cidr.parse("10.1.0.0/16"), Cidr.parse("192.168.0.0/24"));
            assertThat(r.source().notNets()).containsExactly(Cidr.parse("10.1.0.0/24"));
            assertThat(r.destination().nets()).containsExactly(Cidr.parse("172.16.0.0/12"));
        }

        @Test
        void selectors() {
            Rule r = onlyIngressRule(
                    """
                    action: Allow
                    source:
                      selector: role == 'fe'
                      notSelector: has(debug)
                      namespaceSelector: global()
                    destination:
                      namespaceSelector: all()
                    """);
            assertThat(r.source().selector().canonical()).isEqualTo("role == \"fe\"");
            assertThat(r.source().notSelector().canonical()).isEqualTo("has(debug)");
            assertThat(r.source().namespaceSelector().canonical()).isEqualTo("global()");
            assertThat(r.destination().namespaceSelector()).isEqualTo(Selector.all());
            assertThat(r.origin()).isEqualTo("ingress[0]");
        }

        @Test
        void emptySelectorStringsAreAbsent() {
            Rule r = onlyIngressRule("action: Allow\nsource: {selector: '', namespaceSelector: ''}\n");
            assertThat(r.source()).isEqualTo(EntityRule.ANY);
        }

        @Test
        void serviceAccounts() {
            Rule r = onlyIngressRule(
                    """
                    action: Allow
                    source:
                      serviceAccounts:
                        names: [api, worker]
                        selector: team == 'x'
                    """);
            assertThat(r.source().serviceAccounts().names()).containsExactly("api", "worker");
            assertThat(r.source().serviceAccounts().selector().canonical()).isEqualTo("team == \"x\"");
        }

        @Test
        void portsAndNotPorts() {
            Rule r = onlyIngressRule(
                    """
                    action: Allow
                    protocol: TCP
                    source:
                      ports: [1024:65535]
                    destination:
                      ports: [80, '443', 8000:8080, http, my_port.v2]
                      notPorts: [8001]
                    """);
            assertThat(r.source().ports()).containsExactly(PortSpec.range(1024, 65535));
            assertThat(r.destination().ports())
                    .containsExactly(
                            PortSpec.single(80),
                            PortSpec.single(443),
                            PortSpec.range(8000, 8080),
                            PortSpec.named("http"),
                            PortSpec.named("my_port.v2"));
            assertThat(r.destination().notPorts()).containsExactly(PortSpec.single(8001));
        }

        @Test
        void annotations() {
            Rule r = onlyIngressRule("action: Allow\nmetadata:\n  annotations: {why: ticket-42}\n");
            assertThat(r.annotations()).containsExactly(Map.entry("why", "ticket-42"));
        }

        @Test
        void httpIsWarnedButTheRuleIsKept() {
            Converted<Policy> c = CalicoConverter.convertPolicy(
                    one(
                            networkPolicy(
                                    """
                    ingress:
                    - action: Allow
                      protocol: TCP
                      http: {methods: [GET]}
                    """)));
            assertThat(c.value().ingress()).hasSize(1);
            assertThat(messages(c))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.ingress[0].http: http"
                            + " match is not enforced by L3/L4 dataplanes (only by Calico's L7 application-layer"
                            + " policy); the rest of the rule still applies");
        }

        @Test
        void egressRulesKeepTheirOrigin() {
            Policy p = convert(networkPolicy("egress:\n- action: Allow\n- action: Deny\n"));
            assertThat(p.egress()).extracting(Rule::origin).containsExactly("egress[0]", "egress[1]");
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
                ingress: [{action: allow}]                                          | spec.ingress[0].action: action 'allow' is invalid: must be Allow, Deny, Pass or Log (exact case)
                ingress: [{protocol: TCP}]                                          | spec.ingress[0].action: action is required (Allow, Deny, Pass or Log)
                ingress: [{action: Allow, ipVersion: 5}]                            | spec.ingress[0].ipVersion: ipVersion 5 is invalid: must be 4 or 6
                ingress: [{action: Allow, protocol: tcp}]                           | spec.ingress[0].protocol: protocol 'tcp' is invalid: must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (exact case) or a number 1-255
                ingress: [{action: Allow, protocol: 0}]                             | spec.ingress[0].protocol: protocol 0 is invalid: must be a number 1-255 or a name
                ingress: [{action: Allow, notProtocol: 256}]                        | spec.ingress[0].notProtocol: protocol 256 is invalid: must be a number 1-255 or a name
                ingress: [{action: Allow, destination: {ports: [80]}}]              | spec.ingress[0].destination.ports: rules that specify ports must set protocol to TCP, UDP or SCTP
                ingress: [{action: Allow, protocol: ICMP, source: {notPorts: [80]}}] | spec.ingress[0].source.notPorts: rules that specify ports must set protocol to TCP, UDP or SCTP
                ingress: [{action: Allow, protocol: TCP, destination: {ports: [70000]}}] | spec.ingress[0].destination.ports[0]: port 70000 is out of range 1-65535
                ingress: [{action: Allow, protocol: TCP, destination: {ports: [0]}}]     | spec.ingress[0].destination.ports[0]: port 0 is out of range 1-65535
                ingress: [{action: Allow, protocol: TCP, destination: {ports: ['90:80']}}] | spec.ingress[0].destination.ports[0]: port range 90:80 is invalid: minimum 90 is greater than maximum 80
                ingress: [{action: Allow, protocol: TCP, destination: {ports: ['a b']}}]   | spec.ingress[0].destination.ports[0]: port 'a b' is invalid: expected a number, 'min:max' or a name of letters, digits, '_', '.' and '-' (at most 128)
                ingress: [{action: Allow, icmp: {type: 8}}]                         | spec.ingress[0].icmp: icmp requires protocol ICMP or ICMPv6
                ingress: [{action: Allow, protocol: TCP, notICMP: {type: 8}}]       | spec.ingress[0].notICMP: notICMP requires protocol ICMP or ICMPv6
                ingress: [{action: Allow, protocol: ICMP, icmp: {code: 1}}]         | spec.ingress[0].icmp.code: code 1 requires a type
                ingress: [{action: Allow, protocol: ICMP, icmp: {type: 255}}]       | spec.ingress[0].icmp.type: type 255 is out of range 0-254
                ingress: [{action: Allow, protocol: ICMP, icmp: {type: 3, code: 256}}] | spec.ingress[0].icmp.code: code 256 is out of range 0-255
                ingress: [{action: Allow, protocol: ICMP, ipVersion: 6}]            | spec.ingress[0].ipVersion: protocol ICMP requires ipVersion 4, not 6
                ingress: [{action: Allow, protocol: ICMPv6, ipVersion: 4}]          | spec.ingress[0].ipVersion: protocol ICMPv6 requires ipVersion 6, not 4
                ingress: [{action: Allow, source: {nets: [10.0.0.1]}}]              | spec.ingress[0].source.nets[0]: '10.0.0.1' is an IP address, not a CIDR: Calico requires a prefix length here (write 10.0.0.1/32)
                ingress: [{action: Allow, source: {notNets: [10.0.0.0/40]}}]        | spec.ingress[0].source.notNets[0]: '10.0.0.0/40' is not a valid CIDR
                ingress: [{action: Allow, source: {nets: [10.0.0.0/8]}, destination: {nets: ['fd00::/8']}}] | spec.ingress[0].destination.nets: rule contains both IPv4 and IPv6 CIDRs
                ingress: [{action: Allow, ipVersion: 6, source: {nets: [10.0.0.0/8]}}] | spec.ingress[0].source.nets: an IPv4 CIDR does not match ipVersion 6
                ingress: [{action: Allow, source: {selector: 'a ==='}}]             | spec.ingress[0].source.selector: invalid selector 'a ===': %s
                ingress: [{action: Allow, source: {selector: global()}}]            | spec.ingress[0].source.selector: selector 'global()' uses global(), which is only allowed in a namespaceSelector
                ingress: [{action: Allow, source: {namespaceSelector: 'global() && a == "b"'}}] | spec.ingress[0].source.namespaceSelector: namespaceSelector 'global() && a == "b"': global() cannot be combined with other selectors
                ingress: [{action: Allow, destination: {services: {name: web}}}]    | spec.ingress[0].destination.services: services match is not supported by tortie
                ingress: [{action: Deny, http: {methods: [GET]}}]                   | spec.ingress[0].http: http match is only valid on Allow rules
                egress: [{action: Allow, http: {methods: [GET]}}]                   | spec.egress[0].http: http match is not allowed in egress rules
                selector: global()                                                  | spec.selector: selector 'global()' uses global(), which is only allowed in a rule's namespaceSelector
                selector: app ==                                                    | spec.selector: invalid selector 'app ==': %s
                types: [Ingress, Ingress]                                           | spec.types[1]: type 'Ingress' is specified more than once
                types: [ingress]                                                    | spec.types[0]: type 'ingress' is invalid: must be Ingress or Egress
                tier: Security                                                      | spec.tier: tier 'Security' is invalid: must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit
                stagedAction: Delete                                                | spec.stagedAction: unknown field 'stagedAction' ignored
                """)
        void calicoValidation(String spec, String expected) {
            Converted<Policy> c = CalicoConverter.convertPolicy(one(networkPolicy(spec + "\n")));
            List<String> all = messages(c);
            assertThat(all).hasSize(1);
            String message = all.get(0);
            String prefix = "test.yaml document 1 (line 1): NetworkPolicy ns1/p: ";
            if (expected.contains("%s")) {
                String head = expected.substring(0, expected.indexOf("%s"));
                assertThat(message).startsWith(prefix + head).contains("column");
            } else {
                assertThat(message).isEqualTo(prefix + expected);
            }
            if (!expected.contains("unknown field")) {
                assertThat(c.value()).isNull();
            }
        }

        @Test
        void selectorErrorNamesTheColumn() {
            Converted<Policy> c = CalicoConverter.convertPolicy(one(networkPolicy("selector: app == 'a' &&\n")));
            assertThat(errors(c)).hasSize(1);
            assertThat(errors(c).get(0))
                    .contains("spec.selector: invalid selector 'app == 'a' &&'")
                    .contains("column 14");
        }

        @Test
        void limits() {
            StringBuilder rules = new StringBuilder("ingress:\n");
            for (int i = 0; i < 1025; i++) {
                rules.append("- {action: Allow}\n");
            }
            assertThat(errors(CalicoConverter.convertPolicy(one(networkPolicy(rules.toString())))))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.ingress: 1025 ingress"
                            + " rules; the limit is 1024");

            StringBuilder nets = new StringBuilder("ingress:\n- action: Allow\n  source:\n    nets:\n");
            for (int i = 0; i < 257; i++) {
                nets.append("    - 10.0.")
                        .append(i / 256)
                        .append('.')
                        .append(i % 256)
                        .append("/32\n");
            }
            assertThat(errors(CalicoConverter.convertPolicy(one(networkPolicy(nets.toString())))))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.ingress[0].source.nets:"
                            + " 257 CIDRs; the limit is 256");

            StringBuilder ports =
                    new StringBuilder("ingress:\n- action: Allow\n  protocol: TCP\n  destination:\n    ports:\n");
            for (int i = 1; i <= 51; i++) {
                ports.append("    - ").append(i).append('\n');
            }
            assertThat(errors(CalicoConverter.convertPolicy(one(networkPolicy(ports.toString())))))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.ingress[0].destination"
                            + ".ports: 51 ports; the limit is 50");

            String longSelector = "a == '" + "x".repeat(1030) + "'";
            assertThat(errors(
                            CalicoConverter.convertPolicy(one(networkPolicy("selector: \"" + longSelector + "\"\n")))))
                    .containsExactly("test.yaml document 1 (line 1): NetworkPolicy ns1/p: spec.selector: selector is"
                            + " 1037 characters long; the limit is 1024");
        }

        @Test
        void globalPolicyFlagConsistency() {
            Converted<Policy> c = CalicoConverter.convertPolicy(one(globalPolicy("preDNAT: true\ndoNotTrack: true\n")));
            assertThat(c.errors())
                    .extracting(Diagnostic::message)
                    .containsExactly(
                            "preDNAT and doNotTrack cannot both be true",
                            "applyOnForward must be true when preDNAT or doNotTrack is true");
        }

        @Test
        void invalidNames() {
            Converted<Policy> c = CalicoConverter.convertPolicy(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: GlobalNetworkPolicy
                    metadata: {name: a.b.c}
                    """));
            assertThat(errors(c))
                    .containsExactly("test.yaml document 1 (line 1): GlobalNetworkPolicy a.b.c: metadata.name: name"
                            + " 'a.b.c' is invalid: must be a DNS-1123 label (lower-case letters, digits and '-'),"
                            + " optionally with one '<tier>.' prefix");
        }
    }

    @Nested
    class Tiers {
        @Test
        void defaults() {
            Tier t = CalicoConverter.convertTier(
                            one(
                                    """
                            apiVersion: projectcalico.org/v3
                            kind: Tier
                            metadata: {name: security}
                            """))
                    .value();
            assertThat(t.name()).isEqualTo("security");
            assertThat(t.order()).isEqualTo(Tier.DEFAULT_ORDER);
            assertThat(t.defaultAction()).isEqualTo(Action.DENY);
        }

        @Test
        void orderAndPass() {
            Tier t = CalicoConverter.convertTier(
                            one(
                                    """
                            apiVersion: crd.projectcalico.org/v1
                            kind: Tier
                            metadata: {name: platform}
                            spec: {order: 100, defaultAction: Pass}
                            """))
                    .value();
            assertThat(t.order()).isEqualTo(100.0);
            assertThat(t.defaultAction()).isEqualTo(Action.PASS);
        }

        @Test
        void reservedDefaultTierKeepsItsOrderAndAction() {
            Converted<Tier> ok = CalicoConverter.convertTier(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: Tier
                    metadata: {name: default}
                    spec: {order: 1000000, defaultAction: Deny}
                    """));
            assertThat(ok.value())
                    .isEqualTo(new Tier(
                            "default",
                            Tier.DEFAULT_ORDER,
                            Action.DENY,
                            ok.value().source()));
            Converted<Tier> bad = CalicoConverter.convertTier(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: Tier
                    metadata: {name: default}
                    spec: {order: 5, defaultAction: Pass}
                    """));
            assertThat(errors(bad))
                    .containsExactly(
                            "test.yaml document 1 (line 1): Tier default: spec.order: order 5 is invalid: tier default"
                                    + " must have order 1000000",
                            "test.yaml document 1 (line 1): Tier default: spec.defaultAction: defaultAction Pass is"
                                    + " invalid: tier default must have Deny");
        }

        @Test
        void badDefaultAction() {
            Converted<Tier> c = CalicoConverter.convertTier(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: Tier
                    metadata: {name: t}
                    spec: {defaultAction: Allow}
                    """));
            assertThat(errors(c))
                    .containsExactly("test.yaml document 1 (line 1): Tier t: spec.defaultAction: defaultAction 'Allow'"
                            + " is invalid: must be Deny or Pass (exact case)");
        }
    }

    @Nested
    class NetworkSets {
        @Test
        void bareIpsBecomeHostNetworks() {
            Converted<NetworkSet> c = CalicoConverter.convertNetworkSet(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: NetworkSet
                    metadata:
                      name: external
                      namespace: ns1
                      labels: {role: db}
                    spec:
                      nets: [10.0.0.1, 2001:db8::1, 192.168.1.7/24]
                    """));
            NetworkSet set = c.value();
            assertThat(set.namespace()).isEqualTo("ns1");
            assertThat(set.labels()).containsExactly(Map.entry("role", "db"));
            assertThat(set.nets())
                    .containsExactly(
                            Cidr.parse("10.0.0.1/32"), Cidr.parse("2001:db8::1/128"), Cidr.parse("192.168.1.0/24"));
        }

        @Test
        void globalNetworkSet() {
            NetworkSet set = CalicoConverter.convertNetworkSet(
                            one(
                                    """
                            apiVersion: projectcalico.org/v3
                            kind: GlobalNetworkSet
                            metadata: {name: internet, labels: {kind: public}}
                            spec: {nets: [0.0.0.0/0]}
                            """))
                    .value();
            assertThat(set.global()).isTrue();
            assertThat(set.key()).isEqualTo("gns/internet");
        }

        @Test
        void invalidNet() {
            Converted<NetworkSet> c = CalicoConverter.convertNetworkSet(
                    one(
                            """
                    apiVersion: projectcalico.org/v3
                    kind: GlobalNetworkSet
                    metadata: {name: bad}
                    spec: {nets: [10.0.0.256]}
                    """));
            assertThat(errors(c))
                    .containsExactly(
                            "test.yaml document 1 (line 1): GlobalNetworkSet bad: spec.nets[0]: '10.0.0.256' is"
                                    + " not a valid CIDR or IP address");
        }
    }
}
