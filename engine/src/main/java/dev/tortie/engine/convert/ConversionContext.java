package dev.tortie.engine.convert;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.selector.Selector;
import dev.tortie.engine.selector.SelectorSyntaxException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One object's conversion: where it came from, what to call it, the diagnostics so far, and typed reads of its tree
 * that report a wrong type instead of throwing. A null value reads as absent, as Go's JSON decoding treats it.
 */
final class ConversionContext {
    /** Calico's limit on selector length (calico-reference i). */
    static final int MAX_SELECTOR_LENGTH = 1024;

    /**
     * Selectors parsed so far, by text: policies repeat the same few, and a {@link Selector} is immutable, so one can
     * be shared. Bounded by starting over when full; only selectors that parse are kept.
     */
    private static final Map<String, Selector> SELECTORS = new ConcurrentHashMap<>();

    private static final int SELECTORS_KEPT = 1024;

    private final ObjectSource source;
    private String object;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private boolean errors;

    ConversionContext(ObjectSource source, String object) {
        this.source = source == null ? ObjectSource.UNKNOWN : source;
        this.object = object;
    }

    ObjectSource source() {
        return source;
    }

    String object() {
        return object;
    }

    void object(String label) {
        this.object = label;
    }

    void error(String field, String message) {
        errors = true;
        diagnostics.add(Diagnostic.error(source, object, emptyToNull(field), message));
    }

    void warning(String field, String message) {
        diagnostics.add(Diagnostic.warning(source, object, emptyToNull(field), message));
    }

    void info(String field, String message) {
        diagnostics.add(Diagnostic.info(source, object, emptyToNull(field), message));
    }

    boolean hasErrors() {
        return errors;
    }

    /** The value when no error was reported, else nothing; diagnostics either way. */
    <T> Converted<T> done(T value) {
        return new Converted<>(errors ? null : value, diagnostics);
    }

    /** Deliberately no value (skipped object); diagnostics say why. */
    <T> Converted<T> skipped() {
        return new Converted<>(null, diagnostics);
    }

    private static String emptyToNull(String field) {
        return field == null || field.isEmpty() ? null : field;
    }

    // ---------------------------------------------------------------------------------------------
    // Paths. Built with StringBuilder, not '+': a load runs most converter code only a few thousand times, mostly
    // before the JIT has compiled it, and an invokedynamic concatenation is slow until then.

    static String path(String parent, String key) {
        if (parent == null || parent.isEmpty()) {
            return key;
        }
        return new StringBuilder(parent.length() + 1 + key.length())
                .append(parent)
                .append('.')
                .append(key)
                .toString();
    }

    static String index(String parent, int i) {
        return new StringBuilder(parent.length() + 4)
                .append(parent)
                .append('[')
                .append(i)
                .append(']')
                .toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Typed reads: by key from a parent map (absent or null -> null), or of a value at a path. The path is only built
    // for a diagnostic: most reads find what they expect.

    @SuppressWarnings("unchecked")
    Map<String, Object> map(Map<String, Object> parent, String key, String parentPath) {
        Object value = parent == null ? null : parent.get(key);
        return value == null || value instanceof Map<?, ?>
                ? (Map<String, Object>) value
                : asMap(value, path(parentPath, key));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(Map<String, Object> parent, String key, String parentPath) {
        Object value = parent == null ? null : parent.get(key);
        return value == null || value instanceof List<?> ? (List<Object>) value : asList(value, path(parentPath, key));
    }

    String string(Map<String, Object> parent, String key, String parentPath) {
        Object value = parent == null ? null : parent.get(key);
        return value == null || value instanceof String ? (String) value : asString(value, path(parentPath, key));
    }

    Long integer(Map<String, Object> parent, String key, String parentPath) {
        Object value = parent == null ? null : parent.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        return asInteger(value, path(parentPath, key));
    }

    Boolean bool(Map<String, Object> parent, String key, String parentPath) {
        if (parent == null) {
            return null;
        }
        Object value = parent.get(key);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        error(path(parentPath, key), "expected true or false, got " + describe(value));
        return null;
    }

    Double number(Map<String, Object> parent, String key, String parentPath) {
        if (parent == null) {
            return null;
        }
        Object value = parent.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            return n.doubleValue();
        }
        error(path(parentPath, key), "expected a number, got " + describe(value));
        return null;
    }

    /** A map of string to string (labels, annotations); a non-string value is an error that names it. */
    Map<String, String> stringMap(Map<String, Object> parent, String key, String parentPath) {
        Map<String, Object> raw = map(parent, key, parentPath);
        if (raw == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) {
                out.put(e.getKey(), s);
            } else if (v == null) {
                out.put(e.getKey(), "");
            } else {
                error(
                        path(parentPath, key) + "." + e.getKey(),
                        "expected a string, got " + describe(v) + " (quote it: '" + v + "')");
            }
        }
        return out;
    }

    List<String> stringList(Map<String, Object> parent, String key, String parentPath) {
        List<Object> raw = list(parent, key, parentPath);
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Object value = raw.get(i);
            if (value instanceof String s) {
                out.add(s);
            } else if (value != null) {
                asString(value, index(path(parentPath, key), i)); // reports the error
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> asMap(Object value, String at) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        error(at, "expected a mapping, got " + describe(value));
        return null;
    }

    @SuppressWarnings("unchecked")
    List<Object> asList(Object value, String at) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        error(at, "expected a list, got " + describe(value));
        return null;
    }

    String asString(Object value, String at) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        error(at, "expected a string, got " + describe(value) + " (quote it: '" + value + "')");
        return null;
    }

    Long asInteger(Object value, String at) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            error(at, "number " + big + " is out of range");
            return null;
        }
        error(at, "expected an integer, got " + describe(value));
        return null;
    }

    /** Warns about keys this converter does not know: usually a typo, and the field then does nothing. */
    void unknownFields(Map<String, Object> map, String at, Set<String> known) {
        if (map == null) {
            return;
        }
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                warning(path(at, key), "unknown field '" + key + "' ignored");
            }
        }
    }

    /**
     * Parses a Calico selector, reporting a syntax error (with its column) or an over-long selector; null on error.
     */
    Selector selector(String text, String at) {
        if (text.length() > MAX_SELECTOR_LENGTH) {
            error(at, "selector is " + text.length() + " characters long; the limit is " + MAX_SELECTOR_LENGTH);
            return null;
        }
        Selector parsed = SELECTORS.get(text);
        if (parsed != null) {
            return parsed;
        }
        try {
            parsed = Selector.parse(text);
        } catch (SelectorSyntaxException e) {
            error(at, "invalid selector '" + text + "': " + e.getMessage());
            return null;
        }
        if (SELECTORS.size() >= SELECTORS_KEPT) {
            SELECTORS.clear();
        }
        SELECTORS.put(text, parsed);
        return parsed;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "string '" + s + "'";
        }
        if (value instanceof Boolean b) {
            return "boolean " + b;
        }
        if (value instanceof Number n) {
            return "number " + n;
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Collection<?>) {
            return "a list";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
