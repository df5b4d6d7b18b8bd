package dev.tortie.shell.session;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.Policy;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the cluster model comes from: manifests on disk, a live API server, or the lab. The model may change under
 * the shell (watches), so access goes through {@link #read} and {@link #write}, which serialise with updates.
 */
public interface ClusterSource extends AutoCloseable {
    /** Short label for prompts and status: {@code snapshot}, {@code kind-dev}, {@code lab}. */
    String name();

    /** The namespace commands use when neither -n nor {@code use namespace} says otherwise. */
    String defaultNamespace();

    <T> T read(Function<ClusterIndex, T> query);

    <T> T write(Function<ClusterIndex, T> update);

    /**
     * Writes validated objects (all or nothing). {@code dryRun} asks the source to validate the write without keeping
     * it. Returns a line per object saying what happened. Sources are read-only unless they say otherwise.
     */
    default List<String> apply(List<Manifest> manifests, LoadResult objects, boolean dryRun) {
        throw TortieException.usage(name() + " is read-only: apply needs a live cluster, the lab, or a snapshot");
    }

    /** Deletes a policy; returns what happened. */
    default String delete(Policy policy, boolean dryRun) {
        throw TortieException.usage(name() + " is read-only: delete needs a live cluster, the lab, or a snapshot");
    }

    /** What is loaded, from where, how fresh (for {@code status}). */
    Map<String, Object> status();

    @Override
    default void close() {}
}
