package dev.tortie.shell.lab;

import dev.tortie.shell.agent.ApiKind;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A lab for tests: the {@link LabSource} the shell would use, a session over it whose output is captured, and helpers
 * that write to the lab's API server like a user or a test suite would.
 */
final class LabHarness implements AutoCloseable {
    final LabSource source;
    final KubernetesClient client;
    final List<String> log = new CopyOnWriteArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Session session;

    LabHarness(Lab.Options options) {
        this.source = LabSource.start(options, log::add);
        this.client = source.lab().api().newClient();
        this.session = new Session(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                new Style(false),
                0,
                Clock.systemUTC(),
                Map.of(),
                () -> source,
                OutputFormat.TABLE,
                null);
    }

    static LabHarness start() {
        return start(Lab.Options.defaults().dataplane());
    }

    static LabHarness start(String dataplane) {
        return new LabHarness(Lab.Options.defaults().withDataplane(dataplane));
    }

    /** The dataplanes this machine can run: iptables, and bpf where the kernel has tcx links. */
    static java.util.List<String> dataplanes() {
        return dev.tortie.shell.agent.Dataplanes.bpfUnsupported() == null
                ? java.util.List.of("iptables", "bpf")
                : java.util.List.of("iptables");
    }

    Lab lab() {
        return source.lab();
    }

    /** Result of one shell command. */
    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(out);
        }
    }

    /** Runs one shell command line (words already split) through the real command wiring. */
    synchronized Run run(String... words) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        int code = ShellCommands.run(session, List.of(words));
        return new Run(code, out.toString(), err.toString());
    }

    void settle() {
        source.awaitSettled(Duration.ofMinutes(2), line -> {});
    }

    void namespace(String name, Map<String, String> labels) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    /** A pod with one container per port: {@code {name, containerPort, protocol}} maps as in the e2e vectors. */
    void pod(String namespace, String name, Map<String, String> labels, List<Map<String, Object>> ports) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .endSpec();
        List<io.fabric8.kubernetes.api.model.Container> containers = new ArrayList<>();
        for (Map<String, Object> p : ports) {
            String portName = (String) p.get("name");
            containers.add(new ContainerBuilder()
                    .withName("cont-" + portName.substring(portName.indexOf('-') + 1))
                    .withImage("registry.k8s.io/e2e-test-images/agnhost:2.53")
                    .withPorts(new ContainerPortBuilder()
                            .withName(portName)
                            .withContainerPort(((Number) p.get("containerPort")).intValue())
                            .withProtocol((String) p.get("protocol"))
                            .build())
                    .build());
        }
        Pod pod = b.build();
        pod.getSpec().setContainers(containers);
        client.pods().inNamespace(namespace).resource(pod).create();
    }

    String podIp(String namespace, String name) {
        return client.pods()
                .inNamespace(namespace)
                .withName(name)
                .get()
                .getStatus()
                .getPodIP();
    }

    void setNamespaceLabels(String name, Map<String, String> labels) {
        client.namespaces().withName(name).edit(ns -> {
            ns.getMetadata().setLabels(new LinkedHashMap<>(labels));
            return ns;
        });
    }

    void setPodLabels(String namespace, String name, Map<String, String> labels) {
        client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getMetadata().setLabels(new LinkedHashMap<>(labels));
            return p;
        });
    }

    /** Makes the NetworkPolicies in {@code namespaces} exactly {@code policies} (create, replace, delete). */
    void setPolicies(List<String> namespaces, List<Map<String, Object>> policies) {
        var op = client.genericKubernetesResources(ApiKind.NETWORK_POLICIES.context());
        Set<String> wanted = new HashSet<>();
        for (Map<String, Object> tree : policies) {
            GenericKubernetesResource obj =
                    client.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class);
            String ns = obj.getMetadata().getNamespace();
            wanted.add(ns + "/" + obj.getMetadata().getName());
            GenericKubernetesResource existing =
                    op.inNamespace(ns).withName(obj.getMetadata().getName()).get();
            if (existing == null) {
                op.inNamespace(ns).resource(obj).create();
            } else {
                obj.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                op.inNamespace(ns).resource(obj).update();
            }
        }
        for (String ns : namespaces) {
            for (GenericKubernetesResource r : op.inNamespace(ns).list().getItems()) {
                if (!wanted.contains(ns + "/" + r.getMetadata().getName())) {
                    op.inNamespace(ns).withName(r.getMetadata().getName()).delete();
                }
            }
        }
    }

    /** Applies one manifest tree (create or replace) through the generic API. */
    void apply(ApiKind kind, Map<String, Object> tree) {
        var op = client.genericKubernetesResources(kind.context());
        GenericKubernetesResource obj =
                client.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class);
        String ns = obj.getMetadata().getNamespace();
        var scoped = ns == null ? op : op.inNamespace(ns);
        GenericKubernetesResource existing =
                scoped.withName(obj.getMetadata().getName()).get();
        if (existing == null) {
            scoped.resource(obj).create();
        } else {
            obj.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            scoped.resource(obj).update();
        }
    }

    /** iptables-save of the lab node, without counters and comments lines that carry timestamps. */
    String nodeRules() {
        var dataplane =
                (dev.tortie.dataplane.driver.IptablesDataplane) lab().agent().dataplane();
        return lab().network()
                .nodeRunner()
                .run(dataplane.backend().saveBinary())
                .stdout()
                .lines()
                .filter(l -> !l.startsWith("#"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    String nodeSets() {
        return lab().network().nodeRunner().run("ipset", "list").stdout();
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                session.close();
            } finally {
                source.close(); // also when no command ever asked the session for its source
            }
        }
    }
}
