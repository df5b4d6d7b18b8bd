package dev.tortie.engine.ir;

import dev.tortie.engine.model.Direction;
import java.util.List;
import java.util.Set;

/**
 * Everything that decides one endpoint's traffic in one direction: tiers first, then profiles, then drop. Connection
 * tracking (reply traffic of an allowed flow is accepted before any of this) belongs to the dataplane.
 *
 * @param endpoint the endpoint key {@code namespace/name}
 * @param ipSets every IP set the rules reference, by id
 */
public record EndpointProgram(
        String endpoint,
        Direction direction,
        List<IrTier> tiers,
        List<IrProfile> profiles,
        Set<IpSetDefinition> ipSets) {
    public EndpointProgram {
        tiers = List.copyOf(tiers);
        profiles = List.copyOf(profiles);
        ipSets = Set.copyOf(ipSets);
    }

    /** True when a policy selects the endpoint for this direction (so unmatched traffic is denied). */
    public boolean isolated() {
        return !tiers.isEmpty();
    }

    /** The identity of the final drop when no profile allowed. */
    public String noProfileId() {
        return "endpoint/" + endpoint + "/" + direction.lowerName() + "/no-profile";
    }
}
