package dev.tortie.shell.session;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.SourceText;
import dev.tortie.engine.model.ClusterState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/** A cluster read from manifests on disk (files or folders, YAML or JSON). */
public final class SnapshotSource implements ClusterSource {
    private final List<Path> paths;
    private final LockedIndex index;
    private final LoadResult result;
    private final Instant loadedAt;

    private SnapshotSource(List<Path> paths, LoadResult result, Instant loadedAt) {
        this.paths = List.copyOf(paths);
        this.result = result;
        this.loadedAt = loadedAt;
        ClusterState state = result.applyTo(ClusterState.builder()).build();
        this.index = new LockedIndex(ClusterIndex.of(state));
    }

    /**
     * Reads every manifest under {@code paths}. Invalid objects are reported through {@code diagnostics} and left
     * out; a missing path is an input error.
     */
    public static SnapshotSource load(
            List<Path> paths, Instant now, java.util.function.Consumer<Diagnostic> diagnostics) {
        LoadResult result = ManifestLoader.load(readAll(paths));
        result.diagnostics().forEach(diagnostics);
        return new SnapshotSource(paths, result, now);
    }

    /** Reads the files (folders recursively: *.yaml, *.yml, *.json, sorted by path) as source texts. */
    public static List<SourceText> readAll(List<Path> paths) {
        List<SourceText> texts = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw TortieException.input("no such file or directory: " + path);
            }
            for (Path file : manifestFiles(path)) {
                try {
                    texts.add(new SourceText(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw TortieException.input("cannot read " + file + ": " + e.getMessage());
                }
            }
        }
        return texts;
    }

    static List<Path> manifestFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw TortieException.input("cannot list " + path + ": " + e.getMessage());
        }
    }

    public LoadResult loadResult() {
        return result;
    }

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String defaultNamespace() {
        return "default";
    }

    @Override
    public <T> T read(Function<ClusterIndex, T> query) {
        return index.read(query);
    }

    @Override
    public <T> T write(Function<ClusterIndex, T> update) {
        return index.write(update);
    }

    /** A snapshot takes writes into this session's model only; the files stay as they are. */
    @Override
    public List<String> apply(List<dev.tortie.engine.load.Manifest> manifests, LoadResult objects, boolean dryRun) {
        List<String> lines = new ArrayList<>();
        if (!dryRun) {
            write(index -> {
                objects.namespaces().forEach(index::upsertNamespace);
                objects.serviceAccounts().forEach(index::upsertServiceAccount);
                objects.tiers().forEach(index::upsertTier);
                objects.networkSets().forEach(index::upsertNetworkSet);
                objects.workloads().forEach(index::upsertWorkload);
                objects.endpoints().forEach(index::upsertEndpoint);
                objects.policies().forEach(index::upsertPolicy);
                return null;
            });
        }
        for (dev.tortie.engine.load.Manifest m : manifests) {
            lines.add(m.kind() + " " + (m.namespace() == null ? "" : m.namespace() + "/") + m.name()
                    + (dryRun ? " would be applied" : " applied") + " (snapshot: this session only, files unchanged)");
        }
        return lines;
    }

    @Override
    public String delete(dev.tortie.engine.model.Policy policy, boolean dryRun) {
        if (!dryRun) {
            write(index -> {
                index.removePolicy(policy.id());
                return null;
            });
        }
        return policy.kind().kind() + " " + policy.id().qualifiedName() + (dryRun ? " would be deleted" : " deleted")
                + " (snapshot: this session only, files unchanged)";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", "snapshot");
        s.put("paths", paths.stream().map(Path::toString).toList());
        s.put("loadedAt", loadedAt.toString());
        s.put("objects", result.objectCount());
        s.put("errors", result.errors().size());
        s.put("warnings", result.warnings().size());
        read(index -> {
            s.put("namespaces", index.namespaces().size());
            s.put("endpoints", index.endpoints().size());
            s.put("policies", index.policies().size());
            return null;
        });
        return s;
    }
}
