package dev.tortie.engine.analysis;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.compile.RuleDescriber;
import dev.tortie.engine.eval.Decision;
import dev.tortie.engine.eval.DirectionTrace;
import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.eval.ProgramEvaluator;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Policy mistakes operators actually make: selectors that match nothing (with the probable fix), named ports no pod
 * declares, Log-only policies that isolate, egress isolation that also blocks DNS, rules shadowed by earlier ones, and
 * policies that select no endpoint.
 */
public final class Linter {
    private Linter() {}

    /** Findings for every policy in {@code namespace} (and global policies); all namespaces when null. */
    public static List<Finding> lint(ClusterIndex index, String namespace) {
        List<Finding> out = new ArrayList<>();
        for (CompiledPolicy compiled : index.policies()) {
            Policy p = compiled.policy();
            if (namespace != null && p.namespace() != null && !p.namespace().equals(namespace)) {
                continue;
            }
            List<Endpoint> selected = index.endpointsSelectedBy(p.id());
            if (selected.isEmpty()) {
                out.add(new Finding(
                        "selects-nothing",
                        Finding.Severity.WARNING,
                        p.id(),
                        null,
                        "selects no endpoint: " + PolicyExplainer.subject(p) + " matches nothing",
                        "check the policy's selector against the pods' labels ('endpoints -A' shows them)"));
            }
            for (Direction d : Direction.values()) {
                if (!p.appliesTo(d)) {
                    continue;
                }
                List<Rule> rules = p.rules(d);
                for (int i = 0; i < rules.size(); i++) {
                    String where = d.lowerName() + "[" + i + "]";
                    selectorFindings(index, p, rules.get(i), where, out);
                    namedPortFindings(index, p, rules.get(i), d, selected, where, out);
                }
                logOnly(p, d, rules, selected, index, out);
                shadowed(compiled.rules(d), p, out);
            }
        }
        dnsBlocked(index, namespace, out);
        return out;
    }

    private static void selectorFindings(ClusterIndex index, Policy p, Rule rule, String where, List<Finding> out) {
        for (EntityRule e : List.of(rule.source(), rule.destination())) {
            if (e.namespaceSelector() != null) {
                Optional<String> hint = SelectorHints.emptyNamespaceSelector(e.namespaceSelector(), index.namespaces());
                if (hint.isPresent()) {
                    String text = hint.get();
                    int semi = text.indexOf(';');
                    String suggestion = semi > 0 ? text.substring(semi + 2) : null;
                    String message = semi > 0 ? text.substring(0, semi) : text;
                    out.add(new Finding(
                            "namespace-selector-matches-nothing",
                            Finding.Severity.WARNING,
                            p.id(),
                            where,
                            message,
                            suggestion));
                    continue;
                }
            }
            if (e.selector() != null && e.namespaceSelector() == null && p.namespace() != null) {
                SelectorHints.emptyPodSelector(index, e.selector(), p.namespace())
                        .ifPresent(h -> out.add(new Finding(
                                "selector-matches-nothing",
                                Finding.Severity.WARNING,
                                p.id(),
                                where,
                                h,
                                "pods in other namespaces need a namespaceSelector in the same peer")));
            }
        }
    }

    private static void namedPortFindings(
            ClusterIndex index,
            Policy p,
            Rule rule,
            Direction d,
            List<Endpoint> selected,
            String where,
            List<Finding> out) {
        Protocol protocol = rule.protocol() == null ? Protocol.TCP : rule.protocol();
        for (PortSpec port : rule.destination().ports()) {
            if (!port.isNamed()) {
                continue;
            }
            // Ingress: the selected pods are the destinations; egress: any pod could be.
            List<Endpoint> candidates = d == Direction.INGRESS ? selected : new ArrayList<>(index.endpoints());
            boolean declared = candidates.stream().anyMatch(e -> declares(e, port.name(), protocol));
            if (!declared) {
                out.add(new Finding(
                        "named-port-undeclared",
                        Finding.Severity.WARNING,
                        p.id(),
                        where,
                        "named port '" + port.name() + "' (" + protocol + ") is declared by no "
                                + (d == Direction.INGRESS ? "pod the policy selects" : "pod"),
                        "a rule on an undeclared named port matches nothing: declare it in the pod's containerPorts"
                                + " or use the port number"));
            }
        }
    }

    private static boolean declares(Endpoint e, String name, Protocol protocol) {
        for (ContainerPort p : e.ports()) {
            if (name.equals(p.name()) && p.protocol().equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    private static void logOnly(
            Policy p, Direction d, List<Rule> rules, List<Endpoint> selected, ClusterIndex index, List<Finding> out) {
        if (rules.isEmpty() || selected.isEmpty() || !rules.stream().allMatch(r -> r.action() == Action.LOG)) {
            return;
        }
        if (index.tier(p.tier()).defaultAction() == Action.PASS) {
            return;
        }
        out.add(new Finding(
                "log-only-isolates",
                Finding.Severity.WARNING,
                p.id(),
                d.lowerName(),
                "has only Log rules for " + d.lowerName() + ", yet it isolates " + count(selected) + ": their other "
                        + d.lowerName() + " ends at the end of tier " + p.tier() + " and is denied",
                "add an Allow (or Pass) rule after the Log rule, or put the policy in a tier whose defaultAction is"
                        + " Pass"));
    }

    private static void shadowed(IrPolicy compiled, Policy p, List<Finding> out) {
        if (compiled == null) {
            return;
        }
        List<IrRule> rules = compiled.rules();
        for (int j = 1; j < rules.size(); j++) {
            for (int i = 0; i < j; i++) {
                IrRule earlier = rules.get(i);
                if (earlier.action() == Action.LOG) {
                    continue;
                }
                boolean catchAll = earlier.matches().isEmpty();
                boolean same = earlier.matches().equals(rules.get(j).matches());
                if (catchAll || same) {
                    out.add(new Finding(
                            "shadowed-rule",
                            Finding.Severity.WARNING,
                            p.id(),
                            compiled.direction().lowerName() + "[" + j + "]",
                            "rule " + j + " (" + rules.get(j).summary() + ") can never decide: rule " + i + " ("
                                    + earlier.summary() + ") " + (catchAll ? "matches all traffic" : "matches the same")
                                    + " first",
                            "remove it or move it above rule " + i));
                    break;
                }
            }
        }
    }

    /**
     * Pods whose egress no longer reaches DNS: their egress program is run for UDP 53 to kube-dns (a pod labelled
     * k8s-app=kube-dns when the model has one, else the usual service address), and each denial is attributed to
     * the rule or end of tier that decided it, once per deciding point.
     */
    private static void dnsBlocked(ClusterIndex index, String namespace, List<Finding> out) {
        IpAddress dns = kubeDns(index);
        java.util.Map<String, List<Endpoint>> byDecision = new java.util.TreeMap<>();
        java.util.Map<String, PolicyId> policyOf = new java.util.HashMap<>();
        for (Endpoint e : index.endpoints()) {
            if (namespace != null && !e.namespace().equals(namespace) || e.primaryIp() == null) {
                continue;
            }
            EndpointProgram program = index.program(e, Direction.EGRESS);
            if (!program.isolated()) {
                continue;
            }
            DirectionTrace t =
                    ProgramEvaluator.evaluate(program, Packet.of(e.primaryIp(), dns, Protocol.UDP, 53), index);
            // An explicit Deny is deliberate; the surprise is isolation that forgot DNS.
            if (t.verdict() == Verdict.ALLOW || t.decision().kind() == Decision.Kind.RULE) {
                continue;
            }
            String key = t.decision().ruleId();
            byDecision.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            PolicyId id = t.decision().rule() != null
                    ? t.decision().rule().id().policy()
                    : program.tiers().stream()
                            .filter(tier -> tier.name().equals(t.decision().tier()))
                            .findFirst()
                            .map(tier -> tier.policies().get(0).id())
                            .orElse(null);
            policyOf.put(key, id);
        }
        for (java.util.Map.Entry<String, List<Endpoint>> e : byDecision.entrySet()) {
            out.add(new Finding(
                    "egress-blocks-dns",
                    Finding.Severity.WARNING,
                    policyOf.get(e.getKey()),
                    "egress",
                    count(e.getValue()) + " (e.g. " + e.getValue().get(0).key() + ") cannot reach DNS: UDP 53 to " + dns
                            + " is denied by " + e.getKey(),
                    "allow egress UDP and TCP 53 to kube-dns (namespaceSelector kubernetes.io/metadata.name:"
                            + " kube-system, podSelector k8s-app: kube-dns)"));
        }
    }

    private static IpAddress kubeDns(ClusterIndex index) {
        for (Endpoint e : index.endpointsIn("kube-system")) {
            if ("kube-dns".equals(e.labels().get("k8s-app")) && e.primaryIp() != null) {
                return e.primaryIp();
            }
        }
        return IpAddress.parse("10.96.0.10");
    }

    private static String count(List<Endpoint> endpoints) {
        return endpoints.size() == 1 ? "1 pod" : endpoints.size() + " pods";
    }

    /** "pods with app == "a"" for messages built by callers. */
    static String podsWith(Policy p) {
        return RuleDescriber.podsWith(p.selector());
    }
}
