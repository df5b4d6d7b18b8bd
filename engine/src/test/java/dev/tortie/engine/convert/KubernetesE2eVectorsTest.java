package dev.tortie.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tortie.engine.load.Diagnostic;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Every NetworkPolicy in shared/vectors/k8s-netpol-e2e converts without a diagnostic. */
class KubernetesE2eVectorsTest {
    private static Path vectorDir() {
        String shared = System.getProperty("tortie.shared");
        Path dir = shared == null || shared.isBlank() ? Path.of("../../shared") : Path.of(shared);
        return dir.resolve("vectors/k8s-netpol-e2e");
    }

    /** The vectors' symbolic pod IPs, replaced by dummy values before loading (README section 5). */
    private static String substitute(String text) {
        return text.replaceAll("\\{podIP:[a-z]+/[a-z]+\\}", "10.65.0.11").replace("{hostMask}", "32");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> policies(Path file) throws IOException {
        String text = substitute(Files.readString(file, StandardCharsets.UTF_8));
        Map<String, Object> vector = (Map<String, Object>)
                new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromString(text);
        return ((List<Map<String, Object>>) vector.get("steps"))
                .stream()
                        .flatMap(
                                step -> ((List<Map<String, Object>>) step.getOrDefault("policies", List.of())).stream())
                        .toList();
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(vectorDir())) {
            return list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPolicyConverts() throws IOException {
        return files().stream()
                .map(file -> dynamicTest(file.getFileName().toString(), () -> {
                    List<Map<String, Object>> policies = policies(file);
                    for (int i = 0; i < policies.size(); i++) {
                        Converted<Policy> converted = KubernetesPolicyConverter.convert(
                                policies.get(i),
                                new ObjectSource(file.getFileName().toString(), i + 1, 0));
                        assertThat(converted.diagnostics())
                                .extracting(Diagnostic::toString)
                                .isEmpty();
                        assertThat(converted.value()).isNotNull();
                        Policy policy = converted.value();
                        assertThat(policy.tier()).isEqualTo("default");
                        assertThat(policy.order()).isEqualTo(1000.0);
                        for (Rule rule : policy.ingress()) {
                            assertThat(rule.origin()).startsWith("ingress[");
                        }
                        for (Rule rule : policy.egress()) {
                            assertThat(rule.origin()).startsWith("egress[");
                        }
                    }
                }));
    }

    @Test
    void vectorsArePresent() throws IOException {
        assertThat(files()).hasSizeGreaterThanOrEqualTo(30);
        long total = 0;
        for (Path file : files()) {
            total += policies(file).size();
        }
        assertThat(total).isGreaterThan(30);
    }

    @Test
    void exceptClauseWithNonCanonicalCidrConverts() throws IOException {
        Path file = vectorDir().resolve("should-allow-egress-access-to-server-in-cidr-block.yaml");
        Policy policy = KubernetesPolicyConverter.convert(policies(file).get(0), ObjectSource.UNKNOWN)
                .value();
        assertThat(policy.egress()).hasSize(1);
        assertThat(policy.egress().get(0).destination().nets())
                .extracting(Object::toString)
                .containsExactly("10.65.0.11/32");
        assertThat(policy.appliesToEgress()).isTrue();
        assertThat(policy.appliesToIngress()).isFalse();
    }
}
