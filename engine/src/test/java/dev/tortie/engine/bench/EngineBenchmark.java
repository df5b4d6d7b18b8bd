package dev.tortie.engine.bench;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The engine benchmark (run by scripts/bench-engine): generated clusters at the sizes the issue names; load (YAML
 * parse + conversion) + index + compile of every endpoint's programs; incremental relabel and its baseline (rebuilding
 * the index from scratch) in the same run; trace latency; heap after a full GC.
 *
 * <p>Arguments: {@code PODS:POLICIES ...} (default 10000:1000 100000:2000).
 */
public final class EngineBenchmark {
    private EngineBenchmark() {}

    public static void main(String[] args) {
        List<String> sizes = args.length == 0 ? List.of("10000:1000", "100000:2000") : Arrays.asList(args);
        System.out.printf(
                "java %s, %d cpus, max heap %d MiB%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        for (String size : sizes) {
            String[] parts = size.split(":");
            run(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }

    static void run(int podCount, int policyCount) {
        System.out.printf("%n== %d endpoints, %d policies ==%n", podCount, policyCount);
        ClusterGenerator generator = new ClusterGenerator(podCount, policyCount, 42);
        String text = generator.manifests();
        System.out.printf("manifests: %.1f MiB of YAML%n", text.length() / 1048576.0);

        long t0 = System.nanoTime();
        LoadResult loaded = ManifestLoader.load("generated.yaml", text);
        long t1 = System.nanoTime();
        if (loaded.hasErrors()) {
            throw new IllegalStateException(
                    "generated manifests have errors: " + loaded.errors().get(0));
        }
        ClusterState state = loaded.applyTo(ClusterState.builder()).build();
        ClusterIndex index = ClusterIndex.of(state);
        long t2 = System.nanoTime();
        NodeProgram all = index.nodeProgram(null);
        long t3 = System.nanoTime();
        int rules = 0;
        for (var e : all.endpoints()) {
            rules += ruleCount(e.ingress()) + ruleCount(e.egress());
        }
        System.out.printf("load (parse+convert): %8.0f ms%n", ms(t1 - t0));
        System.out.printf(
                "index (selectors, policies, IP sets): %8.0f ms  (%d selectors, %d IP sets)%n",
                ms(t2 - t1), index.selectorCount(), index.ipSets().size());
        System.out.printf(
                "compile all programs: %8.0f ms  (%d endpoints, %d rule references, %d IP sets used)%n",
                ms(t3 - t2), all.endpoints().size(), rules, all.ipSets().size());
        System.out.printf("TOTAL load+compile:   %8.0f ms%n", ms(t3 - t0));
        all = null;

        // Relabel one pod: incremental update of the live index, vs the baseline of rebuilding it from scratch.
        List<Endpoint> pods = new ArrayList<>(index.endpoints());
        Random random = new Random(7);
        long[] relabel = new long[301];
        for (int i = 0; i < relabel.length; i++) {
            Endpoint e = pods.get(random.nextInt(pods.size()));
            Map<String, String> labels = new HashMap<>(e.labels());
            labels.put("app", "app-" + random.nextInt(8));
            labels.put("version", "v" + random.nextInt(3));
            long s = System.nanoTime();
            index.upsertEndpoint(e.withLabels(labels));
            relabel[i] = System.nanoTime() - s;
        }
        long[] rebuild = new long[3];
        for (int i = 0; i < rebuild.length; i++) {
            long s = System.nanoTime();
            ClusterIndex.of(state);
            rebuild[i] = System.nanoTime() - s;
        }
        double relabelMedian = median(relabel) / 1000.0;
        double rebuildMedian = median(rebuild) / 1000.0;
        System.out.printf(
                "relabel one pod: median %.1f µs, p99 %.1f µs  (baseline full rebuild: %.0f ms, %.0fx)%n",
                relabelMedian, percentile(relabel, 99) / 1000.0, rebuildMedian / 1000.0, rebuildMedian / relabelMedian);

        // Trace random pod pairs on random ports, after a warm-up.
        pods = new ArrayList<>(index.endpoints());
        Tracer tracer = new Tracer(index);
        int[] ports = {8080, 9090, 53, 22};
        for (int i = 0; i < 20000; i++) {
            traceOne(tracer, pods, random, ports);
        }
        long[] trace = new long[20001];
        for (int i = 0; i < trace.length; i++) {
            long s = System.nanoTime();
            traceOne(tracer, pods, random, ports);
            trace[i] = System.nanoTime() - s;
        }
        System.out.printf(
                "trace one flow: median %.1f µs, p99 %.1f µs%n",
                median(trace) / 1000.0, percentile(trace, 99) / 1000.0);

        System.gc();
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("heap after GC (index live): %d MiB%n", used >> 20);
        if (index.endpoints().isEmpty()) {
            System.out.println("(empty)");
        }
    }

    private static void traceOne(Tracer tracer, List<Endpoint> pods, Random random, int[] ports) {
        Endpoint a = pods.get(random.nextInt(pods.size()));
        Endpoint b = pods.get(random.nextInt(pods.size()));
        tracer.trace(FlowEnd.of(a), FlowEnd.of(b), Protocol.TCP, ports[random.nextInt(ports.length)]);
    }

    private static int ruleCount(dev.tortie.engine.ir.EndpointProgram p) {
        int n = 0;
        for (var t : p.tiers()) {
            for (var pol : t.policies()) {
                n += pol.rules().size();
            }
        }
        return n;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(long[] values) {
        return percentile(values, 50);
    }

    private static double percentile(long[] values, int pct) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(pct / 100.0 * sorted.length) - 1)];
    }
}
