package dev.tortie.shell.command;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Workload;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves what an operator types into flow ends: {@code ns/pod}, a pod or workload in the current namespace, a
 * namespace (all its pods), or an IP address (the pod that owns it, or an address outside the cluster).
 */
public final class Targets {
    private Targets() {}

    /** One resolved name: the endpoints (pods without an IP are kept, flagged by callers) or an external address. */
    public record Target(String text, List<Endpoint> endpoints, IpAddress external) {
        public boolean isExternal() {
            return external != null;
        }
    }

    public static Target resolve(ClusterIndex index, String text, String currentNamespace) {
        IpAddress ip = IpAddress.tryParse(text);
        if (ip != null) {
            List<Endpoint> owners = index.endpointsWithIp(ip);
            return owners.isEmpty() ? new Target(text, List.of(), ip) : new Target(text, List.of(owners.get(0)), null);
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            String ns = text.substring(0, slash);
            String name = text.substring(slash + 1);
            Endpoint e = index.endpoint(ns, name);
            if (e != null) {
                return new Target(text, List.of(e), null);
            }
            List<Endpoint> ofWorkload = workloadPods(index, ns, name);
            if (!ofWorkload.isEmpty()) {
                return new Target(text, ofWorkload, null);
            }
            throw TortieException.input("no pod '" + name + "' in namespace '" + ns + "'" + suggestion(index, ns));
        }
        Endpoint e = index.endpoint(currentNamespace, text);
        if (e != null) {
            return new Target(text, List.of(e), null);
        }
        List<Endpoint> ofWorkload = workloadPods(index, currentNamespace, text);
        if (!ofWorkload.isEmpty()) {
            return new Target(text, ofWorkload, null);
        }
        List<Endpoint> inNamespace = index.endpointsIn(text);
        if (!inNamespace.isEmpty()) {
            return new Target(text, inNamespace, null);
        }
        if (index.hasNamespace(text)) {
            throw TortieException.input("namespace '" + text + "' has no pods");
        }
        throw TortieException.input("unknown pod or namespace '" + text + "' (current namespace: " + currentNamespace
                + "; use ns/pod, a namespace, or an IP)");
    }

    /** Pods of a workload named like {@code app-a} or {@code deployment/app-a} in a namespace. */
    private static List<Endpoint> workloadPods(ClusterIndex index, String namespace, String name) {
        String wanted = name.toLowerCase(java.util.Locale.ROOT);
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : index.endpointsIn(namespace)) {
            if (e.workload() == null) {
                continue;
            }
            String ref = e.workload().toLowerCase(java.util.Locale.ROOT);
            String bare = ref.substring(ref.indexOf('/') + 1);
            if (ref.equals(wanted) || bare.equals(wanted)) {
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            for (Workload w : index.workloads()) {
                if (w.namespace().equals(namespace) && w.name().equalsIgnoreCase(name)) {
                    throw TortieException.input(w.kind() + " " + namespace + "/" + name + " has no pods yet");
                }
            }
        }
        return out;
    }

    private static String suggestion(ClusterIndex index, String namespace) {
        List<Endpoint> pods = index.endpointsIn(namespace);
        if (pods.isEmpty()) {
            return index.hasNamespace(namespace) ? " (it has no pods)" : " (no such namespace)";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(5, pods.size()); i++) {
            names.add(pods.get(i).name());
        }
        return " (pods there: " + String.join(", ", names) + (pods.size() > 5 ? ", ..." : "") + ")";
    }

    /** The flow end for an endpoint, or null when the pod has no IP yet. */
    public static FlowEnd endOf(Endpoint e) {
        IpAddress ip = e.primaryIp();
        return ip == null ? null : new FlowEnd(e, ip);
    }
}
