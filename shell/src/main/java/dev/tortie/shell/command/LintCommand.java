package dev.tortie.shell.command;

import dev.tortie.engine.analysis.Finding;
import dev.tortie.engine.analysis.Linter;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "lint",
        description = {
            "Find policy mistakes: selectors matching nothing (with the likely fix), named ports no pod declares,",
            "Log-only policies that isolate, egress isolation that blocks DNS, shadowed rules, policies selecting",
            "no endpoint. Exit status 1 when anything is found."
        },
        mixinStandardHelpOptions = true)
public final class LintCommand extends BaseCommand {
    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Only this namespace (and global policies).")
    String namespace;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "Every namespace (the default).")
    boolean all;

    public LintCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        List<Finding> findings = session.source().read(index -> Linter.lint(index, all ? null : namespace));
        List<Object> rows = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", f.code());
            m.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
            m.put("policy", f.policy() == null ? null : f.policy().toString());
            m.put("rule", f.rule());
            m.put("message", f.message());
            m.put("suggestion", f.suggestion());
            rows.add(m);
        }
        if (format().structured()) {
            printTree(Map.of("findings", rows));
        } else if (findings.isEmpty()) {
            print("no findings\n");
        } else {
            StringBuilder sb = new StringBuilder();
            for (Finding f : findings) {
                sb.append(session.style().yellow(f.severity().name().toLowerCase(java.util.Locale.ROOT)))
                        .append(' ')
                        .append(f.policy() == null ? "" : f.policy().toString())
                        .append(f.rule() == null ? "" : " " + f.rule())
                        .append(" [")
                        .append(f.code())
                        .append("]\n  ")
                        .append(f.message())
                        .append('\n');
                if (f.suggestion() != null) {
                    sb.append("  fix: ").append(f.suggestion()).append('\n');
                }
            }
            sb.append(findings.size()).append(findings.size() == 1 ? " finding\n" : " findings\n");
            print(sb.toString());
        }
        return findings.isEmpty() ? ExitCode.OK.code() : ExitCode.NEGATIVE.code();
    }
}
