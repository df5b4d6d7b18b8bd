package dev.tortie.shell.agent;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code tortie agent} as a process: builds the client from a kubeconfig (or the pod's service account), the dataplane
 * for this node, runs the {@link NodeAgent} until the JVM is asked to stop, and stops it cleanly from the shutdown hook.
 * Kept apart from the command class so the shell loads no Kubernetes client classes unless an agent really runs.
 */
public final class AgentProcess {
    /**
     * What {@code tortie agent} was asked to do.
     *
     * @param kubeconfig a kubeconfig file, or null for $KUBECONFIG / ~/.kube/config / the in-cluster service account
     * @param context a kubeconfig context, or null for the current one
     * @param netns the named network namespace to program, or null for the agent's own
     * @param once program the node once, then return
     * @param removeOnExit remove the kernel state when stopping
     * @param metricsAddress the address the HTTP endpoint binds ({@code 0.0.0.0}: every interface)
     * @param metricsPort its port; 0 turns the endpoint off
     * @param uninstall remove every kernel object tortie owns on this node (both dataplanes), then return
     */
    public record Settings(
            String node,
            String dataplane,
            String interfacePrefix,
            File kubeconfig,
            String context,
            String netns,
            Path bpfPinDir,
            Duration refresh,
            boolean once,
            boolean removeOnExit,
            String metricsAddress,
            int metricsPort,
            boolean uninstall) {}

    private AgentProcess() {}

    /** Runs the agent; returns when it was stopped (or after one apply with {@code once}). */
    public static void run(Settings s, Consumer<String> log) {
        Dataplanes.check(s.dataplane());
        Dataplanes.checkInterfacePrefix(s.interfacePrefix());
        CommandRunner runner = s.netns() == null ? ProcessRunner.INSTANCE : ProcessRunner.INSTANCE.inNetns(s.netns());
        if (s.uninstall()) {
            uninstall(s, runner, log);
            return;
        }
        Dataplane dp = Dataplanes.create(s.dataplane(), runner, s.netns(), s.interfacePrefix(), s.bpfPinDir());
        NodeAgent.Options options =
                NodeAgent.Options.defaults(s.node()).withRefresh(s.refresh()).withVerbose(true);
        AtomicReference<NodeAgent> running = new AtomicReference<>();
        KernelReader reader = new KernelReader(dp, runner, s.interfacePrefix());
        AgentServer server = null;
        if (s.metricsPort() > 0) {
            try {
                server = AgentServer.start(
                        new InetSocketAddress(s.metricsAddress(), s.metricsPort()),
                        running::get,
                        () -> running.get() == null ? null : reader.read());
            } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
                throw TortieException.usage("agent: --metrics-address/--metrics-port: " + e.getMessage());
            }
            log.accept("serving /healthz /readyz /metrics /flows /kernel on http://" + s.metricsAddress() + ":"
                    + server.port());
        }
        KubernetesClient client = client(s);
        NodeAgent agent;
        try {
            log.accept("starting: node " + s.node() + ", " + s.dataplane() + " dataplane"
                    + (s.netns() == null ? "" : " in netns " + s.netns()) + ", API " + client.getMasterUrl());
            agent = NodeAgent.start(client, dp, options, log);
            running.set(agent);
        } catch (KubernetesClientException e) {
            client.close();
            closeQuietly(server);
            throw TortieException.cluster("agent: cannot watch the API server: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            client.close();
            closeQuietly(server);
            throw e;
        }
        AgentServer http = server;
        try {
            if (s.once()) {
                if (!agent.awaitConverged(Duration.ofMinutes(5))) {
                    throw TortieException.cluster("agent: the node was not programmed: " + agent.lastError(), null);
                }
                log.accept("programmed once; exiting");
                stop(agent, client, http, s, log);
                return;
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stop.countDown();
                                try {
                                    stopped.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "tortie-agent-stop"));
            log.accept("running; interrupt to stop");
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                stop(agent, client, http, s, log);
            } finally {
                stopped.countDown();
            }
        } catch (RuntimeException e) {
            stop(agent, client, http, s, log);
            throw e;
        }
    }

    private static void stop(
            NodeAgent agent, KubernetesClient client, AgentServer server, Settings s, Consumer<String> log) {
        closeQuietly(server);
        agent.close(s.removeOnExit());
        client.close();
        log.accept("stopped" + (s.removeOnExit() ? " (kernel state removed)" : " (kernel state left in force)"));
    }

    private static void closeQuietly(AgentServer server) {
        if (server != null) {
            server.close();
        }
    }

    /**
     * {@code tortie agent --uninstall}: removes the iptables chains, rules and IP sets tortie owns (whichever iptables
     * backend holds them), and the eBPF links, programs and pinned maps under the pin directory when it exists. Needs
     * no API server. Policy stops being enforced on the node.
     */
    public static void uninstall(Settings s, CommandRunner runner, Consumer<String> log) {
        DataplaneConfig config = Dataplanes.config(s.interfacePrefix());
        List<String> failures = new ArrayList<>();
        try {
            ApplyReport r = new IptablesDataplane(runner, config, s.netns()).remove();
            log.accept("iptables: " + (r.changed() ? String.join("; ", r.changes()) : "nothing of tortie's found"));
        } catch (RuntimeException e) {
            failures.add("iptables: " + e.getMessage());
        }
        if (Files.isDirectory(s.bpfPinDir())) {
            if (Dataplanes.bpfUnsupported() != null) {
                failures.add("bpf: " + s.bpfPinDir() + " exists but " + Dataplanes.bpfUnsupported());
            } else {
                try {
                    ApplyReport r =
                            new BpfDataplane(config, BpfDataplane.Options.of(s.bpfPinDir(), s.netns())).remove();
                    log.accept("bpf: " + (r.changed() ? r.changeCount() + " object(s) removed" : "nothing to remove"));
                } catch (RuntimeException e) {
                    failures.add("bpf: " + e.getMessage());
                }
            }
        } else {
            log.accept("bpf: no pin directory " + s.bpfPinDir() + ", nothing to remove");
        }
        if (!failures.isEmpty()) {
            throw TortieException.cluster("agent --uninstall: " + String.join("; ", failures), null);
        }
        log.accept("uninstalled: node " + s.node() + " has no tortie kernel state");
    }

    private static KubernetesClient client(Settings s) {
        Config config;
        try {
            config = s.kubeconfig() != null
                    ? Config.fromKubeconfig(s.context(), s.kubeconfig())
                    : Config.autoConfigure(s.context());
        } catch (RuntimeException e) {
            throw TortieException.input("agent: cannot read the kubeconfig: " + e.getMessage());
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
