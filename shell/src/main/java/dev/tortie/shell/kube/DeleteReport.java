package dev.tortie.shell.kube;

import java.util.Map;

/**
 * What {@link KubeWriter#delete} did.
 *
 * @param resource e.g. {@code networkpolicies.networking.k8s.io}
 * @param namespace null for cluster-scoped kinds
 * @param dryRun whether the API server only pretended ({@code dryRun=All})
 * @param message why it failed; null otherwise
 * @param before the object as it was, null when it did not exist
 */
public record DeleteReport(
        String resource,
        String kind,
        String namespace,
        String name,
        boolean dryRun,
        Outcome outcome,
        String message,
        Map<String, Object> before) {
    public enum Outcome {
        /** Deleted (or would be, in a dry run). */
        DELETED,
        /** There was no such object. */
        NOT_FOUND,
        /** The API server refused (see the message). */
        FAILED
    }

    /** {@code NetworkPolicy app-b/allow-a}. */
    public String label() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }
}
