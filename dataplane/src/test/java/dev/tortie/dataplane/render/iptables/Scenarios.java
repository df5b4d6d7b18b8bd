package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.SourceText;
import dev.tortie.engine.model.ClusterState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The named scenarios of the dataplane tests, loaded the way the shell loads snapshots: {@code article} and {@code
 * tiered} are the project's examples (the same scenarios the engine's golden IR and traces use), the others live in
 * src/test/resources/scenarios.
 */
public final class Scenarios {
    public static final List<String> GOLDEN = List.of(
            "deny-all-ingress",
            "allow-from-namespace",
            "named-ports",
            "tiered",
            "ipblock-except",
            "many-ports",
            "article");

    private Scenarios() {}

    public static ClusterIndex load(String name) {
        LoadResult result = ManifestLoader.load(texts(name));
        assertThat(result.errors()).as("errors loading %s", name).isEmpty();
        return ClusterIndex.of(result.applyTo(ClusterState.builder()).build());
    }

    static List<SourceText> texts(String name) {
        Path dir = Path.of("src", "test", "resources", "scenarios", name);
        if (!Files.isDirectory(dir)) {
            dir = projectRoot().resolve("examples").resolve(name);
        }
        List<SourceText> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                texts.add(new SourceText(name + "/" + f.getFileName(), Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(texts).as("scenario %s has manifests", name).isNotEmpty();
        return texts;
    }

    static Path projectRoot() {
        String root = System.getProperty("tortie.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }
}
