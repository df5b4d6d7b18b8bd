package dev.tortie.engine.convert;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * networking.k8s.io/v1 NetworkPolicy (and projectcalico.org/v3 StagedKubernetesNetworkPolicy, same spec) to a
 * {@link Policy} in Calico's shape, the way Calico's K8sNetworkPolicyToCalico does it: tier "default", order 1000,
 * selectors built as Calico spells them, one Allow rule per (protocol, peer) with ports merged by SimplifyPorts.
 *
 * <p>Before converting, the object is validated as the Kubernetes API server would, and the server's defaulting is
 * applied (calico-reference c.0) because a manifest from a file never passed a server: {@code policyTypes} absent ->
 * [Ingress], plus Egress when there are egress rules; a port without protocol -> TCP.
 */
public final class KubernetesPolicyConverter {
    /** The term Calico puts first in every pod selector, so Kubernetes policy never selects host endpoints. */
    public static final String ORCHESTRATOR_TERM = "projectcalico.org/orchestrator == 'k8s'";

    private static final Set<String> SPEC_FIELDS = Set.of("podSelector", "policyTypes", "ingress", "egress");
    private static final Set<String> STAGED_SPEC_FIELDS =
            Set.of("podSelector", "policyTypes", "ingress", "egress", "stagedAction");
    private static final Set<String> INGRESS_RULE_FIELDS = Set.of("from", "ports");
    private static final Set<String> EGRESS_RULE_FIELDS = Set.of("to", "ports");
    private static final Set<String> PEER_FIELDS = Set.of("podSelector", "namespaceSelector", "ipBlock");
    private static final Set<String> PORT_FIELDS = Set.of("protocol", "port", "endPort");
    private static final Set<String> IP_BLOCK_FIELDS = Set.of("cidr", "except");
    private static final Set<String> SELECTOR_FIELDS = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION_FIELDS = Set.of("key", "operator", "values");

    private KubernetesPolicyConverter() {}

    public static Converted<Policy> convert(Manifest manifest) {
        return convert(manifest.tree(), manifest.source());
    }

    public static Converted<Policy> convert(Map<String, Object> tree, ObjectSource source) {
        String kind = tree.get("kind") instanceof String k ? k : "NetworkPolicy";
        boolean staged = kind.equals(PolicyKind.STAGED_KUBERNETES_NETWORK_POLICY.kind());
        ConversionContext ctx = new ConversionContext(source, kind);
        ObjectMeta meta = ObjectMeta.read(ctx, tree, kind, true, ObjectMeta.NameRule.SUBDOMAIN);
        Map<String, Object> spec = ctx.map(tree, "spec", "");
        if (spec == null && !tree.containsKey("spec")) {
            ctx.warning(
                    "spec", "spec is missing: the policy selects every pod in its namespace and denies their ingress");
            spec = Map.of();
        } else if (spec == null) {
            return ctx.done(null);
        }
        ctx.unknownFields(spec, "spec", staged ? STAGED_SPEC_FIELDS : SPEC_FIELDS);
        if (staged) {
            String action = ctx.string(spec, "stagedAction", "spec");
            if ("Delete".equals(action)) {
                ctx.info("spec.stagedAction", "staged delete skipped: Calico does not evaluate it");
                return ctx.hasErrors() ? ctx.done(null) : ctx.skipped();
            }
            if (action != null && !Set.of("Set", "Learn", "Ignore").contains(action)) {
                ctx.error(
                        "spec.stagedAction",
                        "stagedAction '" + action + "' is invalid: must be Set, Delete, Learn or Ignore");
            }
        }

        LabelSelector podSelector = readLabelSelector(ctx, spec.get("podSelector"), "spec.podSelector");
        List<Rule> ingress = rules(ctx, ctx.list(spec, "ingress", "spec"), "ingress", true);
        List<Rule> egress = rules(ctx, ctx.list(spec, "egress", "spec"), "egress", false);
        List<Object> rawEgress = spec.get("egress") instanceof List<?> ? ctx.list(spec, "egress", "spec") : null;

        boolean appliesToIngress = false;
        boolean appliesToEgress = false;
        List<String> types = ctx.stringList(spec, "policyTypes", "spec");
        if (types == null || types.isEmpty()) {
            // API-server defaulting (SetDefaults_NetworkPolicySpec).
            appliesToIngress = true;
            appliesToEgress = rawEgress != null && !rawEgress.isEmpty();
        } else {
            if (types.size() > 2) {
                ctx.error("spec.policyTypes", "may not specify more than two policyTypes, got " + types);
            }
            for (int i = 0; i < types.size(); i++) {
                String type = types.get(i);
                if (type.equals("Ingress")) {
                    appliesToIngress = true;
                } else if (type.equals("Egress")) {
                    appliesToEgress = true;
                } else {
                    ctx.error(
                            ConversionContext.index("spec.policyTypes", i),
                            "policy type '" + type + "' is invalid: must be Ingress or Egress");
                }
            }
            if (!appliesToEgress && rawEgress != null && !rawEgress.isEmpty()) {
                ctx.warning("spec.egress", "egress rules have no effect: policyTypes does not include Egress");
            }
            if (!appliesToIngress && spec.get("ingress") instanceof List<?> l && !l.isEmpty()) {
                ctx.warning("spec.ingress", "ingress rules have no effect: policyTypes does not include Ingress");
            }
        }

        if (ctx.hasErrors() || meta.name() == null) {
            return ctx.done(null);
        }
        Selector selector = parseBuilt(ctx, toCalico(podSelector, true), "spec.podSelector");
        if (selector == null) {
            return ctx.done(null);
        }
        PolicyKind policyKind =
                staged ? PolicyKind.STAGED_KUBERNETES_NETWORK_POLICY : PolicyKind.KUBERNETES_NETWORK_POLICY;
        return ctx.done(new Policy(
                new PolicyId(policyKind, meta.namespace(), meta.name()),
                Policy.DEFAULT_TIER,
                Policy.KUBERNETES_ORDER,
                selector,
                null,
                null,
                appliesToIngress,
                appliesToEgress,
                ingress,
                egress,
                meta.labels(),
                ctx.source(),
                tree));
    }

    // ---------------------------------------------------------------------------------------------
    // Rules (k8sRuleToCalico)

    private static List<Rule> rules(ConversionContext ctx, List<Object> raw, String direction, boolean ingress) {
        List<Rule> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        String listAt = ConversionContext.path("spec", direction);
        for (int i = 0; i < raw.size(); i++) {
            String ruleAt = ConversionContext.index(listAt, i);
            String origin = ConversionContext.index(direction, i);
            Map<String, Object> rule = raw.get(i) == null ? Map.of() : ctx.asMap(raw.get(i), ruleAt);
            if (rule == null) {
                continue;
            }
            ctx.unknownFields(rule, ruleAt, ingress ? INGRESS_RULE_FIELDS : EGRESS_RULE_FIELDS);
            String peersKey = ingress ? "from" : "to";
            List<Object> rawPeers = ctx.list(rule, peersKey, ruleAt);
            List<Object> rawPorts = ctx.list(rule, "ports", ruleAt);
            List<Peer> peers = new ArrayList<>();
            if (rawPeers != null) {
                for (int p = 0; p < rawPeers.size(); p++) {
                    Peer peer = readPeer(
                            ctx,
                            rawPeers.get(p),
                            ConversionContext.index(ConversionContext.path(ruleAt, peersKey), p),
                            ConversionContext.index(ConversionContext.path(origin, peersKey), p));
                    if (peer != null) {
                        peers.add(peer);
                    }
                }
            }
            List<K8sPort> ports = new ArrayList<>();
            if (rawPorts != null) {
                for (int p = 0; p < rawPorts.size(); p++) {
                    K8sPort port = readPort(
                            ctx, rawPorts.get(p), ConversionContext.index(ConversionContext.path(ruleAt, "ports"), p));
                    if (port != null) {
                        ports.add(port);
                    }
                }
            }
            if (!ctx.hasErrors()) {
                out.addAll(expand(ctx, peers, ports, ingress, origin));
            }
        }
        return out;
    }

    /** One Allow rule per (protocol in name order, peer in given order), as Calico's k8sRuleToCalico builds them. */
    private static List<Rule> expand(
            ConversionContext ctx, List<Peer> peers, List<K8sPort> ports, boolean ingress, String origin) {
        // Protocol name ("" = no protocol) -> ports; a null list means "every port of that protocol".
        TreeMap<String, List<PortSpec>> protocolPorts = new TreeMap<>();
        TreeMap<String, Protocol> protocols = new TreeMap<>();
        if (ports.isEmpty()) {
            protocolPorts.put("", null);
        }
        for (K8sPort port : ports) {
            String name = port.protocol().displayName();
            protocols.put(name, port.protocol());
            if (port.port() == null) {
                protocolPorts.put(name, null);
            } else if (!protocolPorts.containsKey(name)) {
                protocolPorts.put(name, new ArrayList<>(List.of(port.port())));
            } else if (protocolPorts.get(name) != null) {
                protocolPorts.get(name).add(port.port());
            }
        }
        List<Peer> effectivePeers = peers.isEmpty() ? java.util.Collections.singletonList(null) : peers;
        List<Rule> out = new ArrayList<>();
        for (Map.Entry<String, List<PortSpec>> entry : protocolPorts.entrySet()) {
            Protocol protocol = entry.getKey().isEmpty() ? null : protocols.get(entry.getKey());
            List<PortSpec> portSpecs = entry.getValue() == null ? List.of() : simplifyPorts(entry.getValue());
            for (Peer peer : effectivePeers) {
                EntityRule peerRule = peer == null ? EntityRule.ANY : peer.toEntityRule(ctx);
                String ruleOrigin = peer == null ? origin : peer.origin();
                EntityRule source;
                EntityRule destination;
                if (ingress) {
                    source = peerRule;
                    destination = EntityRule.ANY.withPorts(portSpecs);
                } else {
                    source = EntityRule.ANY;
                    destination = peerRule.withPorts(portSpecs);
                }
                out.add(new Rule(
                        Action.ALLOW, null, protocol, null, null, null, source, destination, Map.of(), ruleOrigin));
            }
        }
        return out;
    }

    /**
     * Calico's SimplifyPorts: named ports pass through first, in order; numeric ports and ranges are merged into the
     * fewest ascending ranges (80, 81, 82 -> 80:82). A list with at most one numeric port is returned unchanged.
     */
    public static List<PortSpec> simplifyPorts(List<PortSpec> ports) {
        if (ports.size() <= 1) {
            return List.copyOf(ports);
        }
        List<PortSpec> named = new ArrayList<>();
        List<PortSpec> numeric = new ArrayList<>();
        long count = 0;
        for (PortSpec p : ports) {
            if (p.isNamed()) {
                named.add(p);
            } else {
                numeric.add(p);
                count += p.max() - p.min() + 1;
            }
        }
        if (count <= 1) {
            return List.copyOf(ports);
        }
        numeric.sort(Comparator.comparingInt(PortSpec::min).thenComparingInt(PortSpec::max));
        List<PortSpec> out = new ArrayList<>(named);
        int first = numeric.get(0).min();
        int last = numeric.get(0).max();
        for (int i = 1; i < numeric.size(); i++) {
            PortSpec p = numeric.get(i);
            if (p.min() > last + 1) {
                out.add(PortSpec.range(first, last));
                first = p.min();
                last = p.max();
            } else {
                last = Math.max(last, p.max());
            }
        }
        out.add(PortSpec.range(first, last));
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------------------------------------
    // Peers

    /** A validated peer: selectors (null = absent) or an ipBlock. */
    private record Peer(
            LabelSelector podSelector,
            LabelSelector namespaceSelector,
            Cidr cidr,
            List<Cidr> except,
            String at,
            String origin) {

        /** k8sPeerToCalicoFields. */
        EntityRule toEntityRule(ConversionContext ctx) {
            if (cidr != null) {
                return new EntityRule(List.of(cidr), except, null, null, null, null, List.of(), List.of());
            }
            Selector selector = parseBuilt(ctx, toCalico(podSelector, true), at);
            String ns = toCalico(namespaceSelector, false);
            Selector nsSelector = ns.isEmpty() ? null : parseBuilt(ctx, ns, at);
            return new EntityRule(List.of(), List.of(), selector, null, nsSelector, null, List.of(), List.of());
        }
    }

    private static Peer readPeer(ConversionContext ctx, Object value, String at, String origin) {
        Map<String, Object> peer = value == null ? Map.of() : ctx.asMap(value, at);
        if (peer == null) {
            return null;
        }
        ctx.unknownFields(peer, at, PEER_FIELDS);
        LabelSelector pods = readLabelSelector(ctx, peer.get("podSelector"), ConversionContext.path(at, "podSelector"));
        LabelSelector namespaces =
                readLabelSelector(ctx, peer.get("namespaceSelector"), ConversionContext.path(at, "namespaceSelector"));
        Map<String, Object> ipBlock = ctx.map(peer, "ipBlock", at);
        int selectors = (pods != null ? 1 : 0) + (namespaces != null ? 1 : 0);
        if (ipBlock == null && peer.get("ipBlock") == null && selectors == 0) {
            ctx.error(at, "must specify a peer: podSelector, namespaceSelector or ipBlock");
            return null;
        }
        if (ipBlock == null) {
            return selectors == 0 ? null : new Peer(pods, namespaces, null, List.of(), at, origin);
        }
        if (selectors > 0) {
            ctx.error(at, "may not specify both ipBlock and another peer (podSelector or namespaceSelector)");
        }
        String blockAt = ConversionContext.path(at, "ipBlock");
        ctx.unknownFields(ipBlock, blockAt, IP_BLOCK_FIELDS);
        String cidrText = ctx.string(ipBlock, "cidr", blockAt);
        if (cidrText == null || cidrText.isEmpty()) {
            if (!(ipBlock.get("cidr") instanceof String) && ipBlock.get("cidr") != null) {
                return null;
            }
            ctx.error(blockAt + ".cidr", "cidr is required");
            return null;
        }
        Cidr cidr = Cidr.tryParse(cidrText, false);
        if (cidr == null) {
            ctx.error(blockAt + ".cidr", "cidr '" + cidrText + "' is not a valid CIDR");
            return null;
        }
        List<Cidr> except = new ArrayList<>();
        List<String> exceptText = ctx.stringList(ipBlock, "except", blockAt);
        if (exceptText != null) {
            for (int i = 0; i < exceptText.size(); i++) {
                String text = exceptText.get(i);
                String exceptAt = ConversionContext.index(ConversionContext.path(blockAt, "except"), i);
                Cidr ex = Cidr.tryParse(text, false);
                if (ex == null) {
                    ctx.error(exceptAt, "except '" + text + "' is not a valid CIDR");
                } else if (!cidr.contains(ex) || ex.prefixLength() <= cidr.prefixLength()) {
                    ctx.error(exceptAt, "except " + text + " must be a strict subset of cidr " + cidrText);
                } else {
                    except.add(ex);
                }
            }
        }
        return new Peer(null, null, cidr, except, at, origin);
    }

    // ---------------------------------------------------------------------------------------------
    // Ports

    /** A validated port entry; {@code port} null means "every port of the protocol". */
    private record K8sPort(Protocol protocol, PortSpec port) {}

    private static K8sPort readPort(ConversionContext ctx, Object value, String at) {
        Map<String, Object> port = value == null ? Map.of() : ctx.asMap(value, at);
        if (port == null) {
            return null;
        }
        ctx.unknownFields(port, at, PORT_FIELDS);
        boolean ok = true;
        Protocol protocol = Protocol.TCP; // API-server default
        String protocolText = ctx.string(port, "protocol", at);
        if (protocolText != null) {
            protocol = PodSpecs.kubernetesProtocol(protocolText);
            if (protocol == null) {
                ctx.error(at + ".protocol", "protocol '" + protocolText + "' is invalid: must be TCP, UDP or SCTP");
                ok = false;
            }
        }
        Object rawPort = port.get("port");
        Long number = null;
        String name = null;
        if (rawPort instanceof String s) {
            String problem = Names.portName(s);
            if (problem != null) {
                String hint =
                        s.chars().allMatch(Character::isDigit) && !s.isEmpty() ? " (a number must not be quoted)" : "";
                ctx.error(at + ".port", "port '" + s + "' is not a valid port name: " + problem + hint);
                ok = false;
            }
            name = s;
        } else if (rawPort != null) {
            number = ctx.asInteger(rawPort, ConversionContext.path(at, "port"));
            if (number == null) {
                ok = false;
            } else if (number < 1 || number > 65535) {
                ctx.error(at + ".port", "port " + number + " is out of range 1-65535");
                ok = false;
            }
        }
        Long endPort = ctx.integer(port, "endPort", at);
        if (port.get("endPort") != null && endPort == null) {
            ok = false;
        }
        if (endPort != null) {
            if (rawPort == null) {
                ctx.error(at + ".endPort", "endPort " + endPort + " requires port");
                ok = false;
            } else if (name != null) {
                ctx.error(at + ".endPort", "endPort " + endPort + " requires a numeric port, not '" + name + "'");
                ok = false;
            } else if (number != null && ok) {
                if (endPort < number) {
                    ctx.error(at + ".endPort", "endPort " + endPort + " is less than port " + number);
                    ok = false;
                } else if (endPort > 65535) {
                    ctx.error(at + ".endPort", "endPort " + endPort + " is out of range 1-65535");
                    ok = false;
                }
            }
        }
        if (!ok) {
            return null;
        }
        PortSpec spec = null;
        if (name != null) {
            spec = PortSpec.named(name);
        } else if (number != null) {
            spec = PortSpec.range(number.intValue(), endPort == null ? number.intValue() : endPort.intValue());
        }
        return new K8sPort(protocol, spec);
    }

    // ---------------------------------------------------------------------------------------------
    // Label selectors (k8sSelectorToCalico)

    /** A validated metav1.LabelSelector. */
    record LabelSelector(SortedMap<String, String> matchLabels, List<Requirement> expressions) {
        boolean isEmpty() {
            return matchLabels.isEmpty() && expressions.isEmpty();
        }
    }

    /** One matchExpressions entry. */
    record Requirement(String key, String operator, List<String> values) {}

    /** Reads and validates a label selector; null when absent. Errors are reported, and an empty selector returned. */
    static LabelSelector readLabelSelector(ConversionContext ctx, Object value, String at) {
        if (value == null) {
            return null;
        }
        Map<String, Object> map = ctx.asMap(value, at);
        SortedMap<String, String> labels = new TreeMap<>();
        List<Requirement> expressions = new ArrayList<>();
        if (map == null) {
            return new LabelSelector(labels, expressions);
        }
        ctx.unknownFields(map, at, SELECTOR_FIELDS);
        Map<String, String> matchLabels = ctx.stringMap(map, "matchLabels", at);
        if (matchLabels != null) {
            ObjectMeta.checkLabels(ctx, matchLabels, ConversionContext.path(at, "matchLabels"));
            labels.putAll(matchLabels);
        }
        List<Object> rawExpressions = ctx.list(map, "matchExpressions", at);
        if (rawExpressions != null) {
            for (int i = 0; i < rawExpressions.size(); i++) {
                String exprAt = ConversionContext.index(ConversionContext.path(at, "matchExpressions"), i);
                Map<String, Object> expr = ctx.asMap(rawExpressions.get(i), exprAt);
                if (expr == null) {
                    continue;
                }
                ctx.unknownFields(expr, exprAt, EXPRESSION_FIELDS);
                String key = ctx.string(expr, "key", exprAt);
                String operator = ctx.string(expr, "operator", exprAt);
                List<String> values = ctx.stringList(expr, "values", exprAt);
                values = values == null ? List.of() : values;
                if (key == null || key.isEmpty()) {
                    ctx.error(exprAt + ".key", "key is required");
                } else {
                    String problem = Names.qualifiedName(key);
                    if (problem != null) {
                        ctx.error(exprAt + ".key", "key '" + key + "' is invalid: " + problem);
                    }
                }
                if (operator == null) {
                    ctx.error(exprAt + ".operator", "operator is required (In, NotIn, Exists or DoesNotExist)");
                } else {
                    switch (operator) {
                        case "In", "NotIn" -> {
                            if (values.isEmpty()) {
                                ctx.error(exprAt + ".values", "values must be given when operator is " + operator);
                            }
                        }
                        case "Exists", "DoesNotExist" -> {
                            if (!values.isEmpty()) {
                                ctx.error(
                                        exprAt + ".values",
                                        "values " + values + " must be empty when operator is " + operator);
                            }
                        }
                        default -> ctx.error(
                                exprAt + ".operator",
                                "operator '" + operator + "' is invalid: must be In, NotIn, Exists or DoesNotExist");
                    }
                }
                for (int v = 0; v < values.size(); v++) {
                    String problem = Names.labelValue(values.get(v));
                    if (problem != null) {
                        ctx.error(
                                ConversionContext.index(exprAt + ".values", v),
                                "value '" + values.get(v) + "' is invalid: " + problem);
                    }
                }
                if (key != null && operator != null) {
                    expressions.add(new Requirement(key, operator, List.copyOf(values)));
                }
            }
        }
        return new LabelSelector(labels, expressions);
    }

    /**
     * Calico's k8sSelectorToCalico: for a pod selector, the orchestrator term and then the terms; for a namespace
     * selector, the terms alone, {@code all()} when present but empty, and "" when absent (null).
     */
    static String toCalico(LabelSelector selector, boolean pod) {
        if (selector == null) {
            return pod ? ORCHESTRATOR_TERM : "";
        }
        if (!pod && selector.isEmpty()) {
            return "all()";
        }
        // StringBuilder, not '+': see ConversionContext.path
        StringBuilder out = new StringBuilder(pod ? ORCHESTRATOR_TERM : "");
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            and(out).append(e.getKey()).append(" == '").append(e.getValue()).append('\'');
        }
        for (Requirement r : selector.expressions()) {
            String values = String.join("', '", r.values());
            switch (r.operator()) {
                case "In" -> and(out).append(r.key())
                        .append(" in { '")
                        .append(values)
                        .append("' }");
                case "NotIn" -> and(out).append(r.key())
                        .append(" not in { '")
                        .append(values)
                        .append("' }");
                case "Exists" -> and(out).append("has(").append(r.key()).append(')');
                case "DoesNotExist" -> and(out).append("! has(").append(r.key()).append(')');
                default -> throw new IllegalStateException("unvalidated operator " + r.operator());
            }
        }
        return out.toString();
    }

    private static StringBuilder and(StringBuilder terms) {
        return terms.length() == 0 ? terms : terms.append(" && ");
    }

    /** Parses a selector this converter built; a failure means a label slipped past validation. */
    private static Selector parseBuilt(ConversionContext ctx, String text, String at) {
        return ctx.selector(text, at);
    }
}
