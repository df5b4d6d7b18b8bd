package dev.tortie.dataplane.bpf.ipsets;

import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IPv4 trie entries for a node's IP sets: one {@link Ipv4SetKey} per member (CIDR members with their prefix,
 * named-port members full length), all sets in one trie told apart by the set id. IPv6 members are left out (the
 * programs police IPv4 only) and listed in {@link #skipped()}.
 */
public record Ipv4SetEntries(Set<Ipv4SetKey> keys, List<String> skipped) {
    /** Stable order: set id, prefix length, address, port, protocol. */
    public static final Comparator<Ipv4SetKey> ORDER = Comparator.comparingLong(Ipv4SetKey::setId)
            .thenComparingInt(Ipv4SetKey::prefixLen)
            .thenComparingInt(Ipv4SetKey::address)
            .thenComparingInt(Ipv4SetKey::port)
            .thenComparingInt(Ipv4SetKey::protocol);

    public Ipv4SetEntries {
        TreeSet<Ipv4SetKey> sorted = new TreeSet<>(ORDER);
        sorted.addAll(keys);
        keys = Collections.unmodifiableSet(sorted);
        skipped = List.copyOf(skipped);
    }

    /**
     * The pseudo set of the node's own endpoint addresses (/32), which the policy programs consult when they open a
     * connection: a connection between two local endpoints counts as established only once both have approved it.
     */
    public static final String LOCAL_ENDPOINTS = "tortie:local-endpoints";

    /** The entries for a node: every set its programs use plus {@link #LOCAL_ENDPOINTS}. */
    public static Ipv4SetEntries of(NodeProgram node) {
        Ipv4SetEntries sets = of(node.ipSets());
        Set<Ipv4SetKey> keys = new TreeSet<>(ORDER);
        keys.addAll(sets.keys());
        long local = Ipv4SetKey.setIdOf(LOCAL_ENDPOINTS);
        for (LocalEndpoint e : node.endpoints()) {
            for (IpAddress ip : e.ips()) {
                if (!ip.isV6()) {
                    keys.add(Ipv4SetKey.cidr(local, Cidr.host(ip)));
                }
            }
        }
        return new Ipv4SetEntries(keys, sets.skipped());
    }

    /** The entries for every set in {@code sets} (IR set id to content). */
    public static Ipv4SetEntries of(Map<String, IpSetContent> sets) {
        Set<Ipv4SetKey> keys = new TreeSet<>(ORDER);
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, IpSetContent> e : sets.entrySet()) {
            long setId = Ipv4SetKey.setIdOf(e.getKey());
            for (String member : e.getValue().members()) {
                int comma = member.indexOf(',');
                if ((comma < 0 ? member : member.substring(0, comma)).indexOf(':') >= 0) {
                    skipped.add(e.getKey() + " " + member);
                    continue;
                }
                keys.add(Ipv4SetKey.member(setId, member));
            }
        }
        return new Ipv4SetEntries(keys, skipped);
    }
}
