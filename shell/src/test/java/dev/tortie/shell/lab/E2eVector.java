package dev.tortie.shell.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One upstream Kubernetes NetworkPolicy e2e case (../shared/vectors/k8s-netpol-e2e, format in its README), read with
 * the symbolic pod IPs replaced by the lab's real ones ({@code {podIP:ns/pod}}, {@code {hostMask}} = 32).
 */
record E2eVector(
        String id,
        List<String> namespaces,
        List<String> pods,
        List<Map<String, Object>> containerPorts,
        List<Step> steps) {

    record Step(
            int number,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> podLabels,
            List<Map<String, Object>> policies,
            List<Probe> probes) {}

    /** Expected verdicts: source -> destinations allowed; every other non-self pair is denied. */
    record Probe(int port, String protocol, Map<String, List<String>> allowed) {}

    /** The model part only (namespaces, pods, ports), before pod IPs are known. */
    @SuppressWarnings("unchecked")
    static E2eVector model(Path file) throws IOException {
        Map<String, Object> raw = load(Files.readString(file));
        Map<String, Object> model = (Map<String, Object>) raw.get("model");
        return new E2eVector(
                (String) raw.get("id"),
                (List<String>) model.get("namespaces"),
                (List<String>) model.get("pods"),
                (List<Map<String, Object>>) model.get("container_ports"),
                List.of());
    }

    /** The whole case, with {@code ip.apply("ns/pod")} substituted for each symbolic pod IP. */
    @SuppressWarnings("unchecked")
    static E2eVector read(Path file, Function<String, String> ip) throws IOException {
        E2eVector m = model(file);
        String text = Files.readString(file).replace("{hostMask}", "32");
        for (String ns : m.namespaces()) {
            for (String p : m.pods()) {
                String key = ns + "/" + p;
                if (text.contains("{podIP:" + key + "}")) {
                    text = text.replace("{podIP:" + key + "}", ip.apply(key));
                }
            }
        }
        Map<String, Object> raw = load(text);
        List<Step> steps = new ArrayList<>();
        Map<String, Map<String, String>> nsLabels = new LinkedHashMap<>();
        for (String ns : m.namespaces()) {
            nsLabels.put(ns, Map.of("kubernetes.io/metadata.name", ns));
        }
        Map<String, Map<String, String>> podLabels = new LinkedHashMap<>();
        for (String ns : m.namespaces()) {
            for (String p : m.pods()) {
                podLabels.put(ns + "/" + p, Map.of("pod", p));
            }
        }
        for (Map<String, Object> s : (List<Map<String, Object>>) raw.get("steps")) {
            Map<String, Object> after = (Map<String, Object>) s.get("labels_after_changes");
            if (after != null) {
                nsLabels = new LinkedHashMap<>((Map<String, Map<String, String>>) after.get("namespaces"));
                podLabels = new LinkedHashMap<>((Map<String, Map<String, String>>) after.get("pods"));
            }
            List<Probe> probes = new ArrayList<>();
            for (Map<String, Object> p : (List<Map<String, Object>>) s.get("probes")) {
                probes.add(new Probe(
                        ((Number) p.get("port")).intValue(), (String) p.get("protocol"), (Map<String, List<String>>)
                                p.get("expected")));
            }
            List<Map<String, Object>> policies = (List<Map<String, Object>>) s.get("policies");
            steps.add(new Step(
                    ((Number) s.get("step")).intValue(),
                    nsLabels,
                    podLabels,
                    policies == null ? List.of() : policies,
                    probes));
        }
        return new E2eVector(m.id(), m.namespaces(), m.pods(), m.containerPorts(), steps);
    }

    List<String> podKeys() {
        List<String> keys = new ArrayList<>();
        for (String ns : namespaces) {
            for (String p : pods) {
                keys.add(ns + "/" + p);
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    static List<Path> all() throws IOException {
        Path dir = sharedRoot().resolve("vectors").resolve("k8s-netpol-e2e");
        try (var stream = Files.list(dir)) {
            return stream.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** ../shared: the tortie.shared property, TORTIE_SHARED, or a "shared" beside an ancestor directory. */
    static Path sharedRoot() {
        String property = System.getProperty("tortie.shared");
        if (property != null && Files.isDirectory(Path.of(property, "vectors"))) {
            return Path.of(property).normalize();
        }
        String env = System.getenv("TORTIE_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "vectors"))) {
            return Path.of(env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared"), dir.resolveSibling("shared"))) {
                if (Files.isDirectory(candidate.resolve("vectors"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find the shared test vectors: set -Dtortie.shared or TORTIE_SHARED");
    }
}
