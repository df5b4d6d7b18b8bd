package dev.tortie.shell.command;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.ManifestParser;
import dev.tortie.engine.load.ParsedText;
import dev.tortie.engine.load.SourceText;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.SnapshotSource;
import dev.tortie.shell.session.TortieException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates manifests for apply/diff: everything is checked before anything is written. */
final class Manifests {
    private Manifests() {}

    record Loaded(List<Manifest> manifests, LoadResult objects) {}

    static Loaded readAndValidate(Session session, List<Path> paths) {
        List<Manifest> manifests = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (SourceText text : SnapshotSource.readAll(paths)) {
            ParsedText parsed = ManifestParser.parse(text.location(), text.text());
            manifests.addAll(parsed.manifests());
            diagnostics.addAll(parsed.diagnostics());
        }
        LoadResult objects = ManifestLoader.loadManifests(manifests);
        diagnostics.addAll(objects.diagnostics());
        int errors = 0;
        for (Diagnostic d : diagnostics) {
            if (d.isError()) {
                session.err().println(session.style().red("error: ") + d);
                errors++;
            } else if (d.severity() == Diagnostic.Severity.WARNING) {
                session.warn(d.toString());
            }
        }
        session.err().flush();
        if (errors > 0) {
            throw TortieException.input(errors + " invalid object(s) in " + paths + ": nothing was applied");
        }
        if (manifests.isEmpty()) {
            throw TortieException.input("no objects in " + paths);
        }
        return new Loaded(manifests, objects);
    }

    /** A copy of the current model with the objects applied: the "after" side of an impact diff. */
    static ClusterIndex withApplied(ClusterIndex current, LoadResult objects) {
        ClusterIndex after = ClusterIndex.of(current.snapshot());
        objects.namespaces().forEach(after::upsertNamespace);
        objects.serviceAccounts().forEach(after::upsertServiceAccount);
        objects.tiers().forEach(after::upsertTier);
        objects.networkSets().forEach(after::upsertNetworkSet);
        objects.workloads().forEach(after::upsertWorkload);
        objects.endpoints().forEach(after::upsertEndpoint);
        objects.policies().forEach(after::upsertPolicy);
        return after;
    }
}
