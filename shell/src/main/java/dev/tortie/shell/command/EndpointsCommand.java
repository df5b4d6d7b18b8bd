package dev.tortie.shell.command;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.engine.selector.Selector;
import dev.tortie.engine.selector.SelectorSyntaxException;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Table;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "endpoints",
        aliases = {"ep", "pods"},
        description = "List workload endpoints (pods) with their IPs, labels and the policies isolating them.",
        mixinStandardHelpOptions = true)
public final class EndpointsCommand extends BaseCommand {
    @Mixin
    NamespaceScope scope;

    @Option(
            names = "--selector",
            paramLabel = "EXPR",
            description = "Calico selector over the endpoint's labels (including projectcalico.org/* and pcns.*).")
    String selector;

    @Option(
            names = {"-l", "--selector-k8s"},
            paramLabel = "SELECTOR",
            description = "kubectl label selector, e.g. app=web,tier!=db.")
    String labelSelector;

    public EndpointsCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        Selector calico = parse(selector, "--selector");
        Selector k8s = labelSelector == null ? null : parse(K8sLabelSelector.toCalico(labelSelector), "-l");
        List<String> namespaces = scope.resolve(session);
        List<Map<String, Object>> rows = session.source().read(index -> {
            List<Endpoint> candidates = calico == null ? new ArrayList<>(index.endpoints()) : index.select(calico);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Endpoint e : candidates) {
                if (namespaces != null && !namespaces.contains(e.namespace())) {
                    continue;
                }
                if (k8s != null && !k8s.matches(e.labels())) {
                    continue;
                }
                out.add(tree(index, e));
            }
            return out;
        });
        OutputFormat format = format();
        if (format.structured()) {
            printTree(Map.of("endpoints", rows));
            return 0;
        }
        if (rows.isEmpty()) {
            session.err().println("no endpoints" + (namespaces == null ? "" : " in " + String.join(", ", namespaces)));
            session.err().flush();
            return 0;
        }
        boolean wide = format == OutputFormat.WIDE;
        Table table = wide
                ? new Table("NAMESPACE", "NAME", "IP", "NODE", "WORKLOAD", "INGRESS", "EGRESS", "LABELS")
                : new Table("NAMESPACE", "NAME", "IP", "INGRESS", "EGRESS", "LABELS");
        for (Map<String, Object> r : rows) {
            String ips = String.join(",", strings(r.get("ips")));
            String in = isolation(r, "ingress");
            String out = isolation(r, "egress");
            String labels = labelText(r.get("labels"));
            if (wide) {
                table.row(r.get("namespace"), r.get("name"), ips, r.get("node"), r.get("workload"), in, out, labels);
            } else {
                table.row(r.get("namespace"), r.get("name"), ips, in, out, labels);
            }
        }
        print(table.render(width()));
        return 0;
    }

    private static Selector parse(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return Selector.parse(text);
        } catch (SelectorSyntaxException e) {
            throw TortieException.usage(option + " '" + text + "': " + e.getMessage());
        }
    }

    static Map<String, Object> tree(ClusterIndex index, Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", e.namespace());
        m.put("name", e.name());
        List<String> ips = new ArrayList<>();
        for (IpAddress ip : e.ips()) {
            ips.add(ip.toString());
        }
        m.put("ips", ips);
        m.put("labels", new TreeMap<>(e.labels()));
        m.put("node", e.node());
        m.put("serviceAccount", e.serviceAccount());
        m.put("workload", e.workload());
        List<Object> ports = new ArrayList<>();
        for (ContainerPort p : e.ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            if (p.name() != null) {
                pm.put("name", p.name());
            }
            pm.put("port", p.port());
            pm.put("protocol", p.protocol().displayName());
            ports.add(pm);
        }
        m.put("ports", ports);
        Map<String, Object> isolation = new LinkedHashMap<>();
        for (Direction d : Direction.values()) {
            List<String> names = new ArrayList<>();
            for (CompiledPolicy p : index.policiesApplying(e, d, false)) {
                names.add(p.policy().id().toString());
            }
            isolation.put(d.lowerName(), names);
        }
        m.put("isolatedBy", isolation);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String isolation(Map<String, Object> row, String direction) {
        List<String> policies = (List<String>) ((Map<String, Object>) row.get("isolatedBy")).get(direction);
        if (policies.isEmpty()) {
            return "open";
        }
        return policies.size() == 1 ? shortPolicy(policies.get(0)) : policies.size() + " policies";
    }

    private static String shortPolicy(String id) {
        int slash = id.lastIndexOf('/');
        return slash >= 0 ? id.substring(slash + 1) : id;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    private static String labelText(Object o) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : ((Map<String, String>) o).entrySet()) {
            parts.add(e.getKey() + "=" + e.getValue());
        }
        return String.join(",", parts);
    }
}
