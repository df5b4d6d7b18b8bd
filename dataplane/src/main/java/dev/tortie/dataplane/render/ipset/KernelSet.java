package dev.tortie.dataplane.render.ipset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One kernel IP set as tortie wants it (or as it was read back): name, ipset type, {@code maxelem} and members in the
 * kernel's canonical spelling (hash:net hosts without {@code /32}), sorted and unique.
 *
 * @param description what the set stands for (selector, named port, CIDR list); not sent to the kernel
 */
public record KernelSet(String name, String type, int maxElements, List<String> members, String description) {
    public static final String HASH_NET = "hash:net";
    public static final String HASH_IP_PORT = "hash:ip,port";

    public KernelSet {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(type, "type == null");
        if (name.isEmpty() || name.length() > IpsetNames.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("set name '" + name + "' must be 1-31 characters");
        }
        members = canonicalMembers(type, members);
        description = description == null ? "" : description;
    }

    /** Canonical, sorted, de-duplicated members; a hash:net {@code 0.0.0.0/0} becomes two /1 halves (ipset refuses /0). */
    public static List<String> canonicalMembers(String type, Collection<String> members) {
        TreeSet<String> out = new TreeSet<>();
        for (String m : members) {
            String c = canonicalMember(type, m.strip());
            if (c.equals("0.0.0.0/0")) {
                out.add("0.0.0.0/1");
                out.add("128.0.0.0/1");
            } else {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** {@code 10.0.0.5/32} -> {@code 10.0.0.5} for hash:net, as {@code ipset save} prints it; others unchanged. */
    public static String canonicalMember(String type, String member) {
        if (HASH_NET.equals(type) && member.endsWith("/32") && member.indexOf(':') < 0) {
            return member.substring(0, member.length() - 3);
        }
        return member;
    }

    /** The {@code create} line for {@code ipset restore}, under this set's name or another (a temporary copy). */
    public String createLine(String asName) {
        return "create " + asName + " " + type + " family inet maxelem " + maxElements;
    }

    /** True when the kernel object must be recreated (not just refilled) to become {@code other}. */
    public boolean sameShape(KernelSet other) {
        return type.equals(other.type) && maxElements == other.maxElements;
    }

    public KernelSet withName(String newName) {
        return new KernelSet(newName, type, maxElements, members, description);
    }
}
