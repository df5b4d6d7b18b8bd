package dev.tortie.shell.kube;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.load.ManifestParser;
import dev.tortie.engine.load.ParsedText;
import dev.tortie.shell.Tortie;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.BooleanSupplier;

/**
 * A fabric8 mock API server in CRUD mode (with {@link ApplyingCrudDispatcher}: server-side apply and dry-run), an
 * admin client to arrange objects, and a kubeconfig file pointing at it, so tests go through the real kubeconfig path.
 */
final class MockCluster implements AutoCloseable {
    static final Path ARTICLE = Path.of("..", "examples", "article");
    static final String CONTEXT = "mock";

    final KubernetesMockServer server;
    final KubernetesClient admin;
    final Path dir;
    final Path kubeconfig;

    @SuppressWarnings("deprecation") // Serialization.jsonMapper(): what fabric8's own mock server uses
    private MockCluster(Path dir) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        this.server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                responses,
                new ApplyingCrudDispatcher(responses),
                false);
        server.init();
        this.admin = server.createClient();
        this.dir = dir;
        this.kubeconfig = writeKubeconfig("kubeconfig", CONTEXT, "app-a", "    token: secret\n");
    }

    static MockCluster start(Path dir) {
        return new MockCluster(dir);
    }

    /** The mock server's URL, e.g. {@code http://localhost:41234}. */
    String url() {
        String url = server.url("/");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Writes a kubeconfig with one context for this server; {@code userBlock} is the user's fields, indented. */
    Path writeKubeconfig(String file, String context, String namespace, String userBlock) {
        return write(
                file,
                "apiVersion: v1\n"
                        + "kind: Config\n"
                        + "current-context: " + context + "\n"
                        + "clusters:\n"
                        + "- name: mock-cluster\n"
                        + "  cluster:\n"
                        + "    server: " + url() + "\n"
                        + "contexts:\n"
                        + "- name: " + context + "\n"
                        + "  context:\n"
                        + "    cluster: mock-cluster\n"
                        + "    user: tester\n"
                        + (namespace == null ? "" : "    namespace: " + namespace + "\n")
                        + "users:\n"
                        + "- name: tester\n"
                        + "  user:\n"
                        + userBlock);
    }

    Path write(String file, String text) {
        try {
            Path path = dir.resolve(file);
            Files.writeString(path, text, StandardCharsets.UTF_8);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates every object in the YAML files under {@code path}, in file order. */
    void create(Path path) {
        for (Manifest m : manifests(path)) {
            admin.resource(generic(m.tree())).create();
        }
    }

    /** Creates the objects in a YAML text. */
    void createYaml(String yaml) {
        for (Manifest m : parse("test.yaml", yaml)) {
            admin.resource(generic(m.tree())).create();
        }
    }

    static List<Manifest> manifests(Path path) {
        List<Manifest> out = new ArrayList<>();
        try (var files = Files.isDirectory(path) ? Files.list(path) : java.util.stream.Stream.of(path)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.addAll(parse(f.toString(), Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Manifest> parse(String location, String yaml) {
        ParsedText parsed = ManifestParser.parse(location, yaml);
        if (parsed.hasErrors()) {
            throw new IllegalArgumentException(parsed.diagnostics().toString());
        }
        return parsed.manifests();
    }

    GenericKubernetesResource generic(Map<String, Object> tree) {
        return admin.getKubernetesSerialization().convertValue(tree, GenericKubernetesResource.class);
    }

    /** Registers a CustomResourceDefinition (the CRUD server then serves the resource in API discovery). */
    void crd(String group, String version, String kind, String plural, boolean namespaced) {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(plural + "." + group)
                .endMetadata()
                .withNewSpec()
                .withGroup(group)
                .withScope(namespaced ? "Namespaced" : "Cluster")
                .withNewNames()
                .withKind(kind)
                .withPlural(plural)
                .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
                .endNames()
                .addNewVersion()
                .withName(version)
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build();
        admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    /** Opens a source through the kubeconfig file. */
    KubeSource open(boolean watch, Recorder recorder) {
        return KubeSource.open(new KubeOptions(kubeconfig.toString(), null, watch), Map.of(), recorder);
    }

    /**
     * Closes the admin client and the server. fabric8's mock server sometimes waits its full 10 s on shutdown for
     * watch sessions whose connections are already gone (reproduced with its own KubernetesMixedDispatcher), so the
     * shutdown gets 2 s and then finishes in the background.
     */
    @Override
    public void close() {
        admin.close();
        Thread shutdown = new Thread(
                () -> {
                    try {
                        server.destroy();
                    } catch (RuntimeException e) {
                        // "Unable to close MockWebServer": the test is done with it
                    }
                },
                "mock-server-shutdown");
        shutdown.setDaemon(true);
        shutdown.start();
        try {
            shutdown.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the tortie command line; returns exit code, stdout and stderr. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Tortie.run(args, new PrintWriter(out), new PrintWriter(err), Map.of("COLUMNS", "120"), false);
        return new Run(code, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000);
    }

    record Run(int code, String out, String err, long millis) {}

    /** Polls {@code condition} every 20 ms for up to {@code millis}; true when it became true. */
    static boolean eventually(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /** A reporter that remembers everything. */
    static final class Recorder implements KubeReporter {
        final List<String> notices = Collections.synchronizedList(new ArrayList<>());
        final List<Diagnostic> diagnostics = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void notice(Diagnostic.Severity severity, String message) {
            notices.add(severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message);
        }

        @Override
        public void diagnostic(Diagnostic diagnostic) {
            diagnostics.add(diagnostic);
        }

        List<String> notices() {
            synchronized (notices) {
                return List.copyOf(notices);
            }
        }

        List<Diagnostic> diagnostics() {
            synchronized (diagnostics) {
                return List.copyOf(diagnostics);
            }
        }
    }
}
