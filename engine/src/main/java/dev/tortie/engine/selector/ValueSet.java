package dev.tortie.engine.selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The string items of an {@code in} / {@code not in} set, sorted and de-duplicated like Calico's StringSet. */
final class ValueSet {
    private final List<String> sorted;
    // Hash lookup keeps the match hot path O(1) however large the set.
    private final Set<String> lookup;

    private ValueSet(List<String> sorted) {
        this.sorted = sorted;
        this.lookup = new HashSet<>(sorted);
    }

    static ValueSet of(List<String> items) {
        return new ValueSet(sortedDistinct(items.toArray(String[]::new)));
    }

    boolean contains(String value) {
        return lookup.contains(value);
    }

    boolean isEmpty() {
        return sorted.isEmpty();
    }

    /** Items in canonical order. */
    List<String> items() {
        return sorted;
    }

    /** Sorts in Go's byte-wise (UTF-8) order and drops duplicates; returns an unmodifiable list. */
    static List<String> sortedDistinct(String[] items) {
        String[] copy = items.clone();
        Arrays.sort(copy, ValueSet::compareUtf8);
        List<String> out = new ArrayList<>(copy.length);
        for (String item : copy) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(item)) {
                out.add(item);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Compares as Go compares strings (UTF-8 bytes, i.e. code points). UTF-16 order differs only where a surrogate
     * meets a char in U+E000..U+FFFF, so those two ranges are swapped before comparing.
     */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                return codePointRank(ca) - codePointRank(cb);
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(char c) {
        if (c >= 0xE000) {
            return c - 0x800;
        }
        if (Character.isSurrogate(c)) {
            return c + 0x2000;
        }
        return c;
    }
}
