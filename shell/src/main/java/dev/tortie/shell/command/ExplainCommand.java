package dev.tortie.shell.command;

import dev.tortie.engine.analysis.PolicyExplainer;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.shell.session.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "explain",
        description = "Explain a policy in plain words: who it applies to, what it accepts, what happens to the rest.",
        mixinStandardHelpOptions = true)
public final class ExplainCommand extends BaseCommand {
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

    public ExplainCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        if (!"policy".equals(what)) {
            throw dev.tortie.shell.session.TortieException.usage("explain what? use: explain policy NAME");
        }
        String ns = namespace != null ? namespace : session.namespace();
        Map<String, Object> tree = session.source().read(index -> {
            CompiledPolicy p = Policies.find(index, name, ns, kind);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", p.policy().id().toString());
            m.put("explanation", PolicyExplainer.explain(index, p.policy()));
            return m;
        });
        if (format().structured()) {
            printTree(tree);
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(session.style().bold(String.valueOf(tree.get("policy")))).append('\n');
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) tree.get("explanation");
        for (String line : lines) {
            sb.append("  ")
                    .append(line.startsWith("Warning:") ? session.style().yellow(line) : line)
                    .append('\n');
        }
        print(sb.toString());
        return 0;
    }
}
