package dev.tortie.shell.command;

import dev.tortie.engine.analysis.ImpactAnalyzer;
import dev.tortie.engine.analysis.VerdictChange;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.model.Policy;
import dev.tortie.shell.output.ImpactFormatter;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "delete",
        description = {
            "Delete a policy, showing the verdicts that flip. With --dry-run nothing is deleted and the exit status",
            "says whether anything would change (0 no, 1 yes)."
        },
        mixinStandardHelpOptions = true)
public final class DeleteCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "policy", description = "The word 'policy'.")
    String what;

    @Parameters(index = "1", paramLabel = "NAME", description = "Policy name, or ns/name.")
    String name;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Namespace of the policy.")
    String namespace;

    @Option(names = "--kind", paramLabel = "KIND", description = "knp, np, gnp, snp, sgnp or sknp.")
    String kind;

    @Option(names = "--dry-run", description = "Show the impact, change nothing.")
    boolean dryRun;

    public DeleteCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        if (!"policy".equals(what)) {
            throw TortieException.usage("delete what? use: delete policy NAME");
        }
        String ns = namespace != null ? namespace : session.namespace();
        Object[] found = new Object[1];
        List<VerdictChange> changes = session.source().read(current -> {
            CompiledPolicy p = Policies.find(current, name, ns, kind);
            found[0] = p.policy();
            ClusterIndex after = ClusterIndex.of(current.snapshot());
            after.removePolicy(p.policy().id());
            return ImpactAnalyzer.diff(current, after);
        });
        String result = session.source().delete((Policy) found[0], dryRun);
        if (format().structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("dryRun", dryRun);
            tree.put("result", result);
            tree.put("changes", ImpactFormatter.tree(changes));
            printTree(tree);
        } else {
            print(result + "\n" + ImpactFormatter.table(changes, session.style(), width()));
        }
        if (!dryRun) {
            return ExitCode.OK.code();
        }
        return changes.isEmpty() ? ExitCode.OK.code() : ExitCode.NEGATIVE.code();
    }
}
