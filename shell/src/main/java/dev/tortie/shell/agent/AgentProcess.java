package dev.tortie.shell.agent;

import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            boolean removeOnExit) {}

    private AgentProcess() {}

    /** Runs the agent; returns when it was stopped (or after one apply with {@code once}). */
    public static void run(Settings s, Consumer<String> log) {
        Dataplanes.check(s.dataplane());
        Dataplanes.checkInterfacePrefix(s.interfacePrefix());
        CommandRunner runner = s.netns() == null ? ProcessRunner.INSTANCE : ProcessRunner.INSTANCE.inNetns(s.netns());
        Dataplane dp = Dataplanes.create(s.dataplane(), runner, s.netns(), s.interfacePrefix(), s.bpfPinDir());
        NodeAgent.Options options =
                NodeAgent.Options.defaults(s.node()).withRefresh(s.refresh()).withVerbose(true);
        KubernetesClient client = client(s);
        NodeAgent agent;
        try {
            log.accept("starting: node " + s.node() + ", " + s.dataplane() + " dataplane"
                    + (s.netns() == null ? "" : " in netns " + s.netns()) + ", API " + client.getMasterUrl());
            agent = NodeAgent.start(client, dp, options, log);
        } catch (KubernetesClientException e) {
            client.close();
            throw TortieException.cluster("agent: cannot watch the API server: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        try {
            if (s.once()) {
                if (!agent.awaitConverged(Duration.ofMinutes(5))) {
                    throw TortieException.cluster("agent: the node was not programmed: " + agent.lastError(), null);
                }
                log.accept("programmed once; exiting");
                stop(agent, client, s, log);
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
                stop(agent, client, s, log);
            } finally {
                stopped.countDown();
            }
        } catch (RuntimeException e) {
            stop(agent, client, s, log);
            throw e;
        }
    }

    private static void stop(NodeAgent agent, KubernetesClient client, Settings s, Consumer<String> log) {
        agent.close(s.removeOnExit());
        client.close();
        log.accept("stopped" + (s.removeOnExit() ? " (kernel state removed)" : " (kernel state left in force)"));
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
