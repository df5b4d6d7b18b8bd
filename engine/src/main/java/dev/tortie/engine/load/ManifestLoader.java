package dev.tortie.engine.load;

import dev.tortie.engine.convert.CalicoConverter;
import dev.tortie.engine.convert.Converted;
import dev.tortie.engine.convert.KubernetesPolicyConverter;
import dev.tortie.engine.convert.NamespaceConverter;
import dev.tortie.engine.convert.PodConverter;
import dev.tortie.engine.convert.ServiceAccountConverter;
import dev.tortie.engine.convert.WorkloadConverter;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.ServiceAccount;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.model.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Texts to a {@link LoadResult}: parses each text, sends each object to the converter for its apiVersion and kind,
 * and keeps one object per identity (a later one replaces an earlier one, with a warning, like {@code kubectl apply}).
 *
 * <p>Kinds that cannot affect policy (Service, ConfigMap, RBAC, CRDs, ...) are ignored with an INFO; Calico and
 * Kubernetes kinds that do but that tortie does not model (HostEndpoint, Profile, AdminNetworkPolicy, ...) are ignored
 * with a WARNING; anything else is an ERROR naming the kind and apiVersion.
 */
public final class ManifestLoader {
    private static final Set<String> CALICO_GROUPS = Set.of("projectcalico.org/v3", "crd.projectcalico.org/v1");

    /** Calico kinds tortie does not model: ignored with a warning. */
    private static final Set<String> CALICO_UNSUPPORTED = Set.of(
            "HostEndpoint",
            "Profile",
            "IPPool",
            "IPReservation",
            "FelixConfiguration",
            "BGPConfiguration",
            "BGPPeer",
            "BGPFilter",
            "KubeControllersConfiguration",
            "ClusterInformation",
            "CalicoNodeStatus",
            "IPAMConfiguration",
            "IPAMConfig",
            "IPAMBlock",
            "IPAMHandle",
            "BlockAffinity",
            "Node",
            "WorkloadEndpoint",
            "KubernetesNetworkPolicy",
            "LiveMigration");

    /** Core kinds that never change a policy verdict. */
    private static final Set<String> CORE_IGNORED = Set.of(
            "Service",
            "ConfigMap",
            "Secret",
            "Endpoints",
            "LimitRange",
            "ResourceQuota",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Event",
            "Node",
            "ReplicationController",
            "PodTemplate",
            "ComponentStatus",
            "Binding");

    /** API groups whose kinds never change a verdict. */
    private static final Set<String> IGNORED_GROUPS = Set.of(
            "rbac.authorization.k8s.io",
            "apiextensions.k8s.io",
            "storage.k8s.io",
            "admissionregistration.k8s.io",
            "scheduling.k8s.io",
            "coordination.k8s.io",
            "certificates.k8s.io",
            "apiregistration.k8s.io",
            "node.k8s.io",
            "autoscaling",
            "policy",
            "discovery.k8s.io",
            "events.k8s.io",
            "flowcontrol.apiserver.k8s.io",
            "gateway.networking.k8s.io",
            "operator.tigera.io",
            "snapshot.storage.k8s.io");

    /** Kubernetes policy APIs tortie does not model (they do change verdicts): warned about. */
    private static final Set<String> UNSUPPORTED_GROUPS = Set.of("policy.networking.k8s.io");

    private enum Handling {
        NAMESPACE,
        POD,
        SERVICE_ACCOUNT,
        WORKLOAD,
        KUBERNETES_POLICY,
        CALICO_POLICY,
        TIER,
        NETWORK_SET,
        IGNORED,
        UNSUPPORTED,
        UNKNOWN
    }

    private ManifestLoader() {}

    public static LoadResult load(String location, String text) {
        return load(List.of(new SourceText(location, text)));
    }

    /**
     * Loads the texts in order; a later object replaces an earlier one with the same identity. Diagnostics come in
     * document order, a document's parse errors before its objects' diagnostics.
     */
    public static LoadResult load(List<SourceText> sources) {
        Accumulator acc = new Accumulator();
        for (SourceText source : sources) {
            // Document by document, so that a document's trees are garbage once converted.
            ManifestParser.parse(source.location(), source.text(), (manifests, diagnostics) -> {
                acc.diagnostics.addAll(diagnostics);
                manifests.forEach(acc::add);
            });
        }
        return acc.result();
    }

    /** Loads objects already parsed (e.g. read from an API server as trees). */
    public static LoadResult loadManifests(List<Manifest> manifests) {
        Accumulator acc = new Accumulator();
        manifests.forEach(acc::add);
        return acc.result();
    }

    private static Handling classify(String apiVersion, String kind) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (CALICO_GROUPS.contains(apiVersion)) {
            if (CalicoConverter.POLICY_KINDS.contains(kind)) {
                return Handling.CALICO_POLICY;
            }
            if (kind.equals("StagedKubernetesNetworkPolicy")) {
                return Handling.KUBERNETES_POLICY;
            }
            if (kind.equals("Tier")) {
                return Handling.TIER;
            }
            if (CalicoConverter.NETWORK_SET_KINDS.contains(kind)) {
                return Handling.NETWORK_SET;
            }
            return CALICO_UNSUPPORTED.contains(kind) ? Handling.UNSUPPORTED : Handling.UNKNOWN;
        }
        switch (apiVersion) {
            case "v1":
                switch (kind) {
                    case "Namespace":
                        return Handling.NAMESPACE;
                    case "Pod":
                        return Handling.POD;
                    case "ServiceAccount":
                        return Handling.SERVICE_ACCOUNT;
                    default:
                        return CORE_IGNORED.contains(kind) ? Handling.IGNORED : Handling.UNKNOWN;
                }
            case "apps/v1":
                if (WorkloadConverter.KINDS.contains(kind) && !kind.equals("Job")) {
                    return Handling.WORKLOAD;
                }
                return kind.equals("ControllerRevision") ? Handling.IGNORED : Handling.UNKNOWN;
            case "batch/v1":
                if (kind.equals("Job")) {
                    return Handling.WORKLOAD;
                }
                return kind.equals("CronJob") ? Handling.IGNORED : Handling.UNKNOWN;
            case "networking.k8s.io/v1":
                if (kind.equals("NetworkPolicy")) {
                    return Handling.KUBERNETES_POLICY;
                }
                return Set.of("Ingress", "IngressClass", "IPAddress", "ServiceCIDR")
                                .contains(kind)
                        ? Handling.IGNORED
                        : Handling.UNKNOWN;
            default:
                break;
        }
        if (UNSUPPORTED_GROUPS.contains(group)) {
            return Handling.UNSUPPORTED;
        }
        if (IGNORED_GROUPS.contains(group) || kind.endsWith("Binding")) {
            return Handling.IGNORED;
        }
        return Handling.UNKNOWN;
    }

    /** For an unknown apiVersion/kind pair: the apiVersion tortie reads that kind under, if any. */
    private static String supportedApiVersion(String kind) {
        for (String apiVersion : List.of("v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "projectcalico.org/v3")) {
            Handling h = classify(apiVersion, kind);
            if (h != Handling.UNKNOWN && h != Handling.IGNORED && h != Handling.UNSUPPORTED) {
                return apiVersion;
            }
        }
        return null;
    }

    private static String label(Manifest manifest, String kind) {
        String name = manifest.name();
        if (name == null) {
            return kind;
        }
        String namespace = manifest.namespace();
        return namespace == null ? kind + " " + name : kind + " " + namespace + "/" + name;
    }

    /** Collects objects by identity, in first-seen order. */
    private static final class Accumulator {
        final List<Diagnostic> diagnostics = new ArrayList<>();
        final Slot<String, Namespace> namespaces = new Slot<>(n -> "Namespace " + n.name(), Namespace::source);
        /** Keyed by (namespace, name), as {@link Endpoint#key()} but without building a string for every pod. */
        final Slot<List<String>, Endpoint> endpoints = new Slot<>(e -> "Pod " + e.key(), Endpoint::source);

        final Slot<String, ServiceAccount> serviceAccounts =
                new Slot<>(s -> "ServiceAccount " + s.key(), ServiceAccount::source);
        final Slot<PolicyId, Policy> policies =
                new Slot<>(p -> p.kind().kind() + " " + p.id().qualifiedName(), Policy::source);
        final Slot<String, Tier> tiers = new Slot<>(t -> "Tier " + t.name(), Tier::source);
        final Slot<String, NetworkSet> networkSets = new Slot<>(NetworkSet::displayName, NetworkSet::source);
        final Slot<String, Workload> workloads =
                new Slot<>(w -> w.kind() + " " + w.namespace() + "/" + w.name(), Workload::source);

        void add(Manifest manifest) {
            ObjectSource source = manifest.source();
            Object rawApiVersion = manifest.tree().get("apiVersion");
            Object rawKind = manifest.tree().get("kind");
            String apiVersion = manifest.apiVersion();
            String kind = manifest.kind();
            if (kind == null || kind.isEmpty()) {
                diagnostics.add(Diagnostic.error(
                        source,
                        null,
                        "kind",
                        rawKind == null
                                ? "kind is missing (apiVersion " + apiVersion + ")"
                                : "kind must be a string, got " + rawKind));
                return;
            }
            if (apiVersion == null || apiVersion.isEmpty()) {
                diagnostics.add(Diagnostic.error(
                        source,
                        label(manifest, kind),
                        "apiVersion",
                        rawApiVersion == null
                                ? "apiVersion is missing (kind " + kind + ")"
                                : "apiVersion must be a string, got " + rawApiVersion));
                return;
            }
            Handling handling = classify(apiVersion, kind);
            switch (handling) {
                case NAMESPACE -> namespaces.put(NamespaceConverter.convert(manifest), Namespace::name, diagnostics);
                case POD -> endpoints.put(
                        PodConverter.convert(manifest), e -> List.of(e.namespace(), e.name()), diagnostics);
                case SERVICE_ACCOUNT -> serviceAccounts.put(
                        ServiceAccountConverter.convert(manifest), ServiceAccount::key, diagnostics);
                case WORKLOAD -> workloads.put(WorkloadConverter.convert(manifest), Workload::key, diagnostics);
                case KUBERNETES_POLICY -> policies.put(
                        KubernetesPolicyConverter.convert(manifest), Policy::id, diagnostics);
                case CALICO_POLICY -> policies.put(CalicoConverter.convertPolicy(manifest), Policy::id, diagnostics);
                case TIER -> tiers.put(CalicoConverter.convertTier(manifest), Tier::name, diagnostics);
                case NETWORK_SET -> networkSets.put(
                        CalicoConverter.convertNetworkSet(manifest), NetworkSet::key, diagnostics);
                case IGNORED -> diagnostics.add(Diagnostic.info(
                        source, label(manifest, kind), null, kind + " ignored: it does not affect network policy"));
                case UNSUPPORTED -> diagnostics.add(Diagnostic.warning(
                        source,
                        label(manifest, kind),
                        null,
                        kind + " (" + apiVersion + ") is not supported, ignored: policy from it is not modelled"));
                case UNKNOWN -> {
                    String supported = supportedApiVersion(kind);
                    String hint = supported == null ? "" : " (tortie reads " + kind + " as " + supported + ")";
                    diagnostics.add(Diagnostic.error(
                            source,
                            label(manifest, kind),
                            null,
                            "unknown kind " + kind + " in apiVersion " + apiVersion + hint));
                }
            }
        }

        LoadResult result() {
            return new LoadResult(
                    namespaces.values(),
                    endpoints.values(),
                    serviceAccounts.values(),
                    policies.values(),
                    tiers.values(),
                    networkSets.values(),
                    workloads.values(),
                    diagnostics);
        }
    }

    /** One kind of object, keyed by identity. */
    private static final class Slot<K, V> {
        private final Map<K, V> byKey = new LinkedHashMap<>();
        private final Function<V, String> describe;
        private final Function<V, ObjectSource> sourceOf;

        Slot(Function<V, String> describe, Function<V, ObjectSource> sourceOf) {
            this.describe = describe;
            this.sourceOf = sourceOf;
        }

        void put(Converted<V> converted, Function<V, K> keyOf, List<Diagnostic> diagnostics) {
            diagnostics.addAll(converted.diagnostics());
            V value = converted.value();
            if (value == null) {
                return;
            }
            K key = keyOf.apply(value);
            V previous = byKey.put(key, value);
            if (previous != null) {
                ObjectSource before = sourceOf.apply(previous);
                diagnostics.add(Diagnostic.warning(
                        sourceOf.apply(value), describe.apply(value), null, "replaces the one from " + where(before)));
            }
        }

        List<V> values() {
            return new ArrayList<>(byKey.values());
        }

        private static String where(ObjectSource source) {
            return source.document() > 0 ? source.location() + " document " + source.document() : source.location();
        }
    }
}
