package dev.tortie.engine.load;

import dev.tortie.engine.model.ObjectSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 */
public final class ManifestParser {
    private static final int CODE_POINT_LIMIT = 256 * 1024 * 1024;

    private ManifestParser() {}

    /**
     * Parses every document in {@code text}.
     *
     * @param location how diagnostics name the text (a path, "stdin", ...)
     */
    public static ParsedText parse(String location, String text) {
        java.util.Objects.requireNonNull(location, "location == null");
        java.util.Objects.requireNonNull(text, "text == null");
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Manifest> manifests = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        int index = 0;
        for (Chunk chunk : split(body)) {
            index++;
            parseDocument(location, index, chunk, manifests, diagnostics);
        }
        return new ParsedText(manifests, diagnostics);
    }

    private static void parseDocument(
            String location, int document, Chunk chunk, List<Manifest> manifests, List<Diagnostic> diagnostics) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(location)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(CODE_POINT_LIMIT)
                .build();
        Node root;
        Object value;
        try {
            Optional<Node> composed = new Compose(settings).composeString(jsonTabsToSpaces(chunk.text));
            if (composed.isEmpty()) {
                return;
            }
            root = composed.get();
            value = new StandardConstructor(settings).constructSingleDocument(composed);
        } catch (MarkedYamlEngineException e) {
            diagnostics.add(malformed(location, document, chunk, e));
            return;
        } catch (YamlEngineException e) {
            int line = chunk.firstLine + 1;
            diagnostics.add(Diagnostic.error(
                    new ObjectSource(location, document, line),
                    null,
                    null,
                    "malformed YAML: " + lower(e.getMessage())));
            return;
        }
        if (value == null) {
            return; // "---" followed by nothing, or an explicit null
        }
        int rootLine = lineOf(root, chunk);
        ObjectSource documentSource = new ObjectSource(location, document, rootLine);
        if (!(value instanceof Map<?, ?> map)) {
            diagnostics.add(Diagnostic.error(
                    documentSource,
                    null,
                    null,
                    "document is " + describe(value) + ", not an object (a mapping with apiVersion and kind)"));
            return;
        }
        Map<String, Object> tree = freezeMap(map);
        Object kind = tree.get("kind");
        if (kind instanceof String k && k.endsWith("List")) {
            unpackList(location, document, chunk, root, tree, documentSource, manifests, diagnostics);
            return;
        }
        manifests.add(new Manifest(tree, documentSource));
    }

    private static void unpackList(
            String location,
            int document,
            Chunk chunk,
            Node root,
            Map<String, Object> tree,
            ObjectSource documentSource,
            List<Manifest> manifests,
            List<Diagnostic> diagnostics) {
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
        List<Node> itemNodes = itemNodes(root);
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            int line = i < itemNodes.size() ? lineOf(itemNodes.get(i), chunk) : documentSource.line();
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

    private static int lineOf(Node node, Chunk chunk) {
        return node.getStartMark().map(m -> m.getLine() + chunk.firstLine + 1).orElse(chunk.firstLine + 1);
    }

    private static Diagnostic malformed(String location, int document, Chunk chunk, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        int line = mark.map(m -> m.getLine() + chunk.firstLine + 1).orElse(chunk.firstLine + 1);
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
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(String.valueOf(e.getKey()), freeze(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            for (Object item : collection) {
                out.add(freeze(item));
            }
            return Collections.unmodifiableList(out);
        }
        return value;
    }

    // ---------------------------------------------------------------------------------------------
    // Document splitting

    /** One document's lines; {@code firstLine} is 0-based within the whole text. */
    private record Chunk(int firstLine, String text) {}

    private static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int start = 0;
        boolean content = false;
        boolean marker = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (isMarker(line, "---")) {
                if (content || marker) {
                    addChunk(chunks, lines, start, i, content || marker);
                    start = i;
                }
                marker = true;
                content = line.length() > 3
                        && !line.substring(3).isBlank()
                        && !line.substring(3).strip().startsWith("#");
            } else if (isMarker(line, "...")) {
                addChunk(chunks, lines, start, i + 1, content || marker);
                start = i + 1;
                content = false;
                marker = false;
            } else if (!content) {
                String stripped = line.strip();
                if (!stripped.isEmpty() && !stripped.startsWith("#") && !stripped.startsWith("%")) {
                    content = true;
                }
            }
        }
        addChunk(chunks, lines, start, lines.length, content || marker);
        return chunks;
    }

    private static void addChunk(List<Chunk> chunks, String[] lines, int from, int to, boolean counted) {
        if (!counted || from >= to) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(lines[i]);
            if (i + 1 < to) {
                sb.append('\n');
            }
        }
        chunks.add(new Chunk(from, sb.toString()));
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

    private static boolean isMarker(String line, String marker) {
        if (!line.startsWith(marker)) {
            return false;
        }
        if (line.length() == marker.length()) {
            return true;
        }
        char next = line.charAt(marker.length());
        return next == ' ' || next == '\t' || next == '\r';
    }
}
