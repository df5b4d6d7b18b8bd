package dev.tortie.engine.load;

import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.ServiceAccount;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.model.Workload;
import java.util.List;

/**
 * Everything loaded from one or more texts: objects (one per identity, the last one read wins) in the order first
 * read, and every diagnostic in the order found. An object with an error is absent.
 */
public record LoadResult(
        List<Namespace> namespaces,
        List<Endpoint> endpoints,
        List<ServiceAccount> serviceAccounts,
        List<Policy> policies,
        List<Tier> tiers,
        List<NetworkSet> networkSets,
        List<Workload> workloads,
        List<Diagnostic> diagnostics) {

    public LoadResult {
        namespaces = List.copyOf(namespaces);
        endpoints = List.copyOf(endpoints);
        serviceAccounts = List.copyOf(serviceAccounts);
        policies = List.copyOf(policies);
        tiers = List.copyOf(tiers);
        networkSets = List.copyOf(networkSets);
        workloads = List.copyOf(workloads);
        diagnostics = List.copyOf(diagnostics);
    }

    public static LoadResult empty() {
        return new LoadResult(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream()
                .filter(d -> d.severity() == Diagnostic.Severity.WARNING)
                .toList();
    }

    /** Total number of objects loaded. */
    public int objectCount() {
        return namespaces.size()
                + endpoints.size()
                + serviceAccounts.size()
                + policies.size()
                + tiers.size()
                + networkSets.size()
                + workloads.size();
    }

    /** Adds every loaded object to {@code builder} (replacing objects with the same key); returns the builder. */
    public ClusterState.Builder applyTo(ClusterState.Builder builder) {
        namespaces.forEach(builder::namespace);
        tiers.forEach(builder::tier);
        serviceAccounts.forEach(builder::serviceAccount);
        workloads.forEach(builder::workload);
        endpoints.forEach(builder::endpoint);
        networkSets.forEach(builder::networkSet);
        policies.forEach(builder::policy);
        return builder;
    }
}
