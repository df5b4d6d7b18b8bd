package dev.tortie.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab without a network, as it runs for a user who is not root: the API server, the kubelet (addresses only), the
 * Deployment controller and the engine work; probes say why they are unavailable. Needs no privileges.
 */
class LabWithoutNetworkIT {
    private LabHarness lab;

    @BeforeEach
    void setUp() {
        lab = new LabHarness(Lab.Options.defaults().withNetwork(false));
    }

    @AfterEach
    void tearDown() {
        java.nio.file.Path kubeconfig = lab.lab().kubeconfig();
        assertThat(kubeconfig).exists();
        lab.close();
        assertThat(kubeconfig)
                .as("the lab's kubeconfig is removed with the lab")
                .doesNotExist();
        assertThat(kubeconfig.getParent()).doesNotExist();
    }

    @Test
    void apiAndEngineWorkProbesSayTheyAreUnavailable() {
        Path article = Lab.findExample("article").orElseThrow();
        LabHarness.Run load = lab.run("lab", "load", article.toString());
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.err()).contains("not enforced (probes unavailable: the lab was started without a network)");
        assertThat(lab.lab().network()).isNull();
        assertThat(lab.lab().agent()).isNull();

        LabHarness.Run trace = lab.run("trace", "app-a", "->", "app-b:80");
        assertThat(trace.exit()).as(trace.out() + trace.err()).isEqualTo(1);
        assertThat(trace.out()).contains("DENY");

        LabHarness.Run probe = lab.run("probe", "app-a", "->", "app-b:80");
        assertThat(probe.exit()).isEqualTo(5);
        assertThat(probe.err()).contains("probes are unavailable in this lab: the lab was started without a network");
        assertThat(lab.run("probe", "--matrix").err()).contains("probes are unavailable");
        assertThat(lab.run("trace", "--live", "app-a", "->", "app-b:80").err()).contains("probes are unavailable");

        Map<String, Object> status = lab.run("lab", "status", "-o", "json").json();
        assertThat(status).containsEntry("probes", "unavailable: the lab was started without a network");
        assertThat(status).containsEntry("pods", 2);
    }

    @Test
    void namespacesGetTheNameLabelOnCreateUpdateAndPatch() {
        lab.namespace("team-a", Map.of("team", "a"));
        assertThat(labels("team-a"))
                .containsEntry("kubernetes.io/metadata.name", "team-a")
                .containsEntry("team", "a");
        lab.setNamespaceLabels("team-a", Map.of("team", "b")); // an edit that drops every other label
        assertThat(labels("team-a"))
                .containsEntry("kubernetes.io/metadata.name", "team-a")
                .containsEntry("team", "b");
        lab.client.namespaces().withName("team-a").edit(ns -> {
            ns.getMetadata().getLabels().put("kubernetes.io/metadata.name", "forged");
            return ns;
        });
        assertThat(labels("team-a")).containsEntry("kubernetes.io/metadata.name", "team-a");
    }

    private Map<String, String> labels(String ns) {
        return lab.client.namespaces().withName(ns).get().getMetadata().getLabels();
    }

    @Test
    void deploymentsBecomePodsWithTemplateLabelsOwnersAndReplicas() {
        lab.namespace("shop", Map.of());
        lab.client
                .apps()
                .deployments()
                .inNamespace("shop")
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(3)
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "web"))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "web", "tier", "front"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("web")
                        .withImage("nginx")
                        .addNewPort()
                        .withContainerPort(80)
                        .endPort()
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        lab.settle();
        List<Pod> pods = lab.client.pods().inNamespace("shop").list().getItems();
        assertThat(pods).hasSize(3);
        Pattern name = Pattern.compile("web-([bcdfghjklmnpqrstvwxz2456789]{5,10})-[bcdfghjklmnpqrstvwxz2456789]{5}");
        for (Pod p : pods) {
            var m = name.matcher(p.getMetadata().getName());
            assertThat(m.matches()).as(p.getMetadata().getName()).isTrue();
            assertThat(p.getMetadata().getLabels())
                    .containsEntry("app", "web")
                    .containsEntry("tier", "front")
                    .containsEntry("pod-template-hash", m.group(1));
            assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("ReplicaSet");
                assertThat(o.getName()).isEqualTo("web-" + m.group(1));
                assertThat(o.getController()).isTrue();
            });
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getPodIP()).startsWith("10.65.");
            assertThat(p.getStatus().getPodIPs()).hasSize(1);
            assertThat(p.getSpec().getNodeName()).isEqualTo("node-1");
        }
        assertThat(lab.client.apps().replicaSets().inNamespace("shop").list().getItems())
                .hasSize(1);
        // The shell sees them as the Deployment's pods.
        assertThat(lab.run("trace", "shop/web", "->", "shop/web:80").out()).contains("shop/web-");

        lab.client.apps().deployments().inNamespace("shop").withName("web").edit(d -> {
            d.getSpec().setReplicas(1);
            return d;
        });
        lab.settle();
        assertThat(lab.client.pods().inNamespace("shop").list().getItems()).hasSize(1);

        lab.client.apps().deployments().inNamespace("shop").withName("web").delete();
        lab.settle();
        assertThat(lab.client.pods().inNamespace("shop").list().getItems()).isEmpty();
        assertThat(lab.client.apps().replicaSets().inNamespace("shop").list().getItems())
                .isEmpty();
    }
}
