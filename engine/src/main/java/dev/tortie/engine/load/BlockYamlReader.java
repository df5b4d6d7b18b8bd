package dev.tortie.engine.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.constructor.BaseConstructor;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * A fast reader for the block-style YAML that kubectl, Helm and people write; snakeyaml stays the reference.
 *
 * <p>It reads block mappings and sequences (indentless sequences included), one-line plain, single- and
 * double-quoted scalars, one-line flow collections, comments and blank lines. Everything else (anchors, aliases,
 * tags, directives, block scalars, multi-line scalars and flow collections, complex or non-string keys, tabs, odd
 * indentation, duplicate keys, any syntax error) makes it give up on the document: {@link #read} returns null and
 * the caller parses that document with snakeyaml. So a document it reads comes out exactly as snakeyaml would give
 * it, and every error and its position still come from snakeyaml. Plain scalars are typed by snakeyaml's own
 * resolver and constructors, so {@code 010}, {@code 0x1F}, {@code .inf} or {@code NULL} mean what they mean there.
 */
final class BlockYamlReader {
    /** snakeyaml drops a simple key longer than 1024 characters; stay clear of that edge. */
    private static final int MAX_KEY_LENGTH = 1000;

    /**
     * What the core schema's resolver may read as something other than a string (a bool, int, float or null, an
     * {@code ${ENV}} or a {@code <<} merge) starts with one of these; anything else is a string without asking it.
     */
    private static final String TYPED_FIRST_CHARACTERS = "tfTF-+0123456789.nN~$< ";

    /** How many distinct plain keys, and plain values, are remembered: they repeat across documents. */
    private static final int CACHE_SIZE = 4096;

    /** Thrown, without a stack trace, when the document is not in the subset this reader handles. */
    private static final class OutsideSubset extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final OutsideSubset INSTANCE = new OutsideSubset();

        private OutsideSubset() {
            super("outside the block YAML subset", null, false, false);
        }
    }

    private final ScalarResolver resolver;
    private final BaseConstructor constructor;
    private final Map<String, String> plainKeys = new HashMap<>();
    private final Map<String, Object> plainValues = new HashMap<>();

    // The document being read, copied (a char array is quicker to scan than a String until the JIT has compiled the
    // scanner), and its content lines (neither blank nor only a comment), in order.
    private char[] chars = new char[4096];
    private int count;
    private int[] lineStarts = new int[64];
    private int[] indents = new int[64];
    private int[] lineEnds = new int[64]; // before a trailing '\r'
    private int[] lineNumbers = new int[64]; // 0-based, in the whole text

    /** The content line being read. */
    private int line;
    /** The offset reached in the current line, while reading one-line values. */
    private int pos;

    /**
     * @param resolver the schema's scalar resolver, as snakeyaml's composer uses it
     * @param constructor snakeyaml's constructor for the same settings, for plain scalars that are not strings
     */
    BlockYamlReader(ScalarResolver resolver, BaseConstructor constructor) {
        this.resolver = resolver;
        this.constructor = constructor;
    }

    /**
     * Reads the document in {@code text} from {@code start} to {@code end} (exclusive, not including the line break
     * that ends it), whose first line is line {@code firstLine} (0-based) of the text; null when it is outside the
     * subset.
     */
    YamlDocument read(String text, int start, int end, int firstLine) {
        int length = end - start;
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        text.getChars(start, end, chars, 0);
        try {
            collectLines(length, firstLine);
            if (count == 0) {
                return new YamlDocument(null, firstLine + 1, List.of());
            }
            line = 0;
            List<Integer> itemLines = new ArrayList<>();
            Map<String, Object> root = blockMapping(indents[0], itemLines);
            if (line != count) {
                throw OutsideSubset.INSTANCE;
            }
            return new YamlDocument(root, lineNumbers[0] + 1, itemLines);
        } catch (OutsideSubset | YamlEngineException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Lines

    private void collectLines(int end, int firstLine) {
        count = 0;
        boolean marker = false;
        int number = firstLine;
        int lineStart = 0;
        while (true) {
            int lineEnd = lineStart;
            while (lineEnd < end && chars[lineEnd] != '\n') {
                char c = chars[lineEnd];
                if ((c < 0x20 || c >= 0x7f) && !allowed(c, lineEnd + 1 < end ? chars[lineEnd + 1] : '\n')) {
                    throw OutsideSubset.INSTANCE;
                }
                lineEnd++;
            }
            int contentEnd = lineEnd > lineStart && chars[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int first = skipSpaces(lineStart, contentEnd);
            boolean blankOrComment = first == contentEnd || chars[first] == '#';
            if (!blankOrComment && first == lineStart && isMarker(lineStart, contentEnd, '-')) {
                if (count > 0 || marker) {
                    throw OutsideSubset.INSTANCE; // the splitting puts no second marker in a document
                }
                marker = true;
                requireBlankOrComment(lineStart + 3, contentEnd);
            } else if (!blankOrComment && first == lineStart && isMarker(lineStart, contentEnd, '.')) {
                if (lineEnd != end) {
                    throw OutsideSubset.INSTANCE;
                }
                requireBlankOrComment(lineStart + 3, contentEnd);
            } else if (!blankOrComment) {
                char c = chars[first];
                if (first == lineStart && (c == '%' || c == '.' || c == '-') && !isEntryAt(first, contentEnd)) {
                    throw OutsideSubset.INSTANCE; // a directive, or something too close to a marker
                }
                addLine(lineStart, first - lineStart, contentEnd, number);
            }
            if (lineEnd == end) {
                return;
            }
            lineStart = lineEnd + 1;
            number++;
        }
    }

    private void addLine(int start, int indent, int end, int number) {
        if (count == lineStarts.length) {
            int size = count * 2;
            lineStarts = Arrays.copyOf(lineStarts, size);
            indents = Arrays.copyOf(indents, size);
            lineEnds = Arrays.copyOf(lineEnds, size);
            lineNumbers = Arrays.copyOf(lineNumbers, size);
        }
        lineStarts[count] = start;
        indents[count] = indent;
        lineEnds[count] = end;
        lineNumbers[count] = number;
        count++;
    }

    /** "---" or "..." (three of {@code c}) then a space or the end of the line. */
    private boolean isMarker(int start, int end, char c) {
        if (start + 3 > end || chars[start] != c || chars[start + 1] != c || chars[start + 2] != c) {
            return false;
        }
        return start + 3 == end || chars[start + 3] == ' ';
    }

    /** Whether a block sequence entry starts at {@code p}: "-" then a space or the end of the line. */
    private boolean isEntryAt(int p, int end) {
        return chars[p] == '-' && (p + 1 == end || chars[p + 1] == ' ');
    }

    /**
     * Characters snakeyaml reads as themselves: printable, no tab, and no line break but '\n', or '\r' just before
     * it. Surrogates, byte order marks and U+2028/U+2029 send the document to snakeyaml.
     */
    private static boolean allowed(char c, char next) {
        return (c >= 0x20 && c < 0x7f)
                || (c == '\r' && next == '\n')
                || (c >= 0xa0 && c < 0xd800 && c != '\u2028' && c != '\u2029')
                || (c >= 0xe000 && c <= 0xfffd && c != '\ufeff');
    }

    /** After a value or marker: nothing but spaces, or spaces and then a comment. */
    private void requireBlankOrComment(int from, int end) {
        int p = skipSpaces(from, end);
        if (p < end && (chars[p] != '#' || p == from)) {
            throw OutsideSubset.INSTANCE;
        }
    }

    private int skipSpaces(int from, int end) {
        int p = from;
        while (p < end && chars[p] == ' ') {
            p++;
        }
        return p;
    }

    /** Whether a content line, at its indentation, is a block sequence entry. */
    private boolean isEntry(int contentLine) {
        return isEntryAt(lineStarts[contentLine] + indents[contentLine], lineEnds[contentLine]);
    }

    // ---------------------------------------------------------------------------------------------
    // Block collections

    /**
     * A block mapping whose first key is at column {@code col} of the current line (maybe after a "- ") and whose
     * other keys start lines indented by exactly {@code col}. Records the lines of a root {@code items} sequence in
     * {@code itemLines} when that is not null.
     */
    private Map<String, Object> blockMapping(int col, List<Integer> itemLines) {
        List<Object> keysAndValues = new ArrayList<>();
        while (true) {
            int end = lineEnds[line];
            String key = key(lineStarts[line] + col, end);
            if (key == null) {
                throw OutsideSubset.INSTANCE;
            }
            int valueStart = skipSpaces(pos, end);
            Object value;
            if (valueStart == end || (chars[valueStart] == '#' && valueStart > pos)) {
                line++;
                value = nestedValue(col, true, itemLines != null && key.equals("items") ? itemLines : null);
            } else {
                value = inlineValue(valueStart, end);
                if (itemLines != null && key.equals("items") && value instanceof List<?> items) {
                    for (int i = 0; i < items.size(); i++) {
                        itemLines.add(lineNumbers[line] + 1); // a one-line flow sequence
                    }
                }
                line++;
            }
            keysAndValues.add(key);
            keysAndValues.add(value);
            if (line == count || indents[line] < col) {
                return map(keysAndValues);
            }
            if (indents[line] > col || isEntry(line)) {
                throw OutsideSubset.INSTANCE;
            }
        }
    }

    /** The mapping read; a duplicate key is an error for snakeyaml to report. */
    private static Map<String, Object> map(List<Object> keysAndValues) {
        Map<String, Object> map = Trees.map(keysAndValues.toArray());
        if (map == null) {
            throw OutsideSubset.INSTANCE;
        }
        return map;
    }

    /** A block sequence whose entries start lines at column {@code col}, the current one first. */
    private List<Object> blockSequence(int col, List<Integer> itemLines) {
        List<Object> list = new ArrayList<>();
        while (true) {
            int end = lineEnds[line];
            int afterDash = lineStarts[line] + col + 1;
            int valueStart = skipSpaces(afterDash, end);
            int itemLine = lineNumbers[line] + 1;
            Object item;
            if (valueStart == end || chars[valueStart] == '#') {
                line++;
                if (line < count && indents[line] > col) {
                    itemLine = lineNumbers[line] + 1;
                }
                item = nestedValue(col, false, null);
            } else if (isEntryAt(valueStart, end)) {
                throw OutsideSubset.INSTANCE; // "- - x"
            } else if (key(valueStart, end) != null) {
                item = blockMapping(valueStart - lineStarts[line], null);
            } else {
                item = inlineValue(valueStart, end);
                line++;
            }
            list.add(item);
            if (itemLines != null) {
                itemLines.add(itemLine);
            }
            if (line == count || indents[line] < col) {
                return Trees.list(list.toArray());
            }
            if (indents[line] > col) {
                throw OutsideSubset.INSTANCE;
            }
            if (!isEntry(line)) {
                return Trees.list(list.toArray()); // the next key of the mapping around an indentless sequence
            }
        }
    }

    /**
     * The value of a key or sequence entry that has nothing after it on its line: a block collection on the next
     * lines, or null. A mapping's value may be a sequence at the mapping's own column.
     */
    private Object nestedValue(int col, boolean inMapping, List<Integer> itemLines) {
        if (line == count) {
            return null;
        }
        int indent = indents[line];
        if (indent > col) {
            return isEntry(line) ? blockSequence(indent, itemLines) : blockMapping(indent, null);
        }
        if (inMapping && indent == col && isEntry(line)) {
            return blockSequence(col, itemLines);
        }
        return null;
    }

    /**
     * A key at {@code p}: a plain key of letters, digits and {@code _ . / -} that snakeyaml reads as a string, or a
     * one-line quoted key; then ':' and a space or the end of the line. Null when there is none; {@link #pos} is just
     * after the ':'.
     */
    private String key(int p, int end) {
        char c = chars[p];
        String key;
        int q;
        if (c == '\'' || c == '"') {
            key = quoted(p, end);
            q = pos;
        } else {
            q = p;
            while (q < end && isKeyChar(chars[q])) {
                q++;
            }
            if (q == p || c == '-' || q == end || chars[q] != ':') {
                return null;
            }
            key = keyString(p, q);
        }
        if (q - p > MAX_KEY_LENGTH) {
            throw OutsideSubset.INSTANCE;
        }
        if (q == end || chars[q] != ':' || (q + 1 < end && chars[q + 1] != ' ')) {
            return null;
        }
        pos = q + 1;
        return key;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_'
                || c == '.'
                || c == '/';
    }

    /**
     * A plain key: it must resolve to a string ({@code true:} or {@code 80:} would not). Keys are interned, so that the
     * converters' lookups with literal keys ("metadata", "spec", ...) mostly end at an identity check.
     */
    private String keyString(int from, int to) {
        String raw = new String(chars, from, to - from);
        String key = plainKeys.get(raw);
        if (key != null) {
            return key;
        }
        if (!resolver.resolve(raw, true).equals(Tag.STR)) {
            throw OutsideSubset.INSTANCE;
        }
        key = raw.intern();
        if (plainKeys.size() < CACHE_SIZE) {
            plainKeys.put(key, key);
        }
        return key;
    }

    // ---------------------------------------------------------------------------------------------
    // One-line values

    /** A scalar or flow collection from {@code p} to the end of the line (or a comment). */
    private Object inlineValue(int p, int end) {
        char c = chars[p];
        Object value;
        if (c == '\'' || c == '"') {
            value = quoted(p, end);
        } else if (c == '[' || c == '{') {
            pos = p;
            value = flowCollection(end);
        } else {
            return blockPlain(p, end);
        }
        requireBlankOrComment(pos, end);
        return value;
    }

    /** A plain scalar in block context: up to " #" or the end of the line, with no ": " inside. */
    private Object blockPlain(int p, int end) {
        if (!canStartPlain(p, end, false)) {
            throw OutsideSubset.INSTANCE;
        }
        int stop = end;
        for (int i = p; i < end; i++) {
            char c = chars[i];
            if (c == ':' && (i + 1 == end || chars[i + 1] == ' ')) {
                throw OutsideSubset.INSTANCE; // a mapping where a scalar must be
            }
            if (c == '#' && chars[i - 1] == ' ') {
                stop = i;
                break;
            }
        }
        while (chars[stop - 1] == ' ') {
            stop--;
        }
        return plainScalar(p, stop);
    }

    /** snakeyaml's rule for the first character of a plain scalar, narrowed where it is subtle. */
    private boolean canStartPlain(int p, int end, boolean flow) {
        char c = chars[p];
        if ("?,[]{}#&*!|>'\"%@`".indexOf(c) >= 0) {
            return false;
        }
        if (c == '-' || c == ':') {
            if (p + 1 == end) {
                return false;
            }
            char next = chars[p + 1];
            return flow ? c == '-' && Character.isLetterOrDigit(next) : next != ' ';
        }
        return true;
    }

    /** A single- or double-quoted scalar that ends on its line; {@link #pos} is just after the closing quote. */
    private String quoted(int p, int end) {
        char quote = chars[p];
        StringBuilder unescaped = null;
        int run = p + 1;
        int i = p + 1;
        while (true) {
            if (i >= end) {
                throw OutsideSubset.INSTANCE; // continues on the next line
            }
            char c = chars[i];
            if (c == quote && quote == '\'' && i + 1 < end && chars[i + 1] == '\'') {
                unescaped = unescaped == null ? new StringBuilder() : unescaped;
                unescaped.append(chars, run, i + 1 - run);
                i += 2;
                run = i;
            } else if (c == quote) {
                break;
            } else if (c == '\\' && quote == '"') {
                unescaped = unescaped == null ? new StringBuilder() : unescaped;
                unescaped.append(chars, run, i - run);
                i = escape(i + 1, end, unescaped);
                run = i;
            } else {
                i++;
            }
        }
        pos = i + 1;
        return unescaped == null
                ? new String(chars, p + 1, i - p - 1)
                : unescaped.append(chars, run, i - run).toString();
    }

    /** The escape after a backslash at {@code p}; returns the offset after it. The JSON escapes only. */
    private int escape(int p, int end, StringBuilder out) {
        if (p >= end) {
            throw OutsideSubset.INSTANCE;
        }
        char c = chars[p];
        switch (c) {
            case '"', '\\', '/' -> out.append(c);
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> {
                if (p + 5 > end) {
                    throw OutsideSubset.INSTANCE;
                }
                int code = 0;
                for (int i = p + 1; i <= p + 4; i++) {
                    int digit = Character.digit(chars[i], 16);
                    if (digit < 0) {
                        throw OutsideSubset.INSTANCE;
                    }
                    code = code * 16 + digit;
                }
                if (Character.isSurrogate((char) code)) {
                    throw OutsideSubset.INSTANCE;
                }
                out.append((char) code);
                return p + 5;
            }
            default -> throw OutsideSubset.INSTANCE;
        }
        return p + 1;
    }

    /** A flow sequence or mapping at {@link #pos} that closes on the same line. */
    private Object flowCollection(int end) {
        boolean sequence = chars[pos] == '[';
        char close = sequence ? ']' : '}';
        List<Object> items = new ArrayList<>(); // for a mapping: keys and values
        pos = skipSpaces(pos + 1, end);
        if (pos < end && chars[pos] == close) {
            pos++;
        } else {
            while (true) {
                if (!sequence) {
                    items.add(flowKey(end));
                }
                items.add(flowNode(end));
                pos = skipSpaces(pos, end);
                if (pos == end) {
                    throw OutsideSubset.INSTANCE;
                }
                char c = chars[pos++];
                if (c == close) {
                    break;
                }
                pos = skipSpaces(pos, end);
                if (c != ',' || pos == end || chars[pos] == close) {
                    throw OutsideSubset.INSTANCE; // no comma, or a trailing one
                }
            }
        }
        return sequence ? Trees.list(items.toArray()) : map(items);
    }

    /** A key in a flow mapping, then ": "; {@link #pos} is at the value. */
    private String flowKey(int end) {
        int p = pos;
        String key;
        char c = chars[p];
        if (c == '\'' || c == '"') {
            key = quoted(p, end);
        } else {
            int q = p;
            while (q < end && isKeyChar(chars[q])) {
                q++;
            }
            if (q == p || c == '-') {
                throw OutsideSubset.INSTANCE;
            }
            key = keyString(p, q);
            pos = q;
        }
        if (pos - p > MAX_KEY_LENGTH || pos + 1 >= end || chars[pos] != ':' || chars[pos + 1] != ' ') {
            throw OutsideSubset.INSTANCE;
        }
        pos = skipSpaces(pos + 1, end);
        return key;
    }

    /** A value inside a flow collection: a nested collection, a quoted scalar, or a plain scalar. */
    private Object flowNode(int end) {
        if (pos == end) {
            throw OutsideSubset.INSTANCE;
        }
        char c = chars[pos];
        if (c == '[' || c == '{') {
            return flowCollection(end);
        }
        if (c == '\'' || c == '"') {
            return quoted(pos, end);
        }
        if (!canStartPlain(pos, end, true)) {
            throw OutsideSubset.INSTANCE;
        }
        int start = pos;
        int q = pos;
        while (q < end && ",[]{}:#".indexOf(chars[q]) < 0) {
            q++;
        }
        if (q == end || chars[q] == ':' || chars[q] == '#') {
            throw OutsideSubset.INSTANCE;
        }
        pos = q;
        while (chars[q - 1] == ' ') {
            q--;
        }
        return plainScalar(start, q);
    }

    /**
     * A plain scalar's value as snakeyaml types it: the core schema's resolver picks the tag, and anything but a
     * string is built by snakeyaml's constructor for that tag. Values are shared between documents, as far as the
     * cache goes.
     */
    private Object plainScalar(int from, int to) {
        String s = new String(chars, from, to - from);
        Object value = plainValues.get(s);
        if (value != null || plainValues.containsKey(s)) {
            return value;
        }
        value = TYPED_FIRST_CHARACTERS.indexOf(s.charAt(0)) < 0 ? s : typed(s);
        if (plainValues.size() < CACHE_SIZE) {
            plainValues.put(s, value);
        }
        return value;
    }

    private Object typed(String s) {
        Tag tag = resolver.resolve(s, true);
        return tag.equals(Tag.STR)
                ? s
                : constructor.constructSingleDocument(Optional.of(new ScalarNode(tag, s, ScalarStyle.PLAIN)));
    }
}
