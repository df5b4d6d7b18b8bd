package dev.tortie.engine.load;

import dev.tortie.engine.model.ObjectSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Splits multi-document YAML (or JSON, which is YAML) into {@link Manifest}s.
 *
 * <p>YAML 1.2 core schema, so {@code y}, {@code on} and {@code no} stay strings. The text is cut into documents at
 * {@code ---} / {@code ...} marker lines before parsing (YAML forbids those markers inside content), so a malformed
 * document is reported with its index and line and the documents around it still load. {@code kind: List} and
 * {@code *List} objects are unpacked into their {@code items}; empty documents are skipped. Duplicate keys are an
 * error, as with {@code kubectl apply}.
 *
 * <p>snakeyaml is the reference. A document in plain block style (nearly every manifest) is read by the much faster
 * {@link BlockYamlReader}, which gives the same tree; anything else, and every malformed document, goes to snakeyaml
 * on its own, so diagnostics and their positions are snakeyaml's. One snakeyaml setup serves all documents of a text.
 */
public final class ManifestParser {
    private static final int CODE_POINT_LIMIT = 256 * 1024 * 1024;

    private final String location;
    private final LoadSettings settings;
    private final StandardConstructor constructor;
    /** Null when only snakeyaml reads (to compare the two in tests). */
    private final BlockYamlReader blockReader;

    // The document being parsed: what it holds, and what is wrong with it.
    private final List<Manifest> manifests = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private ManifestParser(String location, boolean blockReader) {
        this.location = location;
        this.settings = LoadSettings.builder()
                .setLabel(location)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(CODE_POINT_LIMIT)
                .build();
        this.constructor = new StandardConstructor(settings);
        this.blockReader =
                blockReader ? new BlockYamlReader(settings.getSchema().getScalarResolver(), constructor) : null;
    }

    /**
     * Parses every document in {@code text}.
     *
     * @param location how diagnostics name the text (a path, "stdin", ...)
     */
    public static ParsedText parse(String location, String text) {
        List<Manifest> manifests = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        parse(location, text, true, (documentManifests, documentDiagnostics) -> {
            manifests.addAll(documentManifests);
            diagnostics.addAll(documentDiagnostics);
        });
        return new ParsedText(manifests, diagnostics);
    }

    /** Receives each document's objects and diagnostics, in document order, as soon as it is read. */
    interface DocumentSink {
        void accept(List<Manifest> manifests, List<Diagnostic> diagnostics);
    }

    /**
     * As {@link #parse(String, String)}, handing over document by document: the caller can be done with a document's
     * trees before the next is read.
     */
    static void parse(String location, String text, DocumentSink sink) {
        parse(location, text, true, sink);
    }

    /** What {@link #parse} gives with snakeyaml reading every document: it must be the same. */
    static ParsedText parseWithSnakeyamlOnly(String location, String text) {
        List<Manifest> manifests = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        parse(location, text, false, (documentManifests, documentDiagnostics) -> {
            manifests.addAll(documentManifests);
            diagnostics.addAll(documentDiagnostics);
        });
        return new ParsedText(manifests, diagnostics);
    }

    private static void parse(String location, String text, boolean blockReader, DocumentSink sink) {
        Objects.requireNonNull(location, "location == null");
        Objects.requireNonNull(text, "text == null");
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        ManifestParser parser = new ManifestParser(location, blockReader);
        int index = 0;
        for (Chunk chunk : split(body)) {
            index++;
            parser.parseDocument(index, body, chunk);
            if (!parser.manifests.isEmpty() || !parser.diagnostics.isEmpty()) {
                sink.accept(parser.manifests, parser.diagnostics);
                parser.manifests.clear();
                parser.diagnostics.clear();
            }
        }
    }

    /** The fast reader when the document is plain block YAML, else snakeyaml; both give the same trees. */
    private void parseDocument(int document, String body, Chunk chunk) {
        YamlDocument parsed =
                blockReader == null ? null : blockReader.read(body, chunk.start(), chunk.end(), chunk.firstLine());
        if (parsed == null) {
            parsed = compose(document, body.substring(chunk.start(), chunk.end()), chunk.firstLine());
        }
        if (parsed != null && parsed.value() != null) {
            // a null value: "---" followed by nothing, or an explicit null
            add(document, parsed);
        }
    }

    /** snakeyaml on the document alone; null, with a diagnostic, when it is malformed. */
    private YamlDocument compose(int document, String text, int firstLine) {
        Node root;
        Object value;
        try {
            Optional<Node> composed = new Compose(settings).composeString(jsonTabsToSpaces(text));
            if (composed.isEmpty()) {
                return null;
            }
            root = composed.get();
            value = constructor.constructSingleDocument(composed);
        } catch (MarkedYamlEngineException e) {
            diagnostics.add(malformed(document, firstLine, e));
            return null;
        } catch (YamlEngineException e) {
            int line = firstLine + 1;
            diagnostics.add(Diagnostic.error(
                    new ObjectSource(location, document, line),
                    null,
                    null,
                    "malformed YAML: " + lower(e.getMessage())));
            return null;
        }
        List<Integer> itemLines = new ArrayList<>();
        for (Node item : itemNodes(root)) {
            itemLines.add(lineOf(item, firstLine));
        }
        Object tree = value instanceof Map<?, ?> map ? freezeMap(map) : value;
        return new YamlDocument(tree, lineOf(root, firstLine), itemLines);
    }

    private void add(int document, YamlDocument parsed) {
        Object value = parsed.value();
        ObjectSource documentSource = new ObjectSource(location, document, parsed.line());
        if (!(value instanceof Map<?, ?> map)) {
            diagnostics.add(Diagnostic.error(
                    documentSource,
                    null,
                    null,
                    "document is " + describe(value) + ", not an object (a mapping with apiVersion and kind)"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) map;
        Object kind = tree.get("kind");
        if (kind instanceof String k && k.endsWith("List")) {
            unpackList(document, tree, parsed.itemLines(), documentSource);
            return;
        }
        manifests.add(new Manifest(tree, documentSource));
    }

    private void unpackList(
            int document, Map<String, Object> tree, List<Integer> itemLines, ObjectSource documentSource) {
        Object items = tree.get("items");
        String listKind = (String) tree.get("kind");
        if (items == null) {
            return;
        }
        if (!(items instanceof List<?> list)) {
            diagnostics.add(Diagnostic.error(
                    documentSource, listKind, "items", "expected a list of objects, got " + describe(items)));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            int line = i < itemLines.size() ? itemLines.get(i) : documentSource.line();
            ObjectSource itemSource = new ObjectSource(location, document, line);
            if (item instanceof Map<?, ?> itemMap) {
                @SuppressWarnings("unchecked")
                Map<String, Object> itemTree = (Map<String, Object>) itemMap;
                manifests.add(new Manifest(itemTree, itemSource));
            } else if (item != null) {
                diagnostics.add(Diagnostic.error(
                        itemSource, listKind, "items[" + i + "]", "expected an object, got " + describe(item)));
            }
        }
    }

    private static List<Node> itemNodes(Node root) {
        if (root instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key
                        && key.getValue().equals("items")
                        && tuple.getValueNode() instanceof SequenceNode seq) {
                    return seq.getValue();
                }
            }
        }
        return List.of();
    }

    private static int lineOf(Node node, int firstLine) {
        return node.getStartMark().map(m -> m.getLine() + firstLine + 1).orElse(firstLine + 1);
    }

    private Diagnostic malformed(int document, int firstLine, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        int line = mark.map(m -> m.getLine() + firstLine + 1).orElse(firstLine + 1);
        int column = mark.map(m -> m.getColumn() + 1).orElse(1);
        StringBuilder message = new StringBuilder("malformed YAML at line ")
                .append(line)
                .append(", column ")
                .append(column)
                .append(": ");
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
        message.append(lower(problem.strip()));
        if (e.getContext() != null && !e.getContext().isBlank()) {
            message.append(" (").append(lower(e.getContext().strip())).append(')');
        }
        return Diagnostic.error(new ObjectSource(location, document, line), null, null, message.toString());
    }

    private static String lower(String text) {
        if (text == null || text.isEmpty()) {
            return "syntax error";
        }
        String firstLine = text.lines().findFirst().orElse(text);
        if (firstLine.length() > 1
                && Character.isUpperCase(firstLine.charAt(0))
                && Character.isLowerCase(firstLine.charAt(1))) {
            return firstLine.substring(0, 1).toLowerCase(Locale.ROOT) + firstLine.substring(1);
        }
        return firstLine;
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

    // ---------------------------------------------------------------------------------------------
    // Immutable trees with string keys

    private static Map<String, Object> freezeMap(Map<?, ?> map) {
        Map<String, Object> byName = new LinkedHashMap<>(); // keys 1 and "1" become one, the later value wins
        for (Map.Entry<?, ?> e : map.entrySet()) {
            byName.put(String.valueOf(e.getKey()), freeze(e.getValue()));
        }
        Object[] keysAndValues = new Object[byName.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : byName.entrySet()) {
            keysAndValues[i++] = e.getKey();
            keysAndValues[i++] = e.getValue();
        }
        return Trees.map(keysAndValues);
    }

    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map);
        }
        if (value instanceof Collection<?> collection) {
            Object[] items = new Object[collection.size()];
            int i = 0;
            for (Object item : collection) {
                items[i++] = freeze(item);
            }
            return Trees.list(items);
        }
        return value;
    }

    // ---------------------------------------------------------------------------------------------
    // Document splitting

    /**
     * One document: the text from {@code start} to {@code end} (exclusive, without the line break that ends it), whose
     * first line is line {@code firstLine} (0-based) of the whole text.
     */
    private record Chunk(int firstLine, int start, int end) {}

    private static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        int chunkLine = 0;
        int chunkStart = 0;
        boolean content = false;
        boolean marker = false;
        int line = 0;
        int lineStart = 0;
        while (true) {
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            if (isMarker(text, lineStart, lineEnd, "---")) {
                if (content || marker) {
                    addChunk(chunks, chunkLine, chunkStart, line, lineStart - 1, true);
                    chunkLine = line;
                    chunkStart = lineStart;
                }
                marker = true;
                int first = firstNonWhitespace(text, lineStart + 3, lineEnd);
                content = first < lineEnd && text.charAt(first) != '#';
            } else if (isMarker(text, lineStart, lineEnd, "...")) {
                addChunk(chunks, chunkLine, chunkStart, line + 1, lineEnd, content || marker);
                chunkLine = line + 1;
                chunkStart = lineEnd + 1;
                content = false;
                marker = false;
            } else if (!content) {
                int first = firstNonWhitespace(text, lineStart, lineEnd);
                content = first < lineEnd && text.charAt(first) != '#' && text.charAt(first) != '%';
            }
            if (newline < 0) {
                addChunk(chunks, chunkLine, chunkStart, line + 1, text.length(), content || marker);
                return chunks;
            }
            line++;
            lineStart = newline + 1;
        }
    }

    /** Lines {@code fromLine} (at offset {@code start}) to {@code toLine} (exclusive), ending at offset {@code end}. */
    private static void addChunk(List<Chunk> chunks, int fromLine, int start, int toLine, int end, boolean counted) {
        if (counted && fromLine < toLine) {
            chunks.add(new Chunk(fromLine, start, end));
        }
    }

    /** As {@link String#strip()} sees whitespace. */
    private static int firstNonWhitespace(String text, int from, int to) {
        int i = from;
        while (i < to && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * JSON allows tabs as whitespace anywhere, YAML not where a token starts a line; valid JSON has no raw tab inside a
     * string, so in a document that starts like JSON every tab can become a space (columns stay the same).
     */
    private static String jsonTabsToSpaces(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                return text.indexOf('\t') < 0 ? text : text.replace('\t', ' ');
            }
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return text;
            }
        }
        return text;
    }

    private static boolean isMarker(String text, int lineStart, int lineEnd, String marker) {
        int after = lineStart + marker.length();
        if (after > lineEnd || !text.startsWith(marker, lineStart)) {
            return false;
        }
        if (after == lineEnd) {
            return true;
        }
        char next = text.charAt(after);
        return next == ' ' || next == '\t' || next == '\r';
    }
}
