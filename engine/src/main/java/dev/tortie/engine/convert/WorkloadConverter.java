package dev.tortie.engine.convert;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * apps/v1 Deployment, StatefulSet, DaemonSet, ReplicaSet and batch/v1 Job to {@link Workload}: the pod template's
 * labels, service account and container ports, the selector's matchLabels, and how many pods it runs (replicas,
 * default 1; a Job's parallelism; 1 for a DaemonSet, whose count depends on the nodes).
 */
public final class WorkloadConverter {
    public static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private WorkloadConverter() {}

    public static Converted<Workload> convert(Manifest manifest) {
        return convert(manifest.tree(), manifest.source());
    }

    public static Converted<Workload> convert(Map<String, Object> tree, ObjectSource source) {
        String kind = tree.get("kind") instanceof String k ? k : null;
        ConversionContext ctx = new ConversionContext(source, kind);
        if (kind == null || !KINDS.contains(kind)) {
            ctx.error(
                    "kind",
                    "kind " + kind + " is not a workload kind (expected one of "
                            + String.join(", ", KINDS.stream().sorted().toList()) + ")");
            return ctx.done(null);
        }
        ObjectMeta meta = ObjectMeta.read(ctx, tree, kind, true, ObjectMeta.NameRule.SUBDOMAIN);
        Map<String, Object> spec = ctx.map(tree, "spec", "");
        int replicas = 1;
        String countField = kind.equals("Job") ? "parallelism" : kind.equals("DaemonSet") ? null : "replicas";
        if (countField != null) {
            Long count = ctx.integer(spec, countField, "spec");
            if (count != null) {
                if (count < 0 || count > Integer.MAX_VALUE) {
                    ctx.error("spec." + countField, countField + " " + count + " must not be negative");
                } else {
                    replicas = count.intValue();
                }
            }
        }
        Map<String, Object> selector = ctx.map(spec, "selector", "spec");
        Map<String, String> selectorLabels = ctx.stringMap(selector, "matchLabels", "spec.selector");
        selectorLabels = selectorLabels == null ? Map.of() : selectorLabels;
        Map<String, Object> template = ctx.map(spec, "template", "spec");
        Map<String, Object> templateMeta = ctx.map(template, "metadata", "spec.template");
        Map<String, String> templateLabels = ctx.stringMap(templateMeta, "labels", "spec.template.metadata");
        templateLabels = templateLabels == null ? Map.of() : templateLabels;
        ObjectMeta.checkLabels(ctx, templateLabels, "spec.template.metadata.labels");
        for (Map.Entry<String, String> e : selectorLabels.entrySet()) {
            if (!e.getValue().equals(templateLabels.get(e.getKey()))) {
                ctx.error(
                        "spec.selector.matchLabels",
                        "selector " + e.getKey() + "=" + e.getValue() + " does not match the template labels "
                                + templateLabels);
            }
        }
        Map<String, Object> podSpec = ctx.map(template, "spec", "spec.template");
        String serviceAccount = PodSpecs.serviceAccount(ctx, podSpec, "spec.template.spec");
        List<ContainerPort> ports = PodSpecs.containerPorts(ctx, podSpec, "spec.template.spec");
        if (meta.name() == null) {
            return ctx.done(null);
        }
        return ctx.done(new Workload(
                kind,
                meta.namespace(),
                meta.name(),
                replicas,
                selectorLabels,
                templateLabels,
                serviceAccount,
                ports,
                ctx.source()));
    }
}
