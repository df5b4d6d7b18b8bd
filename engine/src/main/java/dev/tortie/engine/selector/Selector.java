package dev.tortie.engine.selector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A parsed Calico label selector. Immutable and thread-safe; two selectors are equal when their
 * {@link #uniqueId()}s are, i.e. when their canonical forms are.
 */
public final class Selector {
    private static final String ALL_CANONICAL = "all()";
    private static final Selector ALL = new Selector(Node.All.INSTANCE);

    private final Node root;
    private final String canonical;

    // Derived on first use; a racing second computation yields an equal value, so no locking.
    private volatile String uniqueId;
    private volatile Map<String, LabelRestriction> labelRestrictions;
    private volatile Set<String> labelsReferenced;

    private Selector(Node root) {
        this.root = root;
        StringBuilder out = new StringBuilder();
        root.appendCanonical(out);
        this.canonical = out.toString();
    }

    /**
     * Parses Calico selector syntax; an empty or blank text is {@code all()}.
     *
     * @throws SelectorSyntaxException naming the column and what was expected there
     */
    public static Selector parse(String text) {
        Objects.requireNonNull(text, "text == null");
        Node root = Parser.parse(text);
        return root == Node.All.INSTANCE ? ALL : new Selector(root);
    }

    /** The selector that matches everything. */
    public static Selector all() {
        return ALL;
    }

    /**
     * True if an endpoint with these labels is selected. A label mapped to null counts as absent. Allocation-free;
     * this is the engine's hottest path.
     */
    public boolean matches(Map<String, String> labels) {
        return root.matches(labels);
    }

    /** Calico's String() form, e.g. {@code (a == "b" && c == "d")}; parsing it gives back an equal selector. */
    public String canonical() {
        return canonical;
    }

    @Override
    public String toString() {
        return canonical;
    }

    /** {@code "s:" + base64url-no-padding(SHA-224("s:" + canonical))}, Calico's selector id (also its IP set id). */
    public String uniqueId() {
        String id = uniqueId;
        if (id == null) {
            id = computeUniqueId(canonical);
            uniqueId = id;
        }
        return id;
    }

    /**
     * This selector with {@code prefix} in front of every label name (Calico's PrefixVisitor), as used to build
     * {@code pcns.} namespace and {@code pcsa.} service-account selectors.
     *
     * @throws IllegalArgumentException if the prefix holds a character not allowed in labels
     */
    public Selector withLabelPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix == null");
        for (int i = 0; i < prefix.length(); i++) {
            if (!Lexer.isLabelChar(prefix.charAt(i))) {
                throw new IllegalArgumentException("label prefix " + prefix + " has a character not allowed in labels");
            }
        }
        if (prefix.isEmpty()) {
            return this;
        }
        Node prefixed = root.withLabelPrefix(prefix);
        return prefixed == root ? this : new Selector(prefixed);
    }

    /**
     * Lower bounds on labels that every match must satisfy, by label name (Calico's LabelRestrictions). An empty map
     * means no restrictions.
     */
    public Map<String, LabelRestriction> labelRestrictions() {
        Map<String, LabelRestriction> result = labelRestrictions;
        if (result == null) {
            Map<String, Node.Restriction> raw = root.restrictions();
            if (raw == null) {
                result = Map.of();
            } else {
                Map<String, LabelRestriction> sorted = new TreeMap<>();
                raw.forEach((label, r) -> sorted.put(label, r.toPublic()));
                result = Collections.unmodifiableMap(sorted);
            }
            labelRestrictions = result;
        }
        return result;
    }

    /** True for {@code all()} (and so for the empty selector); {@code global()} is not all(). */
    public boolean isAll() {
        return canonical.equals(ALL_CANONICAL);
    }

    /** Every label name the expression reads, sorted; for incremental label indexes. */
    public Set<String> labelsReferenced() {
        Set<String> result = labelsReferenced;
        if (result == null) {
            Set<String> names = new TreeSet<>();
            root.collectLabels(names);
            result = Collections.unmodifiableSet(names);
            labelsReferenced = result;
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector other && uniqueId().equals(other.uniqueId());
    }

    @Override
    public int hashCode() {
        return uniqueId().hashCode();
    }

    private static String computeUniqueId(String canonical) {
        MessageDigest sha224;
        try {
            sha224 = MessageDigest.getInstance("SHA-224");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-224, which Calico selector ids need", e);
        }
        byte[] digest = sha224.digest(("s:" + canonical).getBytes(StandardCharsets.UTF_8));
        return "s:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
