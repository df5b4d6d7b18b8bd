package dev.tortie.dataplane.render.ipset;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IpSetType;
import dev.tortie.engine.ir.NodeProgram;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Renders IR IP sets as kernel sets. Only IPv4 is rendered (as the iptables renderer does): IPv6 members are left
 * out. Selector sets become {@code hash:net}, named-port sets {@code hash:ip,port}.
 */
public final class IpsetRenderer {
    private IpsetRenderer() {}

    /**
     * All sets for a node: the program's sets plus {@code auxiliary} ones the iptables renderer asked for (CIDR lists,
     * see {@code Ruleset.auxiliarySets()}).
     */
    public static IpsetRendering render(NodeProgram program, Collection<KernelSet> auxiliary, DataplaneConfig config) {
        List<KernelSet> sets = new ArrayList<>();
        for (IpSetContent content : program.ipSets().values()) {
            sets.add(kernelSet(content, config));
        }
        sets.addAll(auxiliary);
        return new IpsetRendering(sets);
    }

    /** One IR set as the kernel IPv4 set. */
    public static KernelSet kernelSet(IpSetContent content, DataplaneConfig config) {
        List<String> v4 = new ArrayList<>();
        for (String member : content.members()) {
            if (isV4(member)) {
                v4.add(member);
            }
        }
        String type = content.definition().type() == IpSetType.NET ? KernelSet.HASH_NET : KernelSet.HASH_IP_PORT;
        return new KernelSet(
                IpsetNames.main(content.definition().id()),
                type,
                config.maxSetSize(),
                v4,
                content.definition().describe());
    }

    /** {@code 10.0.0.1/32} or {@code 10.0.0.1,tcp:80}: the address part has no colon. */
    static boolean isV4(String member) {
        int comma = member.indexOf(',');
        String address = comma < 0 ? member : member.substring(0, comma);
        return address.indexOf(':') < 0;
    }
}
