package dev.tortie.shell.agent;

import dev.tortie.shell.kube.ApplyingCrudDispatcher;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** A CRUD mock API server on 127.0.0.1 behind an {@link ApiRecorder}, serving Calico's kinds in one group. */
final class MockApi implements AutoCloseable {
    /** The mock server logs every request through java.util.logging; held strongly so the level sticks. */
    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    final KubernetesMockServer server;
    final ApiRecorder recorder;
    final KubernetesClient admin;

    /** @param calicoGroupVersion the Calico group to serve, or null for none */
    MockApi(String calicoGroupVersion) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        ApplyingCrudDispatcher crud = new ApplyingCrudDispatcher(responses);
        if (calicoGroupVersion != null) {
            for (ApiKind k : ApiKind.calico(calicoGroupVersion)) {
                crud.crud()
                        .expectCustomResource(new CustomResourceDefinitionContext.Builder()
                                .withName(k.plural() + "." + k.group())
                                .withGroup(k.group())
                                .withVersion(k.version())
                                .withKind(k.kind())
                                .withPlural(k.plural())
                                .withScope(k.namespaced() ? "Namespaced" : "Cluster")
                                .build());
            }
        }
        recorder = new ApiRecorder(crud);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, recorder, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
    }

    KubernetesClient newClient() {
        return server.createClient();
    }

    /** Creates the objects of a YAML text (documents separated by ---). */
    void create(String yaml) {
        for (Map<String, Object> tree : load(yaml)) {
            admin.resource(admin.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class))
                    .create();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(String yaml) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (doc != null) {
                out.add((Map<String, Object>) doc);
            }
        }
        return out;
    }

    /** A kubeconfig file for this server. */
    Path kubeconfig(Path dir) {
        String url = server.url("/");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String text = "apiVersion: v1\nkind: Config\ncurrent-context: mock\n"
                + "clusters:\n- name: mock\n  cluster:\n    server: " + url + "\n"
                + "contexts:\n- name: mock\n  context:\n    cluster: mock\n    user: tester\n    namespace: default\n"
                + "users:\n- name: tester\n  user:\n    token: operator\n";
        try {
            return Files.writeString(dir.resolve("kubeconfig"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifests shipped in {@code deploy/} (tests run in shell/). */
    static Path deployDir() {
        for (Path p : List.of(Path.of("..", "deploy"), Path.of("deploy"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException(
                "cannot find deploy/ from " + Path.of("").toAbsolutePath());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // fabric8's mock server can time out closing after watch clients went away mid-handshake (see
            // KubeWatchIT); the port is released with the test JVM
        }
    }
}
