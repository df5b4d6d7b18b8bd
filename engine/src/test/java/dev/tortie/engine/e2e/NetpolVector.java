package dev.tortie.engine.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One upstream Kubernetes NetworkPolicy e2e case (../shared/vectors/k8s-netpol-e2e), with the symbolic pod IPs
 * substituted: pod i of namespace j gets 10.65.j.(10+i), all inside the /4 the ipBlock tests assume.
 */
public record NetpolVector(
        String id,
        List<String> namespaces,
        List<String> pods,
        List<Map<String, Object>> containerPorts,
        List<Step> steps) {

    public record Step(
            int number,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> podLabels,
            List<Map<String, Object>> policies,
            List<Probe> probes) {}

    /** Expected verdicts: source -> destinations allowed; every other non-self pair is denied. */
    public record Probe(int port, String protocol, Map<String, List<String>> allowed) {}

    public static String ip(List<String> namespaces, List<String> pods, String podKey) {
        String[] parts = podKey.split("/");
        return "10.65." + namespaces.indexOf(parts[0]) + "." + (10 + pods.indexOf(parts[1]));
    }

    public List<String> podKeys() {
        List<String> keys = new ArrayList<>();
        for (String ns : namespaces) {
            for (String p : pods) {
                keys.add(ns + "/" + p);
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    public static NetpolVector read(Path file) throws IOException {
        String text = Files.readString(file);
        Map<String, Object> raw =
                (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        Map<String, Object> model = (Map<String, Object>) raw.get("model");
        List<String> namespaces = (List<String>) model.get("namespaces");
        List<String> pods = (List<String>) model.get("pods");
        // Substitute the symbolic IP tokens in the text, then parse again (README section 5).
        String substituted = text.replace("{hostMask}", "32");
        for (String ns : namespaces) {
            for (String p : pods) {
                substituted = substituted.replace("{podIP:" + ns + "/" + p + "}", ip(namespaces, pods, ns + "/" + p));
            }
        }
        raw = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(substituted);
        List<Step> steps = new ArrayList<>();
        Map<String, Map<String, String>> nsLabels = defaultNamespaceLabels(namespaces);
        Map<String, Map<String, String>> podLabels = defaultPodLabels(namespaces, pods);
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
        return new NetpolVector(
                (String) raw.get("id"),
                namespaces,
                pods,
                (List<Map<String, Object>>) model.get("container_ports"),
                steps);
    }

    private static Map<String, Map<String, String>> defaultNamespaceLabels(List<String> namespaces) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String ns : namespaces) {
            out.put(ns, Map.of("kubernetes.io/metadata.name", ns));
        }
        return out;
    }

    private static Map<String, Map<String, String>> defaultPodLabels(List<String> namespaces, List<String> pods) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String ns : namespaces) {
            for (String p : pods) {
                out.put(ns + "/" + p, Map.of("pod", p));
            }
        }
        return out;
    }

    public static List<Path> all() throws IOException {
        Path dir = dev.tortie.engine.SharedFiles.vectors("k8s-netpol-e2e");
        try (var stream = Files.list(dir)) {
            return stream.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
