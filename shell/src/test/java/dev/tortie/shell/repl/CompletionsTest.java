package dev.tortie.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Protocol;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.SnapshotSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Completion as a pure function of the command model, the cluster's names and the words typed so far. */
class CompletionsTest {
    private static final String POD_A = "app-a-deployment-5d8f7c9b6-x2k9q";
    private static final String POD_B = "app-b-deployment-7b9c6d4f8-m4p7z";

    private static final ClusterNames ARTICLE = names("../examples/article");
    private static final ClusterNames TIERED = names("../examples/tiered");
    private static final Completions COMPLETIONS = new Completions(shellSpec());

    private static ClusterNames names(String path) {
        return SnapshotSource.load(List.of(Path.of(path)), Instant.EPOCH, d -> {})
                .read(ClusterNames::of);
    }

    private static CommandSpec shellSpec() {
        StringWriter sink = new StringWriter();
        Session session = new Session(
                new PrintWriter(sink),
                new PrintWriter(sink),
                new Style(false),
                100,
                Clock.systemUTC(),
                Map.of(),
                () -> {
                    throw new AssertionError("completion must not need the session's source");
                },
                OutputFormat.TABLE,
                "default");
        return ShellCommands.newCommandLine(session).getCommandSpec();
    }

    /** Values offered after {@code line}; the word being typed is what follows the last space. */
    private static List<String> values(ClusterNames names, String namespace, String line) {
        return suggestions(names, namespace, line, false).stream()
                .map(Completions.Suggestion::value)
                .toList();
    }

    private static List<Completions.Suggestion> suggestions(
            ClusterNames names, String namespace, String line, boolean listing) {
        int space = line.lastIndexOf(' ');
        List<String> before = space < 0
                ? List.of()
                : Arrays.stream(line.substring(0, space).trim().split("\\s+"))
                        .filter(w -> !w.isEmpty())
                        .toList();
        return COMPLETIONS.suggest(names, namespace, before, line.substring(space + 1), listing);
    }

    private static List<String> values(String line) {
        return values(ARTICLE, "default", line);
    }

    @Test
    void commandNamesAtTheStartWithoutAliasesUntilTyped() {
        assertThat(values(""))
                .containsSubsequence("endpoints", "policies", "trace", "matrix")
                .contains("expect", "use", "exit", "help")
                .doesNotContain("ep", "pods", "pol", "quit");
        assertThat(values("tr")).containsExactly("trace");
        assertThat(values("po")).contains("policies", "pods", "pol");
        assertThat(values("q")).containsExactly("quit");
    }

    @Test
    void optionsOfTheCommandWhenAWordStartsWithADash() {
        assertThat(values("trace -")).contains("-n", "--namespace", "-o", "--output", "--icmp-type", "-h");
        assertThat(values("endpoints --s")).containsExactly("--selector", "--selector-k8s");
        assertThat(values("matrix --p")).containsExactly("--port");
    }

    @Test
    void optionValuesByWhatTheOptionIsCalled() {
        assertThat(values("endpoints -n ")).containsExactly("app-a", "app-b");
        assertThat(values("endpoints --namespace app-")).containsExactly("app-a", "app-b");
        assertThat(values("trace -o ")).containsExactly("table", "wide", "json", "yaml");
        assertThat(values("matrix --port ")).containsExactly("80");
        assertThat(values("endpoints -l app=")).containsExactly("app=app-a", "app=app-b");
    }

    @Test
    void flowSourcesArePodsWorkloadsAndNamespaces() {
        assertThat(values("trace ")).containsExactly("app-a", "app-a/", "app-b", "app-b/");
        assertThat(values("trace app-a/")).containsExactly("app-a/" + POD_A, "app-a/app-a-deployment");
        // bare names are looked up in the current namespace (here app-b, or -n on the line)
        assertThat(values(ARTICLE, "app-b", "trace app-b"))
                .containsExactly(POD_B, "app-b-deployment", "app-b", "app-b/");
        assertThat(values("trace -n app-b app-b-")).containsExactly(POD_B, "app-b-deployment");
        assertThat(values("trace --namespace=app-b app-b-d")).containsExactly(POD_B, "app-b-deployment");
    }

    @Test
    void theArrowComesAfterTheSource() {
        assertThat(values("trace app-a ")).containsExactly("->");
        assertThat(values("trace app-a -")).containsExactly("->");
        assertThat(values("expect deny app-a ")).containsExactly("->");
    }

    @Test
    void destinationsEndInAColonSoThePortFollows() {
        List<Completions.Suggestion> s = suggestions(ARTICLE, "default", "trace app-a -> app-b/", false);
        assertThat(s)
                .extracting(Completions.Suggestion::value)
                .containsExactly("app-b/" + POD_B + ":", "app-b/app-b-deployment:");
        assertThat(s).allSatisfy(x -> assertThat(x.complete()).isFalse());
        assertThat(values("trace app-a -> app")).containsExactly("app-a:", "app-a/", "app-b:", "app-b/");
    }

    @Test
    void portsOfTheDestinationAfterTheColon() {
        assertThat(values("trace app-a -> app-b:")).containsExactly("app-b:80");
        assertThat(values("trace app-a -> app-b/" + POD_B + ":")).containsExactly("app-b/" + POD_B + ":80");
        assertThat(values("trace app-a -> app-b:80/")).containsExactly("app-b:80/TCP", "app-b:80/UDP", "app-b:80/SCTP");
        assertThat(values("trace app-a -> nowhere:")).isEmpty();
    }

    @Test
    void bothSidesOfAnArrowWrittenWithoutSpaces() {
        assertThat(values("trace app-a->app-b:")).containsExactly("app-a->app-b:80");
        assertThat(values("trace app-a->app-b/"))
                .containsExactly("app-a->app-b/" + POD_B + ":", "app-a->app-b/app-b-deployment:");
    }

    @Test
    void nothingMoreOnceTheFlowIsComplete() {
        assertThat(values("trace app-a -> app-b:80 ")).isEmpty();
        assertThat(COMPLETIONS.runnable(List.of("trace", "app-a", "->", "app-b:80"), "", "default"))
                .isTrue();
        assertThat(COMPLETIONS.runnable(List.of("trace", "app-a", "->"), "", "default"))
                .isFalse();
        assertThat(COMPLETIONS.runnable(List.of("trace"), "", "default")).isFalse();
        assertThat(COMPLETIONS.runnable(List.of("endpoints"), "", "default")).isTrue();
        assertThat(COMPLETIONS.runnable(List.of(), "", "default")).isFalse();
    }

    @Test
    void expectTakesAVerdictThenAFlow() {
        assertThat(values("expect ")).containsExactly("allow", "deny");
        assertThat(values("expect d")).containsExactly("deny");
        assertThat(values("expect deny app-a -> app-b:")).containsExactly("app-b:80");
        assertThat(values("expect --p")).containsExactly("--probe");
    }

    @Test
    void useNamespaceAndHelp() {
        assertThat(values("use ")).containsExactly("namespace", "context");
        assertThat(values("use n")).containsExactly("namespace", "ns");
        assertThat(values("use namespace ")).containsExactly("app-a", "app-b");
        assertThat(values("use ns app-b")).containsExactly("app-b");
        assertThat(values("use context ")).isEmpty();
        assertThat(values("help ")).contains("trace", "use", "expect").doesNotContain("ep");
    }

    @Test
    void laterCommandsOnALineCompleteLikeTheFirst() {
        assertThat(values("use namespace app-b; tr")).containsExactly("trace");
    }

    @Test
    void theListingHasOneLinePerOptionAndHelpForEveryEntry() {
        List<Completions.Suggestion> s = suggestions(ARTICLE, "default", "trace app-a ", true);
        assertThat(s.get(0).value()).isEqualTo("->");
        assertThat(s)
                .extracting(Completions.Suggestion::display)
                .contains("-n, --namespace NS", "-o, --output FORMAT", "-h, --help");
        assertThat(s).allSatisfy(x -> assertThat(x.help()).isNotBlank());
        List<Completions.Suggestion> top = suggestions(ARTICLE, "default", "", true);
        assertThat(top)
                .filteredOn(x -> x.value().equals("help"))
                .singleElement()
                .satisfies(x -> assertThat(x.help()).doesNotContain("%n").isNotBlank());
    }

    @Test
    void namespacesAndPoliciesOfALargerCluster() {
        assertThat(values(TIERED, "default", "endpoints -n ")).contains("db", "monitoring", "shop");
        assertThat(values(TIERED, "shop", "trace ")).contains("web", "quarantined", "db/", "shop/");
        assertThat(TIERED.tiers()).isNotEmpty();
        assertThat(TIERED.policies()).isNotEmpty();
    }

    @Test
    void parametersLabelledPolicyOrTierGetThoseNames() {
        // A command a later change might add: completion follows the parameter's label.
        CommandSpec show = CommandSpec.create()
                .addPositional(PositionalParamSpec.builder()
                        .index("0")
                        .paramLabel("POLICY")
                        .build());
        CommandSpec tier = CommandSpec.create()
                .addPositional(PositionalParamSpec.builder()
                        .index("0")
                        .paramLabel("TIER")
                        .build());
        CommandSpec root = CommandSpec.create()
                .addSubcommand("show", new CommandLine(show))
                .addSubcommand("tier", new CommandLine(tier));
        Completions c = new Completions(root);
        ClusterNames.PolicyName first = TIERED.policies().get(0);
        List<String> policies = c.suggest(TIERED, "shop", List.of("show"), "", false).stream()
                .map(Completions.Suggestion::value)
                .toList();
        assertThat(policies).contains(first.qualifiedName());
        assertThat(policies)
                .containsAll(TIERED.policies().stream()
                        .filter(p -> "shop".equals(p.namespace()))
                        .map(ClusterNames.PolicyName::name)
                        .toList());
        assertThat(c.suggest(TIERED, "shop", List.of("tier"), "", false))
                .extracting(Completions.Suggestion::value)
                .containsExactlyElementsOf(TIERED.tiers());
    }

    @Test
    void portsIncludeNamedAndNonTcpPorts() {
        ClusterNames.Pod web = new ClusterNames.Pod(
                "shop",
                "web",
                "10.0.0.1",
                "Deployment/web",
                List.of(
                        new ContainerPort("http", Protocol.TCP, 8080),
                        new ContainerPort("dns", Protocol.UDP, 53),
                        new ContainerPort(null, Protocol.TCP, 9090)));
        assertThat(Completions.ports(List.of(web)))
                .containsOnlyKeys("53/UDP", "8080", "9090", "http", "dns/UDP")
                .containsEntry("http", "named port: TCP 8080");
        ClusterNames names = new ClusterNames(
                List.of("shop"),
                List.of(web),
                List.of(new ClusterNames.WorkloadName("shop", "Deployment", "web", 1)),
                List.of(),
                List.of(),
                List.of());
        assertThat(Completions.podsOf("web", names, "shop")).containsExactly(web);
        assertThat(Completions.podsOf("shop/web", names, "default")).containsExactly(web);
        assertThat(Completions.podsOf("shop", names, "default")).containsExactly(web);
        assertThat(COMPLETIONS.suggest(names, "shop", List.of("trace", "web", "->"), "web:h", false))
                .extracting(Completions.Suggestion::value)
                .containsExactly("web:http");
    }

    @Test
    void noSourceMeansNoNamesButCommandsStillComplete() {
        assertThat(values(ClusterNames.EMPTY, "-", "trace ")).isEmpty();
        assertThat(values(ClusterNames.EMPTY, "-", "ma")).containsExactly("matrix");
    }
}
