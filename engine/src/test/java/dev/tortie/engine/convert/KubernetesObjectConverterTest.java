package dev.tortie.engine.convert;

import static dev.tortie.engine.convert.Manifests.errors;
import static dev.tortie.engine.convert.Manifests.messages;
import static dev.tortie.engine.convert.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.ServiceAccount;
import dev.tortie.engine.model.Workload;
import dev.tortie.engine.net.IpAddress;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pods, workloads, namespaces and service accounts. */
class KubernetesObjectConverterTest {

    @Nested
    class Pods {
        @Test
        void everyField() {
            Converted<Endpoint> c = PodConverter.convert(
                    one(
                            """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: app-a-5d9f7c-x2x7q
                      namespace: app-a
                      labels: {app: a, pod-template-hash: 5d9f7c}
                      ownerReferences:
                      - {apiVersion: apps/v1, kind: ReplicaSet, name: app-a-deployment-5d9f7c, controller: true}
                    spec:
                      nodeName: node-1
                      serviceAccountName: app-a-sa
                      containers:
                      - name: web
                        ports:
                        - {name: http, containerPort: 8080}
                        - {containerPort: 53, protocol: UDP}
                      - name: metrics
                        ports:
                        - {name: metrics, containerPort: 9090, protocol: SCTP}
                    status:
                      podIP: 10.0.0.9
                      podIPs: [{ip: 10.244.1.5}, {ip: 'fd00::5'}]
                    """));
            assertThat(c.diagnostics()).isEmpty();
            Endpoint e = c.value();
            assertThat(e.key()).isEqualTo("app-a/app-a-5d9f7c-x2x7q");
            assertThat(e.node()).isEqualTo("node-1");
            assertThat(e.serviceAccount()).isEqualTo("app-a-sa");
            assertThat(e.labels()).containsEntry("app", "a");
            assertThat(e.ips()).containsExactly(IpAddress.parse("10.244.1.5"), IpAddress.parse("fd00::5"));
            assertThat(e.ports())
                    .containsExactly(
                            new ContainerPort("http", Protocol.TCP, 8080),
                            new ContainerPort(null, Protocol.UDP, 53),
                            new ContainerPort("metrics", Protocol.SCTP, 9090));
            assertThat(e.workload()).isEqualTo("Deployment/app-a-deployment");
        }

        @Test
        void defaults() {
            Endpoint e = PodConverter.convert(
                            one(
                                    """
                            apiVersion: v1
                            kind: Pod
                            metadata: {name: p}
                            status: {podIP: 10.0.0.1}
                            """))
                    .value();
            assertThat(e.namespace()).isEqualTo("default");
            assertThat(e.serviceAccount()).isEqualTo("default");
            assertThat(e.node()).isNull();
            assertThat(e.ips()).containsExactly(IpAddress.parse("10.0.0.1"));
            assertThat(e.workload()).isNull();
            assertThat(e.ports()).isEmpty();
        }

        @Test
        void podWithoutStatusHasNoAddresses() {
            Endpoint e = PodConverter.convert(one("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n"))
                    .value();
            assertThat(e.ips()).isEmpty();
        }

        @Test
        void invalidIpIsAnError() {
            Converted<Endpoint> c = PodConverter.convert(
                    one("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nstatus: {podIP: 10.0.0.300}\n"));
            assertThat(c.value()).isNull();
            assertThat(errors(c))
                    .containsExactly("test.yaml document 1 (line 1): Pod x/p: status.podIP: pod IP '10.0.0.300' is not"
                            + " a valid IP address");
        }

        @Test
        void hostNetworkPodsAreSkipped() {
            Converted<Endpoint> c = PodConverter.convert(
                    one("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {hostNetwork: true}\n"));
            assertThat(c.value()).isNull();
            assertThat(c.hasErrors()).isFalse();
            assertThat(messages(c))
                    .containsExactly("test.yaml document 1 (line 1): Pod x/p: spec.hostNetwork: host-network pod"
                            + " skipped: Calico makes no workload endpoint for it");
        }

        @ParameterizedTest
        @CsvSource({"Succeeded", "Failed"})
        void finishedPodsAreSkipped(String phase) {
            Converted<Endpoint> c = PodConverter.convert(
                    one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: " + phase + "}\n"));
            assertThat(c.value()).isNull();
            assertThat(c.hasErrors()).isFalse();
            assertThat(c.diagnostics()).hasSize(1);
        }

        @Test
        void badContainerPorts() {
            Converted<Endpoint> c = PodConverter.convert(
                    one(
                            """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: p, namespace: x}
                    spec:
                      containers:
                      - ports:
                        - {containerPort: 70000}
                        - {containerPort: 80, protocol: ICMP}
                        - {containerPort: 81, name: HTTP}
                    """));
            assertThat(errors(c))
                    .containsExactly(
                            "test.yaml document 1 (line 1): Pod x/p: spec.containers[0].ports[0].containerPort: port"
                                    + " 70000 is out of range 1-65535",
                            "test.yaml document 1 (line 1): Pod x/p: spec.containers[0].ports[1].protocol: protocol"
                                    + " 'ICMP' is invalid: must be TCP, UDP or SCTP",
                            "test.yaml document 1 (line 1): Pod x/p: spec.containers[0].ports[2].name: port name 'HTTP'"
                                    + " is invalid: must contain only lower-case letters, digits and '-'");
        }

        @ParameterizedTest
        @CsvSource({
            "ReplicaSet, app-a-deployment-5d9f7c, , Deployment/app-a-deployment",
            "ReplicaSet, web-7c9f8b6d4f, , Deployment/web",
            "ReplicaSet, web-v1, , ReplicaSet/web-v1",
            "ReplicaSet, web-abc, abc, Deployment/web",
            "ReplicaSet, web-5d9f7c, zzz, ReplicaSet/web-5d9f7c",
            "StatefulSet, db, , StatefulSet/db",
            "Job, backup-28000000, , Job/backup-28000000",
        })
        void workloadOfOwner(String kind, String name, String hash, String expected) {
            assertThat(PodConverter.workloadOf(kind, name, hash)).isEqualTo(expected);
        }
    }

    @Nested
    class Workloads {
        @Test
        void deployment() {
            Converted<Workload> c = WorkloadConverter.convert(
                    one(
                            """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                    spec:
                      replicas: 3
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web, tier: fe}}
                        spec:
                          serviceAccountName: web-sa
                          containers:
                          - name: c
                            ports: [{name: http, containerPort: 80}]
                    """));
            assertThat(c.diagnostics()).isEmpty();
            Workload w = c.value();
            assertThat(w.key()).isEqualTo("shop/Deployment/web");
            assertThat(w.reference()).isEqualTo("Deployment/web");
            assertThat(w.replicas()).isEqualTo(3);
            assertThat(w.selectorLabels()).containsExactly(Map.entry("app", "web"));
            assertThat(w.templateLabels()).containsEntry("tier", "fe");
            assertThat(w.serviceAccount()).isEqualTo("web-sa");
            assertThat(w.ports()).containsExactly(new ContainerPort("http", Protocol.TCP, 80));
        }

        @ParameterizedTest
        @CsvSource({"apps/v1, StatefulSet, 1", "apps/v1, DaemonSet, 1", "apps/v1, ReplicaSet, 1", "batch/v1, Job, 1"})
        void otherKindsDefaultToOnePod(String apiVersion, String kind, int replicas) {
            Workload w = WorkloadConverter.convert(one("apiVersion: " + apiVersion + "\nkind: " + kind
                            + "\nmetadata: {name: w}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n"))
                    .value();
            assertThat(w.kind()).isEqualTo(kind);
            assertThat(w.namespace()).isEqualTo("default");
            assertThat(w.replicas()).isEqualTo(replicas);
            assertThat(w.serviceAccount()).isEqualTo("default");
        }

        @Test
        void jobParallelism() {
            Workload w = WorkloadConverter.convert(
                            one("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 4}\n"))
                    .value();
            assertThat(w.replicas()).isEqualTo(4);
        }

        @Test
        void selectorMustMatchTemplate() {
            Converted<Workload> c = WorkloadConverter.convert(
                    one(
                            """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                    spec:
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: api}}
                    """));
            assertThat(errors(c))
                    .containsExactly("test.yaml document 1 (line 1): Deployment shop/web: spec.selector.matchLabels:"
                            + " selector app=web does not match the template labels {app=api}");
        }
    }

    @Test
    void namespace() {
        Converted<Namespace> c = NamespaceConverter.convert(
                one("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: web}}\n"));
        assertThat(c.value().labels())
                .containsEntry("team", "web")
                .containsEntry("kubernetes.io/metadata.name", "shop");
        Converted<Namespace> bad =
                NamespaceConverter.convert(one("apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n"));
        assertThat(errors(bad))
                .containsExactly("test.yaml document 1 (line 1): Namespace a.b: metadata.name: name 'a.b' is invalid:"
                        + " must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a"
                        + " letter or digit");
    }

    @Test
    void serviceAccount() {
        ServiceAccount sa = ServiceAccountConverter.convert(
                        one(
                                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop, labels: {x: y}}\n"))
                .value();
        assertThat(sa.key()).isEqualTo("shop/api");
        assertThat(sa.labels()).containsExactly(Map.entry("x", "y"));
    }

    @Test
    void badLabelsAreErrors() {
        Converted<ServiceAccount> c = ServiceAccountConverter.convert(
                one("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, labels: {version: 1.0}}\n"));
        assertThat(errors(c))
                .containsExactly("test.yaml document 1 (line 1): ServiceAccount default/api: metadata.labels.version:"
                        + " expected a string, got number 1.0 (quote it: '1.0')");
    }
}
