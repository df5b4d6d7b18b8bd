package dev.tortie.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared (test vectors): the tortie.shared property, TORTIE_SHARED, or a "shared" beside an ancestor. */
public final class SharedFiles {
    private SharedFiles() {}

    public static Path root() {
        String property = System.getProperty("tortie.shared");
        if (property != null && Files.isDirectory(Path.of(property, "vectors"))) {
            return Path.of(property).normalize();
        }
        String env = System.getenv("TORTIE_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "vectors"))) {
            return Path.of(env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("vectors"))) {
                return candidate;
            }
            Path sibling = dir.resolveSibling("shared");
            if (Files.isDirectory(sibling.resolve("vectors"))) {
                return sibling;
            }
        }
        throw new IllegalStateException("cannot find the shared test vectors: set -Dtortie.shared or TORTIE_SHARED");
    }

    public static Path vectors(String name) {
        return root().resolve("vectors").resolve(name);
    }
}
