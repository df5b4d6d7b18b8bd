package dev.tortie.shell.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The manifests in {@code deploy/}: every object parses as its typed fabric8 model and applies cleanly to the mock API
 * server (read back afterwards), the DaemonSets run {@code tortie agent} with options the command really has, on the
 * host network, privileged, with the node name from the downward API, probes and scrape annotations on the agent's
 * port, and the mounts the dataplanes need; the two variants differ only in the interface prefix.
 */
class DeployManifestsIT {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    static List<Map<String, Object>> objects(String file) {
        return MockApi.load(MockApi.read(MockApi.deployDir().resolve(file)));
    }

    @Test
    void everyVariantAppliesToTheApiServer() {
        for (String variant : List.of("calico", "eks")) {
            try (MockApi api = new MockApi(null)) {
                List<Map<String, Object>> all = new ArrayList<>(objects("rbac.yaml"));
                all.addAll(objects(variant + "/daemonset.yaml"));
                all.addAll(objects("uninstall.yaml"));
                all.addAll(objects("operator-rbac.yaml"));
                for (Map<String, Object> tree : all) {
                    GenericKubernetesResource obj = JSON.convertValue(tree, GenericKubernetesResource.class);
                    HasMetadata created = api.admin.resource(obj).create();
                    assertThat(created.getMetadata().getName())
                            .isEqualTo(obj.getMetadata().getName());
                    GenericKubernetesResource back = api.admin.resource(obj).get();
                    assertThat(back)
                            .as(obj.getKind() + " " + obj.getMetadata().getName())
                            .isNotNull();
                    // typed: deserializes as its fabric8 model kind
                    assertThat(JSON.unmarshal(JSON.asJson(tree), HasMetadata.class)
                                    .getKind())
                            .isEqualTo(obj.getKind());
                }
                assertThat(api.admin
                                .apps()
                                .daemonSets()
                                .inNamespace(AgentAccess.NAMESPACE)
                                .withName(AgentAccess.NAME)
                                .get())
                        .isNotNull();
            }
        }
    }

    @Test
    void theDaemonSetRunsTheAgentAsTheShellFindsIt() {
        for (String variant : List.of("calico", "eks")) {
            DaemonSet ds =
                    JSON.convertValue(objects(variant + "/daemonset.yaml").get(0), DaemonSet.class);
            assertThat(ds.getMetadata().getNamespace()).isEqualTo(AgentAccess.NAMESPACE);
            assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry(AgentAccess.APP_LABEL, AgentAccess.NAME);
            assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
            Map<String, String> annotations =
                    ds.getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations)
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", Integer.toString(AgentAccess.DEFAULT_PORT))
                    .containsEntry("prometheus.io/path", "/metrics");
            PodSpec pod = ds.getSpec().getTemplate().getSpec();
            assertThat(pod.getHostNetwork()).isTrue();
            assertThat(pod.getServiceAccountName()).isEqualTo(AgentAccess.NAME);
            Container c = pod.getContainers().get(0);
            assertThat(c.getSecurityContext().getPrivileged()).isTrue();
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).contains("NET_ADMIN", "SYS_ADMIN", "BPF");
            assertThat(c.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo(AgentAccess.PORT_NAME);
                assertThat(p.getContainerPort()).isEqualTo(AgentAccess.DEFAULT_PORT);
            });
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(AgentAccess.PORT_NAME);
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            EnvVar node = c.getEnv().stream()
                    .filter(e -> e.getName().equals("NODE_NAME"))
                    .findFirst()
                    .orElseThrow();
            assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            Map<String, VolumeMount> mounts =
                    c.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
            assertThat(mounts).containsKeys("/sys/fs/bpf", "/run/xtables.lock", "/lib/modules");
            assertThat(mounts.get("/lib/modules").getReadOnly()).isTrue();
            assertThat(c.getArgs())
                    .contains("--interface-prefix=" + (variant.equals("eks") ? "eni" : "cali"))
                    .contains("--node=$(NODE_NAME)");
            assertThat(parses(c.getArgs())).as(String.join(" ", c.getArgs())).isTrue();
        }
    }

    @Test
    void theVariantsDifferOnlyInTheInterfacePrefix() {
        Path deploy = MockApi.deployDir();
        List<String> calico = code(MockApi.read(deploy.resolve("calico/daemonset.yaml")));
        List<String> eks = code(MockApi.read(deploy.resolve("eks/daemonset.yaml")));
        assertThat(eks).hasSameSizeAs(calico);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < calico.size(); i++) {
            if (!calico.get(i).equals(eks.get(i))) {
                differences.add(calico.get(i).strip() + " | " + eks.get(i).strip());
            }
        }
        assertThat(differences).containsExactly("- --interface-prefix=cali | - --interface-prefix=eni");
    }

    @Test
    void theBindingGrantsTheRoleToTheAgentsServiceAccount() {
        Map<String, Object> tree = objects("rbac.yaml").stream()
                .filter(o -> "ClusterRoleBinding".equals(o.get("kind")))
                .findFirst()
                .orElseThrow();
        ClusterRoleBinding binding = JSON.convertValue(tree, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(AgentAccess.NAME);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(AgentAccess.NAME);
            assertThat(s.getNamespace()).isEqualTo(AgentAccess.NAMESPACE);
        });
        DaemonSet uninstall = JSON.convertValue(objects("uninstall.yaml").get(0), DaemonSet.class);
        List<String> args = uninstall
                .getSpec()
                .getTemplate()
                .getSpec()
                .getInitContainers()
                .get(0)
                .getArgs();
        assertThat(args).contains("--uninstall");
        assertThat(parses(args)).isTrue();
    }

    private static List<String> code(String yaml) {
        return yaml.lines().filter(l -> !l.startsWith("#")).toList();
    }

    /** Whether {@code tortie ARGS} parses with the real command definitions (without running it). */
    private static boolean parses(List<String> args) {
        Session session = new Session(
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                new Style(false),
                0,
                Clock.systemUTC(),
                Map.of(),
                () -> {
                    throw new IllegalStateException("no cluster");
                },
                OutputFormat.TABLE,
                null);
        CommandLine cl = ShellCommands.newCommandLine(session);
        cl.setUnmatchedArgumentsAllowed(false);
        cl.setUnmatchedOptionsArePositionalParams(false);
        List<String> resolved =
                args.stream().map(a -> a.replace("$(NODE_NAME)", "node-1")).toList();
        CommandLine.ParseResult r = cl.parseArgs(resolved.toArray(new String[0]));
        return r.hasSubcommand() && r.subcommand().commandSpec().name().equals("agent");
    }
}
