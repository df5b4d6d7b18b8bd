package dev.tortie.shell.command;

import dev.tortie.engine.analysis.ImpactAnalyzer;
import dev.tortie.engine.analysis.VerdictChange;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.shell.output.ImpactFormatter;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "apply",
        description = {
            "Apply manifests (policies, namespaces, pods, ...). Everything is validated first; nothing is written",
            "when anything is invalid. --dry-run shows each (source, destination, port) whose verdict flips and exits",
            "0 when nothing changes, 1 when something does. A real apply writes through the API (server-side apply),",
            "all or nothing."
        },
        mixinStandardHelpOptions = true)
public final class ApplyCommand extends BaseCommand {
    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE|DIR",
            required = true,
            description = "Manifests to apply.")
    List<Path> files;

    @Option(names = "--dry-run", description = "Show the impact, change nothing.")
    boolean dryRun;

    public ApplyCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        return run(session, this, files, dryRun);
    }

    static int run(Session session, BaseCommand command, List<Path> files, boolean dryRun) {
        Manifests.Loaded loaded = Manifests.readAndValidate(session, files);
        List<VerdictChange> changes = session.source().read(current -> {
            ClusterIndex after = Manifests.withApplied(current, loaded.objects());
            return ImpactAnalyzer.diff(current, after);
        });
        List<String> written = session.source().apply(loaded.manifests(), loaded.objects(), dryRun);
        if (command.format().structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("dryRun", dryRun);
            tree.put("objects", written);
            tree.put("changes", ImpactFormatter.tree(changes));
            command.printTree(tree);
        } else {
            StringBuilder sb = new StringBuilder();
            for (String line : written) {
                sb.append(line).append('\n');
            }
            sb.append(ImpactFormatter.table(changes, session.style(), command.width()));
            command.print(sb.toString());
        }
        if (!dryRun) {
            return ExitCode.OK.code();
        }
        return changes.isEmpty() ? ExitCode.OK.code() : ExitCode.NEGATIVE.code();
    }
}
