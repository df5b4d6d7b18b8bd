package dev.tortie.engine.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.Golden;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.SourceText;
import dev.tortie.engine.model.ClusterState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads the named example scenarios (examples/NAME) the way the shell does. */
public final class Scenarios {
    private Scenarios() {}

    public static ClusterIndex load(String name) throws IOException {
        return ClusterIndex.of(state(name));
    }

    public static ClusterState state(String name) throws IOException {
        LoadResult result = ManifestLoader.load(texts(name));
        assertThat(result.errors()).as("errors loading %s", name).isEmpty();
        return result.applyTo(ClusterState.builder()).build();
    }

    public static List<SourceText> texts(String name) throws IOException {
        Path dir = Golden.projectRoot().resolve("examples").resolve(name);
        List<SourceText> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                texts.add(new SourceText("examples/" + name + "/" + f.getFileName(), Files.readString(f)));
            }
        }
        return texts;
    }
}
