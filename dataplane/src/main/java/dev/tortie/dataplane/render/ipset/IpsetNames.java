package dev.tortie.dataplane.render.ipset;

import dev.tortie.engine.ir.Hashes;
import dev.tortie.engine.net.Cidr;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Kernel names of tortie's IP sets, Felix style: {@code tortie4} (IPv4) + {@code 0} (main) or {@code t} (temporary
 * copy for swaps) + the set id, cut to ipset's 31 characters. Example: {@code tortie40s:qMt7iLlGDhvLnCjM0l9nz}.
 */
public final class IpsetNames {
    /** ipset's IPSET_MAXNAMELEN minus the terminating NUL. */
    public static final int MAX_NAME_LENGTH = 31;

    public static final String V4 = "tortie4";
    public static final String V6 = "tortie6";
    private static final char MAIN = '0';
    private static final char TEMP = 't';

    private IpsetNames() {}

    /** The main kernel name of the IPv4 set with this id ({@code s:...}, {@code n:...} or {@code c:...}). */
    public static String main(String setId) {
        return cut(V4 + MAIN + setId);
    }

    /** The temporary name used to build a replacement before swapping it with {@code mainName}. */
    public static String tempFor(String mainName) {
        if (!isMain(mainName)) {
            throw new IllegalArgumentException("not a main tortie set name: " + mainName);
        }
        return mainName.substring(0, V4.length()) + TEMP + mainName.substring(V4.length() + 1);
    }

    /** Whether tortie owns a set of this name (any family, main or temporary). */
    public static boolean owned(String name) {
        return name.startsWith(V4) || name.startsWith(V6);
    }

    public static boolean isMain(String name) {
        return owned(name) && name.length() > V4.length() && name.charAt(V4.length()) == MAIN;
    }

    public static boolean isTemp(String name) {
        return owned(name) && name.length() > V4.length() && name.charAt(V4.length()) == TEMP;
    }

    /**
     * The id of an auxiliary set holding a list of CIDRs (used where one rule must test several CIDRs): {@code c:} +
     * a hash of the sorted CIDRs, so equal lists share one set and a changed list gets a new one.
     */
    public static String cidrSetId(Collection<Cidr> cidrs) {
        TreeSet<String> sorted = new TreeSet<>();
        for (Cidr c : cidrs) {
            sorted.add(c.toString().toLowerCase(Locale.ROOT));
        }
        return "c:" + Hashes.shortHash(String.join(",", sorted), 27);
    }

    private static String cut(String name) {
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }
}
