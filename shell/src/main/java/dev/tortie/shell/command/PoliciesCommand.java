package dev.tortie.shell.command;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.model.Policy;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Table;
import dev.tortie.shell.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "policies",
        aliases = {"pol"},
        description = "List policies (Kubernetes and Calico) in evaluation order, with what they select.",
        mixinStandardHelpOptions = true)
public final class PoliciesCommand extends BaseCommand {
    @Mixin
    NamespaceScope scope;

    public PoliciesCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        List<String> namespaces = scope.resolve(session);
        List<Map<String, Object>> rows = session.source().read(index -> {
            List<CompiledPolicy> sorted = new ArrayList<>(index.policies());
            sorted.sort((a, b) -> {
                int c = index.tier(a.policy().tier())
                        .compareTo(index.tier(b.policy().tier()));
                if (c != 0) {
                    return c;
                }
                c = Double.compare(a.policy().sortOrder(), b.policy().sortOrder());
                return c != 0 ? c : a.policy().id().compareTo(b.policy().id());
            });
            List<Map<String, Object>> out = new ArrayList<>();
            for (CompiledPolicy p : sorted) {
                String ns = p.policy().namespace();
                if (namespaces != null && ns != null && !namespaces.contains(ns)) {
                    continue;
                }
                out.add(tree(index, p));
            }
            return out;
        });
        OutputFormat format = format();
        if (format.structured()) {
            printTree(Map.of("policies", rows));
            return 0;
        }
        if (rows.isEmpty()) {
            session.err().println("no policies" + (namespaces == null ? "" : " in " + String.join(", ", namespaces)));
            session.err().flush();
            return 0;
        }
        boolean wide = format == OutputFormat.WIDE;
        Table table = wide
                ? new Table("KIND", "NAMESPACE", "NAME", "TIER", "ORDER", "TYPES", "SELECTS", "SELECTOR", "SOURCE")
                : new Table("KIND", "NAMESPACE", "NAME", "TIER", "ORDER", "TYPES", "SELECTS");
        for (Map<String, Object> r : rows) {
            Object order = r.get("order") == null ? "-" : formatOrder((Double) r.get("order"));
            String types = String.join(",", strings(r.get("types")));
            Object ns = r.get("namespace") == null ? "(global)" : r.get("namespace");
            String kind = r.get("kind") + (Boolean.TRUE.equals(r.get("staged")) ? " (staged)" : "");
            if (wide) {
                table.row(
                        kind,
                        ns,
                        r.get("name"),
                        r.get("tier"),
                        order,
                        types,
                        r.get("endpoints"),
                        r.get("selector"),
                        r.get("source"));
            } else {
                table.row(kind, ns, r.get("name"), r.get("tier"), order, types, r.get("endpoints"));
            }
        }
        print(table.render(width()));
        return 0;
    }

    static String formatOrder(Double order) {
        return order == Math.rint(order) ? Long.toString(order.longValue()) : order.toString();
    }

    static Map<String, Object> tree(ClusterIndex index, CompiledPolicy compiled) {
        Policy p = compiled.policy();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", p.kind().kind());
        m.put("apiVersion", p.kind().apiVersion());
        m.put("namespace", p.namespace());
        m.put("name", p.name());
        m.put("id", p.id().toString());
        m.put("tier", p.tier());
        m.put("order", p.order());
        List<String> types = new ArrayList<>();
        if (p.appliesToIngress()) {
            types.add("Ingress");
        }
        if (p.appliesToEgress()) {
            types.add("Egress");
        }
        m.put("types", types);
        m.put("selector", p.selector().canonical());
        m.put("appliesTo", compiled.appliesTo().canonical());
        m.put("ingressRules", p.ingress().size());
        m.put("egressRules", p.egress().size());
        m.put("staged", p.staged());
        m.put("endpoints", index.endpointsSelectedBy(p.id()).size());
        m.put("source", p.source().toString());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }
}
