package dev.tortie.dataplane.flowlog;

import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.dataplane.bpf.BpfTesting;
import dev.tortie.dataplane.bpf.SharedMaps;
import dev.tortie.dataplane.bpf.sys.BpfFs;
import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.lab.LabNetwork;
import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.PodSpec;
import dev.tortie.dataplane.lab.RunPrefix;
import dev.tortie.dataplane.os.Privileged;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.load.LoadResult;
import dev.tortie.engine.load.ManifestLoader;
import dev.tortie.engine.load.SourceText;
import dev.tortie.engine.model.ClusterState;
import dev.tortie.engine.model.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A lab node for the flow-log tests: a scenario's pods in a {@link LabNetwork}, one dataplane (iptables or bpf, with a
 * bpffs mounted for tortie alone) programmed with the scenario's node program, and its flow log started. Closing removes
 * the kernel state, stops the flow log, deletes the namespaces and unmounts the bpffs, also after a failure half-way.
 */
final class FlowLab implements AutoCloseable {
    final String backend;
    final ClusterIndex index;
    final LabNetwork lab;
    final Map<String, LabPod> pods = new LinkedHashMap<>();
    final Dataplane dataplane;
    final FlowLog log;
    private final Path bpffs;

    private FlowLab(String backend, ClusterIndex index, LabNetwork lab, Dataplane dataplane, FlowLog log, Path bpffs) {
        this.backend = backend;
        this.index = index;
        this.lab = lab;
        this.dataplane = dataplane;
        this.log = log;
        this.bpffs = bpffs;
    }

    /** Skips (or in CI fails) unless this machine can run the backend. */
    static void requireCapabilities(String backend) {
        Privileged.requireNetns();
        if (backend.equals("bpf")) {
            BpfTesting.requireTcx();
        } else {
            BpfTesting.require(
                    Files.isExecutable(Path.of("/usr/sbin/iptables-nft-restore"))
                                    || Files.isExecutable(Path.of("/sbin/iptables-nft-restore"))
                            ? null
                            : "iptables-nft-restore not installed",
                    "iptables-nft");
        }
    }

    /** The scenario of examples/NAME, loaded as the shell loads a snapshot. */
    static ClusterIndex scenario(String name) throws IOException {
        Path dir = projectRoot().resolve("examples").resolve(name);
        List<SourceText> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                texts.add(new SourceText(name + "/" + f.getFileName(), Files.readString(f)));
            }
        }
        LoadResult result = ManifestLoader.load(texts);
        if (!result.errors().isEmpty()) {
            throw new IllegalStateException("errors loading " + name + ": " + result.errors());
        }
        return ClusterIndex.of(result.applyTo(ClusterState.builder()).build());
    }

    private static Path projectRoot() {
        String root = System.getProperty("tortie.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    static FlowLab start(String backend, ClusterIndex index, DataplaneConfig.Builder config, SharedMaps.Sizes sizes)
            throws IOException {
        LabNetwork lab = LabNetwork.create(ProcessRunner.INSTANCE, RunPrefix.create());
        Path bpffs = null;
        Dataplane dp = null;
        try {
            List<PodSpec> specs = new ArrayList<>();
            for (Endpoint e : index.endpoints()) {
                specs.add(new PodSpec(e.namespace(), e.name(), e.primaryIp(), e.ports()));
            }
            List<LabPod> added = lab.addPods(specs);
            DataplaneConfig cfg =
                    config.interfacePrefixes(lab.interfacePrefix()).build();
            if (backend.equals("bpf")) {
                bpffs = Files.createTempDirectory("tortie-flowlog-bpffs-");
                BpfFs.mount(bpffs);
                dp = new BpfDataplane(
                        cfg,
                        BpfDataplane.Options.of(bpffs.resolve("tortie"), lab.nodeNamespace())
                                .withSizes(sizes));
            } else {
                dp = new IptablesDataplane(lab.nodeRunner(), cfg, lab.nodeNamespace());
            }
            FlowLog log = dp.flowLog().start();
            FlowLab node = new FlowLab(backend, index, lab, dp, log, bpffs);
            for (LabPod p : added) {
                node.pods.put(p.key(), p);
            }
            dp.apply(index.nodeProgram(null));
            return node;
        } catch (RuntimeException | IOException | Error e) {
            cleanUp(dp, lab, bpffs, e);
            throw e;
        }
    }

    LabPod pod(String key) {
        LabPod p = pods.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no pod " + key + " in " + pods.keySet());
        }
        return p;
    }

    Endpoint endpoint(String key) {
        return index.endpoints().stream()
                .filter(e -> e.key().equals(key))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        cleanUp(dataplane, lab, bpffs, null);
    }

    private static void cleanUp(Dataplane dp, LabNetwork lab, Path bpffs, Throwable failure) {
        List<Runnable> steps = new ArrayList<>();
        if (dp != null) {
            steps.add(() -> dp.flowLog().close());
            steps.add(dp::remove);
        }
        steps.add(lab::close);
        if (bpffs != null) {
            steps.add(() -> {
                if (BpfFs.isMountPoint(bpffs)) {
                    BpfFs.unmount(bpffs);
                }
                try {
                    Files.deleteIfExists(bpffs);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
