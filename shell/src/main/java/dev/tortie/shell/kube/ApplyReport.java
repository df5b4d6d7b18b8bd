package dev.tortie.shell.kube;

import java.util.List;
import java.util.Map;

/**
 * What {@link KubeWriter#apply} did, object by object, in the order given.
 *
 * @param dryRun whether the API server only pretended ({@code dryRun=All}): nothing was stored
 * @param items one entry per object
 * @param failure null when every object was applied; else why the batch stopped (the objects already changed have
 *     been restored, see their outcomes)
 */
public record ApplyReport(boolean dryRun, List<Item> items, String failure) {
    public enum Outcome {
        /** The object did not exist and was created (or would be, in a dry run). */
        CREATED,
        /** The object existed and changed. */
        CONFIGURED,
        /** The object existed and the apply changed nothing. */
        UNCHANGED,
        /** The API server refused this object; the batch stopped here. */
        FAILED,
        /** Not attempted because an earlier object failed. */
        NOT_ATTEMPTED,
        /** Applied, then undone because a later object failed (deleted again, or its previous state restored). */
        ROLLED_BACK,
        /** Applied, and undoing it failed: the cluster keeps the applied version (see the message). */
        ROLLBACK_FAILED
    }

    /**
     * One object.
     *
     * @param namespace null for cluster-scoped kinds
     * @param message why it failed, or how it was rolled back; null otherwise
     * @param before the object as the server had it before, null when it did not exist
     * @param after the object as the server returned it (what it would be, in a dry run); null when not applied
     */
    public record Item(
            String apiVersion,
            String kind,
            String namespace,
            String name,
            Outcome outcome,
            String message,
            Map<String, Object> before,
            Map<String, Object> after) {

        /** {@code NetworkPolicy app-b/allow-a}, {@code Namespace app-a}. */
        public String label() {
            return kind + " " + (namespace == null ? name : namespace + "/" + name);
        }
    }

    public ApplyReport {
        items = List.copyOf(items);
    }

    public boolean ok() {
        return failure == null;
    }

    /** Whether the batch succeeded and created or changed something. */
    public boolean changed() {
        return ok()
                && items.stream().anyMatch(i -> i.outcome() == Outcome.CREATED || i.outcome() == Outcome.CONFIGURED);
    }
}
