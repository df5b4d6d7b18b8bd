package dev.tortie.engine.load;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The immutable maps and lists that parsed trees are made of. A large cluster's manifests hold millions of small
 * maps, so a map is one array of keys and values in document order (a LinkedHashMap needs an object per entry) and
 * equals any map with the same entries.
 */
final class Trees {
    private Trees() {}

    /** The items, not copied: the caller hands the array over. */
    static List<Object> list(Object[] items) {
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    /**
     * A map of alternating keys and values (not copied: the caller hands the array over), in that order; null when two
     * keys are equal. Unmodifiable as {@link Collections#unmodifiableMap} makes it: every mutator throws.
     */
    static Map<String, Object> map(Object[] keysAndValues) {
        OrderedMap map = new OrderedMap(keysAndValues);
        return map.hasDuplicateKeys() ? null : Collections.unmodifiableMap(map);
    }

    private static final class OrderedMap extends AbstractMap<String, Object> {
        /** Up to this many keys, a lookup compares with each (interned keys mostly match by identity). */
        private static final int SCANNED = 8;

        private final Object[] keysAndValues;
        /** For larger maps: open addressing, each slot 0 (empty) or a key's position + 1. */
        private final int[] slots;

        private final boolean duplicateKeys;

        OrderedMap(Object[] keysAndValues) {
            this.keysAndValues = keysAndValues;
            int size = keysAndValues.length / 2;
            boolean duplicates = false;
            if (size <= SCANNED) {
                slots = null;
                for (int i = 1; i < size && !duplicates; i++) {
                    duplicates = find(keysAndValues[2 * i], i) >= 0;
                }
            } else {
                slots = new int[Integer.highestOneBit(size) * 4];
                for (int i = 0; i < size && !duplicates; i++) {
                    duplicates = !addSlot(i);
                }
            }
            duplicateKeys = duplicates;
        }

        boolean hasDuplicateKeys() {
            return duplicateKeys;
        }

        @Override
        public int size() {
            return keysAndValues.length / 2;
        }

        @Override
        public boolean containsKey(Object key) {
            return find(key, size()) >= 0;
        }

        @Override
        public Object get(Object key) {
            int i = find(key, size());
            return i < 0 ? null : keysAndValues[2 * i + 1];
        }

        /** The position of {@code key} among the first {@code limit} keys (all of them when indexed), or -1. */
        private int find(Object key, int limit) {
            if (key == null) {
                return -1;
            }
            if (slots == null) {
                for (int i = 0; i < limit; i++) {
                    if (key.equals(keysAndValues[2 * i])) {
                        return i;
                    }
                }
                return -1;
            }
            int mask = slots.length - 1;
            for (int s = spread(key.hashCode()) & mask; slots[s] != 0; s = (s + 1) & mask) {
                int i = slots[s] - 1;
                if (key.equals(keysAndValues[2 * i])) {
                    return i;
                }
            }
            return -1;
        }

        /** Indexes key {@code i}; false when an equal key is there already. */
        private boolean addSlot(int i) {
            Object key = keysAndValues[2 * i];
            int mask = slots.length - 1;
            int s = spread(key.hashCode()) & mask;
            for (; slots[s] != 0; s = (s + 1) & mask) {
                if (key.equals(keysAndValues[2 * (slots[s] - 1)])) {
                    return false;
                }
            }
            slots[s] = i + 1;
            return true;
        }

        private static int spread(int hash) {
            return hash ^ (hash >>> 16);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return OrderedMap.this.size();
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keysAndValues.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= keysAndValues.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, Object> entry =
                                    new SimpleImmutableEntry<>((String) keysAndValues[next], keysAndValues[next + 1]);
                            next += 2;
                            return entry;
                        }
                    };
                }
            };
        }
    }
}
