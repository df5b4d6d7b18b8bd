package dev.tortie.engine.model;

import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.selector.Selector;
import java.util.List;

/**
 * The source or destination half of a Calico rule. Every present field must match (AND); lists are "any of" (nets,
 * ports) or "none of" (notNets, notPorts). A null selector field is absent.
 *
 * @param namespaceSelector null when absent; in a namespaced policy absent means "the policy's namespace"
 */
public record EntityRule(
        List<Cidr> nets,
        List<Cidr> notNets,
        Selector selector,
        Selector notSelector,
        Selector namespaceSelector,
        ServiceAccountMatch serviceAccounts,
        List<PortSpec> ports,
        List<PortSpec> notPorts) {

    public static final EntityRule ANY =
            new EntityRule(List.of(), List.of(), null, null, null, null, List.of(), List.of());

    public EntityRule {
        nets = List.copyOf(nets);
        notNets = List.copyOf(notNets);
        ports = List.copyOf(ports);
        notPorts = List.copyOf(notPorts);
        if (serviceAccounts != null && serviceAccounts.isEmpty()) {
            serviceAccounts = null;
        }
    }

    public boolean isAny() {
        return equals(ANY);
    }

    /** True when the entity is constrained by labels (so it only matches known endpoints or network sets). */
    public boolean usesSelectors() {
        return selector != null || notSelector != null || namespaceSelector != null || serviceAccounts != null;
    }

    public EntityRule withPorts(List<PortSpec> newPorts) {
        return new EntityRule(
                nets, notNets, selector, notSelector, namespaceSelector, serviceAccounts, newPorts, notPorts);
    }
}
