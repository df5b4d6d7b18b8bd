package dev.tortie.shell.session;

import dev.tortie.engine.compile.ClusterIndex;
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

    /** What is loaded, from where, how fresh (for {@code status}). */
    Map<String, Object> status();

    @Override
    default void close() {}
}
