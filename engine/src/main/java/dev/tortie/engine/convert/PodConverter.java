package dev.tortie.engine.convert;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * v1 Pod to {@link Endpoint}, as Calico's Kubernetes datastore driver turns pods into workload endpoints: labels,
 * node, service account, container ports and addresses ({@code status.podIPs}, else {@code status.podIP}).
 *
 * <p>Host-network pods and pods that have finished (phase Succeeded or Failed) get no endpoint in Calico, so they are
 * skipped with an INFO. A pod without an address is kept with no IPs (manifests written by hand have no status).
 */
public final class PodConverter {
    /**
     * A ReplicaSet made by a Deployment is named {@code <deployment>-<pod-template-hash>}; the hash is a decimal
     * uint32 spelled in Kubernetes' "safe" alphabet (rand.SafeEncodeString), usually 8 to 10 characters.
     */
    private static final Pattern TEMPLATE_HASH = Pattern.compile("[bcdfghjklmnpqrstvwxz2456789]{5,10}");

    private static final Set<String> FINISHED_PHASES = Set.of("Succeeded", "Failed", "Completed");

    private PodConverter() {}

    public static Converted<Endpoint> convert(Manifest manifest) {
        return convert(manifest.tree(), manifest.source());
    }

    public static Converted<Endpoint> convert(Map<String, Object> tree, ObjectSource source) {
        ConversionContext ctx = new ConversionContext(source, "Pod");
        ObjectMeta meta = ObjectMeta.read(ctx, tree, "Pod", true, ObjectMeta.NameRule.SUBDOMAIN);
        Map<String, Object> spec = ctx.map(tree, "spec", "");
        Map<String, Object> status = ctx.map(tree, "status", "");
        if (Boolean.TRUE.equals(ctx.bool(spec, "hostNetwork", "spec"))) {
            ctx.info("spec.hostNetwork", "host-network pod skipped: Calico makes no workload endpoint for it");
            return ctx.skipped();
        }
        String phase = ctx.string(status, "phase", "status");
        if (phase != null && FINISHED_PHASES.contains(phase)) {
            ctx.info(
                    "status.phase",
                    "pod in phase " + phase + " skipped: Calico removes the endpoint of a finished pod");
            return ctx.skipped();
        }
        String node = ctx.string(spec, "nodeName", "spec");
        String serviceAccount = PodSpecs.serviceAccount(ctx, spec, "spec");
        List<ContainerPort> ports = PodSpecs.containerPorts(ctx, spec, "spec");
        List<IpAddress> ips = addresses(ctx, status);
        String workload = owner(ctx, tree, meta.labels());
        if (meta.name() == null) {
            return ctx.done(null);
        }
        return ctx.done(new Endpoint(
                meta.namespace(),
                meta.name(),
                node == null || node.isEmpty() ? null : node,
                ips,
                meta.labels(),
                serviceAccount,
                ports,
                workload,
                ctx.source()));
    }

    private static List<IpAddress> addresses(ConversionContext ctx, Map<String, Object> status) {
        List<IpAddress> out = new ArrayList<>();
        List<Object> podIps = ctx.list(status, "podIPs", "status");
        if (podIps != null && !podIps.isEmpty()) {
            for (int i = 0; i < podIps.size(); i++) {
                String at = ConversionContext.index("status.podIPs", i);
                Map<String, Object> entry = ctx.asMap(podIps.get(i), at);
                String text = ctx.string(entry, "ip", at);
                addAddress(ctx, out, text, ConversionContext.path(at, "ip"));
            }
            return out;
        }
        addAddress(ctx, out, ctx.string(status, "podIP", "status"), "status.podIP");
        return out;
    }

    private static void addAddress(ConversionContext ctx, List<IpAddress> out, String text, String at) {
        if (text == null || text.isEmpty()) {
            return;
        }
        IpAddress ip = IpAddress.tryParse(text);
        if (ip == null) {
            ctx.error(at, "pod IP '" + text + "' is not a valid IP address");
        } else if (!out.contains(ip)) {
            out.add(ip);
        }
    }

    /** The controlling owner as {@code Kind/name}, with a Deployment's ReplicaSet reported as the Deployment. */
    private static String owner(ConversionContext ctx, Map<String, Object> tree, Map<String, String> labels) {
        Map<String, Object> meta = tree.get("metadata") instanceof Map<?, ?> ? ctx.map(tree, "metadata", "") : null;
        List<Object> refs = ctx.list(meta, "ownerReferences", "metadata");
        if (refs == null || refs.isEmpty()) {
            return null;
        }
        Map<String, Object> chosen = null;
        for (int i = 0; i < refs.size(); i++) {
            String at = ConversionContext.index("metadata.ownerReferences", i);
            Map<String, Object> ref = ctx.asMap(refs.get(i), at);
            if (ref == null) {
                continue;
            }
            if (chosen == null || Boolean.TRUE.equals(ref.get("controller"))) {
                chosen = ref;
                if (Boolean.TRUE.equals(ref.get("controller"))) {
                    break;
                }
            }
        }
        if (chosen == null
                || !(chosen.get("kind") instanceof String kind)
                || !(chosen.get("name") instanceof String name)) {
            return null;
        }
        return workloadOf(kind, name, labels.get("pod-template-hash"));
    }

    /** {@code ReplicaSet/app-a-5d9f7c} owned by a Deployment becomes {@code Deployment/app-a}; else {@code Kind/name}. */
    static String workloadOf(String kind, String name, String templateHash) {
        if (kind.equals("ReplicaSet")) {
            int dash = name.lastIndexOf('-');
            if (dash > 0) {
                String hash = name.substring(dash + 1);
                boolean matches = templateHash != null
                        ? hash.equals(templateHash)
                        : TEMPLATE_HASH.matcher(hash).matches();
                if (matches) {
                    return "Deployment/" + name.substring(0, dash);
                }
            }
        }
        return kind + "/" + name;
    }
}
