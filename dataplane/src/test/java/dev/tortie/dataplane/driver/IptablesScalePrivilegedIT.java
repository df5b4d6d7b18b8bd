package dev.tortie.dataplane.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.model.ClusterState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scale figures for the report: 200 pods in 20 namespaces, 1000 Kubernetes NetworkPolicies (each pod selected by five
 * ingress policies with a namespace+pod peer, a numeric and a named port, and by one egress policy with an ipBlock
 * except). Measures render, first apply, no-op re-apply, a one-policy change and a repair, with iptables-nft and
 * iptables-legacy, and writes them to target/iptables-scale-BACKEND.txt.
 */
class IptablesScalePrivilegedIT {
    static final int NAMESPACES = 20;
    static final int PODS_PER_NAMESPACE = 10;
    static final int POLICIES_PER_NAMESPACE = 50;

    static String manifests(int changedPolicyPort) {
        StringBuilder y = new StringBuilder();
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = String.format("ns-%02d", n);
            y.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ")
                    .append(ns)
                    .append("\n  labels:\n    team: t")
                    .append(n % 5)
                    .append("\n---\n");
            for (int p = 0; p < PODS_PER_NAMESPACE; p++) {
                y.append("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-")
                        .append(p)
                        .append("\n  namespace: ")
                        .append(ns)
                        .append("\n  labels:\n    app: app-")
                        .append(p)
                        .append("\n    role: r")
                        .append(p % 3)
                        .append("\nspec:\n  nodeName: node-1\n  containers:\n  - name: c\n    image: x\n    ports:\n")
                        .append("    - name: http\n      containerPort: 8080\n")
                        .append("status:\n  podIP: 10.66.")
                        .append(n)
                        .append('.')
                        .append(p + 10)
                        .append("\n---\n");
            }
            for (int k = 0; k < POLICIES_PER_NAMESPACE; k++) {
                int port = n == 0 && k == 0 ? changedPolicyPort : 8000 + k;
                y.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-")
                        .append(k)
                        .append("\n  namespace: ")
                        .append(ns)
                        .append("\nspec:\n  podSelector:\n    matchLabels:\n      app: app-")
                        .append(k % 10)
                        .append("\n  policyTypes: [Ingress")
                        .append(k % 5 == 0 ? ", Egress]" : "]")
                        .append(
                                "\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: t")
                        .append(k % 5)
                        .append("\n      podSelector:\n        matchLabels:\n          role: r")
                        .append(k % 3)
                        .append("\n    ports:\n    - port: ")
                        .append(port)
                        .append("\n    - port: http\n");
                if (k % 5 == 0) {
                    y.append("  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.66.")
                            .append(k % 20)
                            .append(".0/24, 10.66.")
                            .append((k + 1) % 20)
                            .append(".0/24]\n")
                            .append("    ports:\n    - port: 443\n");
                }
                y.append("---\n");
            }
        }
        return y.toString();
    }

    static ClusterIndex index(int changedPolicyPort) {
        LoadResult result = ManifestLoader.load("scale.yaml", manifests(changedPolicyPort));
        assertThat(result.errors()).isEmpty();
        return ClusterIndex.of(result.applyTo(ClusterState.builder()).build());
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void scale(IptablesBackend backend) throws IOException {
        PrivilegedNetns.assumeCapable(backend.saveBinary(), "ipset");
        Map<String, String> figures = new TreeMap<>();
        NodeProgram program = index(8000).nodeProgram(null);
        NodeProgram changed = index(7999).nodeProgram(null);
        DataplaneConfig config = DataplaneConfig.builder()
                .iptablesMode(
                        backend == IptablesBackend.NFT
                                ? DataplaneConfig.IptablesMode.NFT
                                : DataplaneConfig.IptablesMode.LEGACY)
                .build();

        IptablesDataplane.render(program, config); // warm up
        long t0 = System.nanoTime();
        IptablesDataplane.Rendering rendering = IptablesDataplane.render(program, config);
        figures.put("render ms", ms(System.nanoTime() - t0));
        figures.put("chains", Integer.toString(rendering.ruleset().chains().size()));
        figures.put("rules", Integer.toString(rendering.ruleset().ruleCount()));
        figures.put("sets", Integer.toString(rendering.sets().sets().size()));
        figures.put("set members", Integer.toString(rendering.sets().memberCount()));
        figures.put(
                "restore text KiB",
                Integer.toString(rendering.ruleset().toRestoreText().length() / 1024));
        figures.put("endpoints", Integer.toString(program.endpoints().size()));

        try (PrivilegedNetns ns = PrivilegedNetns.create("scale")) {
            Map<String, Long> commandNanos = new TreeMap<>();
            CommandRunner inner = ns.runner();
            CommandRunner timed = (argv, stdin, timeout) -> {
                long s = System.nanoTime();
                CommandResult r = inner.run(argv, stdin, timeout);
                String tool = argv.get(0) + (argv.get(0).equals("ipset") ? " " + argv.get(1) : "");
                commandNanos.merge(tool, System.nanoTime() - s, Long::sum);
                return r;
            };
            IptablesDataplane dp = new IptablesDataplane(timed, config);

            ApplyReport first = dp.apply(program);
            figures.put("first apply ms (total)", ms(first.elapsed().toNanos()));
            commandNanos.forEach((tool, nanos) -> figures.put("first apply ms: " + tool, ms(nanos)));

            ApplyReport noop = dp.apply(program);
            assertThat(noop.changed()).isFalse();
            figures.put("no-op apply ms (read back + plan)", ms(noop.elapsed().toNanos()));

            ApplyReport delta = dp.apply(changed);
            figures.put("one-policy change ms", ms(delta.elapsed().toNanos()));
            figures.put("one-policy change: changes", Integer.toString(delta.changeCount()));

            String victim = dp.desired().ruleset().chains().get(5).name();
            ns.exec(backend == IptablesBackend.NFT ? "iptables-nft" : "iptables-legacy", "-F", victim);
            ApplyReport repair = dp.reconcile();
            assertThat(repair.changes()).containsExactly("chain " + victim + " rewritten");
            figures.put("repair one flushed chain ms", ms(repair.elapsed().toNanos()));

            assertThat(first.elapsed().toSeconds()).isLessThan(120);
            dp.remove();
        }
        StringBuilder sb = new StringBuilder("iptables scale figures, backend " + backend + "\n");
        figures.forEach((k, v) -> sb.append(String.format("  %-40s %s%n", k, v)));
        System.out.print(sb);
        Path out = Path.of("target", "iptables-scale-" + backend.name().toLowerCase(java.util.Locale.ROOT) + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}
