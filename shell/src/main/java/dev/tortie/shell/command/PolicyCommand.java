package dev.tortie.shell.command;

import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.format.IrFormatter;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Yaml;
import dev.tortie.shell.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "policy",
        description = "Inspect one policy.",
        mixinStandardHelpOptions = true,
        subcommands = {PolicyCommand.Show.class})
public final class PolicyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: policy show NAME");
    }

    @Command(
            name = "show",
            description = "The policy as written (YAML), its compiled rules, and the endpoints it selects.",
            mixinStandardHelpOptions = true)
    public static final class Show extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "Policy name, or ns/name.")
        String name;

        @Option(
                names = {"-n", "--namespace"},
                paramLabel = "NS",
                description = "Namespace of the policy.")
        String namespace;

        @Option(names = "--kind", paramLabel = "KIND", description = "knp, np, gnp, snp, sgnp or sknp.")
        String kind;

        public Show(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            String ns = namespace != null ? namespace : session.namespace();
            Map<String, Object> tree = session.source().read(index -> {
                CompiledPolicy p = Policies.find(index, name, ns, kind);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("policy", PoliciesCommand.tree(index, p));
                m.put("manifest", p.policy().manifest());
                StringBuilder rules = new StringBuilder();
                if (p.ingress() != null) {
                    IrFormatter.appendPolicy(rules, p.ingress(), index, "");
                }
                if (p.egress() != null) {
                    IrFormatter.appendPolicy(rules, p.egress(), index, "");
                }
                m.put("compiled", rules.toString());
                List<String> selected = new ArrayList<>();
                for (Endpoint e : index.endpointsSelectedBy(p.policy().id())) {
                    selected.add(e.key());
                }
                m.put("selects", selected);
                return m;
            });
            OutputFormat format = format();
            if (format.structured()) {
                printTree(tree);
                return 0;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> policy = (Map<String, Object>) tree.get("policy");
            StringBuilder sb = new StringBuilder();
            Object order =
                    policy.get("order") == null ? "none" : PoliciesCommand.formatOrder((Double) policy.get("order"));
            sb.append(session.style()
                            .bold("# " + policy.get("id") + " (tier " + policy.get("tier") + ", order " + order + ")"))
                    .append('\n');
            sb.append(Yaml.write(tree.get("manifest")));
            sb.append('\n')
                    .append(session.style().bold("# compiled rules (as enforced)"))
                    .append('\n');
            sb.append(tree.get("compiled"));
            @SuppressWarnings("unchecked")
            List<String> selected = (List<String>) tree.get("selects");
            sb.append('\n')
                    .append(session.style().bold("# selects " + selected.size() + " endpoint(s)"))
                    .append('\n');
            for (String e : selected) {
                sb.append("  ").append(e).append('\n');
            }
            print(sb.toString());
            return 0;
        }
    }
}
