package dev.tortie.shell.lab;

import dev.tortie.shell.agent.ApiKind;
import dev.tortie.shell.kube.ApplyingCrudDispatcher;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The lab's API server: fabric8's CRUD mock server on 127.0.0.1 (random port, plain HTTP), reached by the shell, the
 * lab kubelet and the agent through an ordinary kubeconfig, like any cluster.
 *
 * <p>Two things a real API server does are added: namespaces get the {@code kubernetes.io/metadata.name} label on every
 * create and update (policies rely on it), and Calico's {@code projectcalico.org/v3} resources are served (as custom
 * resources), so tiered Calico scenarios load. Server-side apply and dry runs are emulated ({@link
 * ApplyingCrudDispatcher}). It is still a mock: no validation, no admission, no status subresource for pods.
 */
public final class LabApiServer implements AutoCloseable {
    public static final String CONTEXT = "tortie-lab";
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    private static final Pattern NAMESPACE_ITEM = Pattern.compile("/api/v1/namespaces/([^/?]+)");
    private static final Pattern NAMESPACE_COLLECTION = Pattern.compile("/api/v1/namespaces/?");

    /**
     * The mock server and Vert.x log every request and shutdown race through java.util.logging; the lab reports what
     * matters itself. Held strongly so the levels stick.
     */
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("io.fabric8.mockwebserver"),
            Logger.getLogger("io.fabric8.kubernetes.client.server.mock"),
            Logger.getLogger("io.vertx"),
            Logger.getLogger("io.netty"));

    private final KubernetesMockServer server;
    private final String kubeconfig;
    private volatile boolean stopped;

    private LabApiServer(KubernetesMockServer server) {
        this.server = server;
        this.kubeconfig = kubeconfigText(server.getPort());
    }

    /** Starts the server on 127.0.0.1 and a random free port. */
    public static LabApiServer start() {
        for (Logger l : QUIET) {
            l.setLevel(Level.OFF);
        }
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        // The kube package's CRUD dispatcher adds server-side apply and dry runs, so kubectl-style clients (tortie
        // --kubeconfig LAB_KUBECONFIG apply) work against the lab too.
        ApplyingCrudDispatcher crud = new ApplyingCrudDispatcher(responses);
        for (String gv : ApiKind.CALICO_GROUP_VERSIONS.subList(0, 1)) {
            for (ApiKind k : ApiKind.calico(gv)) {
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
        KubernetesSerialization serialization = new KubernetesSerialization();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new NamespaceLabels(crud, serialization), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new LabApiServer(server);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** A kubeconfig whose current context ({@value #CONTEXT}) points at this server. */
    public String kubeconfig() {
        return kubeconfig;
    }

    /** The client configuration, read from {@link #kubeconfig()} as any kubeconfig is. */
    public Config config() {
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setRequestRetryBackoffLimit(0);
        return config;
    }

    /** A new client (the caller closes it). */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** Writes the kubeconfig to {@code file} (mode 0600) for other processes, e.g. {@code tortie agent}. */
    public Path writeKubeconfig(Path file) {
        try {
            Files.writeString(file, kubeconfig, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw TortieException.cluster("cannot write the lab kubeconfig to " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Stops serving (clients see connection refused). Idempotent. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.destroy();
    }

    private static String kubeconfigText(int port) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + CONTEXT + "\n"
                + "  cluster:\n"
                + "    server: http://127.0.0.1:" + port + "\n"
                + "contexts:\n"
                + "- name: " + CONTEXT + "\n"
                + "  context:\n"
                + "    cluster: " + CONTEXT + "\n"
                + "    user: " + CONTEXT + "\n"
                + "    namespace: default\n"
                + "current-context: " + CONTEXT + "\n"
                + "users:\n"
                + "- name: " + CONTEXT + "\n"
                + "  user:\n"
                + "    token: lab\n";
    }

    /**
     * Adds {@code kubernetes.io/metadata.name: <name>} to every Namespace written, as the API server's namespace
     * strategy does. Creates and updates are rewritten before they are stored; a patch is stored, then corrected with
     * an update when it removed or changed the label.
     */
    private static final class NamespaceLabels extends Dispatcher {
        private final Dispatcher delegate;
        private final KubernetesSerialization serialization;

        NamespaceLabels(Dispatcher delegate, KubernetesSerialization serialization) {
            this.delegate = delegate;
            this.serialization = serialization;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            int query = path.indexOf('?');
            String bare = query < 0 ? path : path.substring(0, query);
            HttpMethod method = request.method();
            boolean collection = NAMESPACE_COLLECTION.matcher(bare).matches();
            boolean item = NAMESPACE_ITEM.matcher(bare).matches();
            if ((method == HttpMethod.POST && collection) || (method == HttpMethod.PUT && item)) {
                String body = request.getUtf8Body();
                String fixed = withNameLabel(body);
                if (fixed != null) {
                    request = new RecordedRequest(
                            request.getHttpVersion(),
                            method,
                            path,
                            request.getHeaders(),
                            new Buffer(fixed.getBytes(StandardCharsets.UTF_8)));
                }
                return delegate.dispatch(request);
            }
            MockResponse response = delegate.dispatch(request);
            if (method == HttpMethod.PATCH && item && response.code() / 100 == 2) {
                String stored =
                        response.getBody() == null ? null : response.getBody().readUtf8();
                String fixed = stored == null ? null : withNameLabel(stored);
                if (fixed != null) {
                    return delegate.dispatch(new RecordedRequest(
                            request.getHttpVersion(),
                            HttpMethod.PUT,
                            bare,
                            request.getHeaders(),
                            new Buffer(fixed.getBytes(StandardCharsets.UTF_8))));
                }
                if (stored != null) {
                    response.setBody(stored);
                }
            }
            return response;
        }

        /** The body with the label set, or null when it already is (or the body is not a namespace). */
        private String withNameLabel(String body) {
            GenericKubernetesResource ns;
            try {
                ns = serialization.unmarshal(body, GenericKubernetesResource.class);
            } catch (RuntimeException e) {
                return null;
            }
            if (ns == null || ns.getMetadata() == null || ns.getMetadata().getName() == null) {
                return null;
            }
            String name = ns.getMetadata().getName();
            Map<String, String> labels = ns.getMetadata().getLabels();
            if (labels != null && name.equals(labels.get(NAME_LABEL))) {
                return null;
            }
            Map<String, String> next = new LinkedHashMap<>(labels == null ? Map.of() : labels);
            next.put(NAME_LABEL, name);
            ns.getMetadata().setLabels(next);
            return serialization.asJson(ns);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public void releaseResources() {
            delegate.releaseResources();
        }
    }
}
