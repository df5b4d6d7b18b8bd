package dev.tortie.engine.model;

/**
 * Where an object came from: a file and the document in it (1-based) with its first line, or a cluster.
 *
 * @param location file path, "stdin", or "cluster:<context>"
 * @param document 1-based document index inside a multi-document file; 0 when not applicable
 * @param line 1-based line of the document start; 0 when unknown
 */
public record ObjectSource(String location, int document, int line) {
    public static final ObjectSource UNKNOWN = new ObjectSource("(unknown)", 0, 0);

    public static ObjectSource cluster(String context) {
        return new ObjectSource("cluster:" + context, 0, 0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(location);
        if (document > 0) {
            sb.append(" document ").append(document);
        }
        if (line > 0) {
            sb.append(" (line ").append(line).append(')');
        }
        return sb.toString();
    }
}
