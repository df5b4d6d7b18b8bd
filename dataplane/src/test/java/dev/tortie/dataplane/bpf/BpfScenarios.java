package dev.tortie.dataplane.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.SourceText;
import dev.tortie.engine.model.ClusterState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scenarios of the eBPF tests, loaded the way the shell loads snapshots: {@code article} and {@code tiered} are the
 * project's examples (the scenarios of the engine's golden IR and traces); {@code deny-all-ingress} is the smallest
 * isolation case, written out here.
 */
public final class BpfScenarios {
    public static final List<String> GOLDEN = List.of("deny-all-ingress", "article", "tiered");

    /** One namespace, two pods and a default-deny-ingress policy (the dataplane tests' scenario of that name). */
    public static final String DENY_ALL_INGRESS =
            """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: app
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: app
              labels:
                app: web
            spec:
              nodeName: node-1
              containers:
              - name: web
                image: nginx
                ports:
                - containerPort: 80
            status:
              podIP: 10.65.0.20
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: db
              namespace: app
              labels:
                app: db
            spec:
              nodeName: node-1
              containers:
              - name: db
                image: postgres
                ports:
                - containerPort: 5432
            status:
              podIP: 10.65.0.21
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: default-deny-ingress
              namespace: app
            spec:
              podSelector: {}
              policyTypes:
              - Ingress
            """;

    private BpfScenarios() {}

    public static ClusterIndex load(String name) {
        return loadTexts(name, texts(name));
    }

    public static ClusterIndex loadTexts(String name, List<SourceText> texts) {
        LoadResult result = ManifestLoader.load(texts);
        assertThat(result.errors()).as("errors loading %s", name).isEmpty();
        return ClusterIndex.of(result.applyTo(ClusterState.builder()).build());
    }

    public static List<SourceText> texts(String name) {
        if (name.equals("deny-all-ingress")) {
            return List.of(new SourceText(name + "/cluster.yaml", DENY_ALL_INGRESS));
        }
        Path dir = projectRoot().resolve("examples").resolve(name);
        List<SourceText> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                texts.add(new SourceText(name + "/" + f.getFileName(), Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(texts).as("scenario %s has manifests", name).isNotEmpty();
        return texts;
    }

    static Path projectRoot() {
        String root = System.getProperty("tortie.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }
}
