package dev.tortie.engine.index;

import dev.tortie.engine.selector.LabelRestriction;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selector -> member index over labelled items, maintained incrementally like Felix's label index.
 *
 * <p>Each registered selector is filed under its most selective label restriction (a label with required values,
 * else a label that must be present), so a new or relabelled item is only tested against selectors filed under its
 * own labels, plus the few selectors with no restriction at all.
 *
 * @param <T> the payload carried by items (endpoint or network set)
 */
public final class LabelIndex<T> {
    /** An indexed object: its effective labels and the selectors it currently matches. */
    public static final class Item<T> {
        private final String key;
        private T value;
        private Map<String, String> labels;
        private final Set<Entry<T>> matched = new HashSet<>();

        Item(String key, T value, Map<String, String> labels) {
            this.key = key;
            this.value = value;
            this.labels = labels;
        }

        public String key() {
            return key;
        }

        public T value() {
            return value;
        }

        public Map<String, String> labels() {
            return labels;
        }

        /** Selectors this item matches (live view, do not modify). */
        public Set<Entry<T>> matched() {
            return Collections.unmodifiableSet(matched);
        }
    }

    /** A registered selector and its current members. */
    public static final class Entry<T> {
        private final Selector selector;
        private final Set<Item<T>> members = new HashSet<>();
        private int references;
        private String filedLabel;
        private Set<String> filedValues;
        private boolean unsatisfiable;
        private Object attachment;

        Entry(Selector selector) {
            this.selector = selector;
        }

        public Selector selector() {
            return selector;
        }

        public String id() {
            return selector.uniqueId();
        }

        /** Current members (live view, do not modify). */
        public Set<Item<T>> members() {
            return Collections.unmodifiableSet(members);
        }

        /** Free slot for the owner of the index (e.g. the policies using this selector). */
        public Object attachment() {
            return attachment;
        }

        public void attach(Object attachment) {
            this.attachment = attachment;
        }
    }

    /** Notified when an item starts or stops matching a selector. */
    public interface Listener<T> {
        void membershipChanged(Entry<T> entry, Item<T> item, boolean added);
    }

    private final Map<String, Item<T>> items = new HashMap<>();
    private final Map<String, Entry<T>> entries = new HashMap<>();
    /** label -> value -> items carrying it. */
    private final Map<String, Map<String, Set<Item<T>>>> itemsByLabel = new HashMap<>();
    /** label -> value -> selectors filed under that required value. */
    private final Map<String, Map<String, List<Entry<T>>>> entriesByValue = new HashMap<>();
    /** label -> selectors filed under "label must be present". */
    private final Map<String, List<Entry<T>>> entriesByPresence = new HashMap<>();

    private final List<Entry<T>> unrestricted = new ArrayList<>();
    private Listener<T> listener = (entry, item, added) -> {};

    public void setListener(Listener<T> listener) {
        this.listener = listener;
    }

    public Item<T> item(String key) {
        return items.get(key);
    }

    public Collection<Item<T>> items() {
        return Collections.unmodifiableCollection(items.values());
    }

    public Entry<T> entry(String selectorId) {
        return entries.get(selectorId);
    }

    public int selectorCount() {
        return entries.size();
    }

    /** Registers (or adds a reference to) a selector and computes its members. */
    public Entry<T> register(Selector selector) {
        Entry<T> existing = entries.get(selector.uniqueId());
        if (existing != null) {
            existing.references++;
            return existing;
        }
        Entry<T> entry = new Entry<>(selector);
        entry.references = 1;
        entries.put(selector.uniqueId(), entry);
        file(entry);
        for (Item<T> item : candidateItems(entry)) {
            if (selector.matches(item.labels)) {
                entry.members.add(item);
                item.matched.add(entry);
                listener.membershipChanged(entry, item, true);
            }
        }
        return entry;
    }

    /** Drops one reference; the selector leaves the index when none remain. */
    public void unregister(Selector selector) {
        Entry<T> entry = entries.get(selector.uniqueId());
        if (entry == null || --entry.references > 0) {
            return;
        }
        entries.remove(selector.uniqueId());
        unfile(entry);
        for (Item<T> item : entry.members) {
            item.matched.remove(entry);
            listener.membershipChanged(entry, item, false);
        }
        entry.members.clear();
    }

    /** Adds an item or replaces its payload and labels, re-testing only selectors that can be affected. */
    public Item<T> upsert(String key, T value, Map<String, String> labels) {
        Item<T> item = items.get(key);
        if (item == null) {
            item = new Item<>(key, value, labels);
            items.put(key, item);
            indexLabels(item);
            for (Entry<T> entry : candidateEntries(item)) {
                if (entry.selector.matches(labels)) {
                    entry.members.add(item);
                    item.matched.add(entry);
                    listener.membershipChanged(entry, item, true);
                }
            }
            return item;
        }
        item.value = value;
        if (item.labels.equals(labels)) {
            return item;
        }
        unindexLabels(item);
        item.labels = labels;
        indexLabels(item);
        Set<Entry<T>> toTest = new HashSet<>(item.matched);
        toTest.addAll(candidateEntries(item));
        for (Entry<T> entry : toTest) {
            boolean now = entry.selector.matches(labels);
            boolean before = item.matched.contains(entry);
            if (now && !before) {
                entry.members.add(item);
                item.matched.add(entry);
                listener.membershipChanged(entry, item, true);
            } else if (!now && before) {
                entry.members.remove(item);
                item.matched.remove(entry);
                listener.membershipChanged(entry, item, false);
            }
        }
        return item;
    }

    public void remove(String key) {
        Item<T> item = items.remove(key);
        if (item == null) {
            return;
        }
        unindexLabels(item);
        for (Entry<T> entry : item.matched) {
            entry.members.remove(item);
            listener.membershipChanged(entry, item, false);
        }
        item.matched.clear();
    }

    /** Items matching an ad-hoc selector, without registering it. */
    public List<Item<T>> query(Selector selector) {
        Entry<T> registered = entries.get(selector.uniqueId());
        if (registered != null) {
            return new ArrayList<>(registered.members);
        }
        Entry<T> probe = new Entry<>(selector);
        chooseFiling(probe);
        List<Item<T>> out = new ArrayList<>();
        for (Item<T> item : candidateItems(probe)) {
            if (selector.matches(item.labels)) {
                out.add(item);
            }
        }
        return out;
    }

    private Collection<Item<T>> candidateItems(Entry<T> entry) {
        if (entry.unsatisfiable) {
            return List.of();
        }
        if (entry.filedLabel == null) {
            return items.values();
        }
        Map<String, Set<Item<T>>> byValue = itemsByLabel.get(entry.filedLabel);
        if (byValue == null) {
            return List.of();
        }
        if (entry.filedValues == null) {
            List<Item<T>> all = new ArrayList<>();
            for (Set<Item<T>> s : byValue.values()) {
                all.addAll(s);
            }
            return all;
        }
        List<Item<T>> out = new ArrayList<>();
        for (String v : entry.filedValues) {
            Set<Item<T>> s = byValue.get(v);
            if (s != null) {
                out.addAll(s);
            }
        }
        return out;
    }

    private Set<Entry<T>> candidateEntries(Item<T> item) {
        Set<Entry<T>> out = new HashSet<>(unrestricted);
        for (Map.Entry<String, String> label : item.labels.entrySet()) {
            Map<String, List<Entry<T>>> byValue = entriesByValue.get(label.getKey());
            if (byValue != null) {
                List<Entry<T>> filed = byValue.get(label.getValue());
                if (filed != null) {
                    out.addAll(filed);
                }
            }
            List<Entry<T>> present = entriesByPresence.get(label.getKey());
            if (present != null) {
                out.addAll(present);
            }
        }
        return out;
    }

    private void chooseFiling(Entry<T> entry) {
        Map<String, LabelRestriction> restrictions = entry.selector.labelRestrictions();
        long bestCost = Long.MAX_VALUE;
        for (Map.Entry<String, LabelRestriction> r : restrictions.entrySet()) {
            LabelRestriction restriction = r.getValue();
            if (restriction.mustBePresent() && restriction.mustBeAbsent()
                    || restriction.mustHaveOneOfValues() != null
                            && restriction.mustHaveOneOfValues().isEmpty()) {
                entry.unsatisfiable = true;
                return;
            }
            if (!restriction.mustBePresent() && restriction.mustHaveOneOfValues() == null) {
                continue;
            }
            long cost = cost(r.getKey(), restriction.mustHaveOneOfValues());
            if (cost < bestCost) {
                bestCost = cost;
                entry.filedLabel = r.getKey();
                entry.filedValues = restriction.mustHaveOneOfValues();
            }
        }
    }

    private long cost(String label, Set<String> values) {
        Map<String, Set<Item<T>>> byValue = itemsByLabel.get(label);
        if (byValue == null) {
            // Nothing carries the label yet: ideal, but prefer value restrictions over presence ones.
            return values == null ? 1 : 0;
        }
        long total = 0;
        if (values == null) {
            for (Set<Item<T>> s : byValue.values()) {
                total += s.size();
            }
            return total + 1;
        }
        for (String v : values) {
            Set<Item<T>> s = byValue.get(v);
            total += s == null ? 0 : s.size();
        }
        return total;
    }

    private void file(Entry<T> entry) {
        chooseFiling(entry);
        if (entry.unsatisfiable) {
            return;
        }
        if (entry.filedLabel == null) {
            unrestricted.add(entry);
        } else if (entry.filedValues == null) {
            entriesByPresence
                    .computeIfAbsent(entry.filedLabel, k -> new ArrayList<>())
                    .add(entry);
        } else {
            Map<String, List<Entry<T>>> byValue =
                    entriesByValue.computeIfAbsent(entry.filedLabel, k -> new HashMap<>());
            for (String v : entry.filedValues) {
                byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(entry);
            }
        }
    }

    private void unfile(Entry<T> entry) {
        if (entry.unsatisfiable) {
            return;
        }
        if (entry.filedLabel == null) {
            unrestricted.remove(entry);
        } else if (entry.filedValues == null) {
            List<Entry<T>> list = entriesByPresence.get(entry.filedLabel);
            list.remove(entry);
            if (list.isEmpty()) {
                entriesByPresence.remove(entry.filedLabel);
            }
        } else {
            Map<String, List<Entry<T>>> byValue = entriesByValue.get(entry.filedLabel);
            for (String v : entry.filedValues) {
                List<Entry<T>> list = byValue.get(v);
                list.remove(entry);
                if (list.isEmpty()) {
                    byValue.remove(v);
                }
            }
            if (byValue.isEmpty()) {
                entriesByValue.remove(entry.filedLabel);
            }
        }
    }

    private void indexLabels(Item<T> item) {
        for (Map.Entry<String, String> label : item.labels.entrySet()) {
            itemsByLabel
                    .computeIfAbsent(label.getKey(), k -> new HashMap<>())
                    .computeIfAbsent(label.getValue(), k -> new HashSet<>())
                    .add(item);
        }
    }

    private void unindexLabels(Item<T> item) {
        for (Map.Entry<String, String> label : item.labels.entrySet()) {
            Map<String, Set<Item<T>>> byValue = itemsByLabel.get(label.getKey());
            Set<Item<T>> set = byValue.get(label.getValue());
            set.remove(item);
            if (set.isEmpty()) {
                byValue.remove(label.getValue());
                if (byValue.isEmpty()) {
                    itemsByLabel.remove(label.getKey());
                }
            }
        }
    }
}
