package dev.tortie.shell.command;

import dev.tortie.shell.agent.AgentAccess;
import dev.tortie.shell.agent.AgentProcess;
import dev.tortie.shell.agent.Dataplanes;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.io.File;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "agent",
        description = {
            "Run the node agent: watch the API server, compile the program for this node's pods and enforce it with",
            "the chosen dataplane, coalescing bursts, retrying failures (the last good state stays in force) and",
            "repairing drift every refresh. Runs until interrupted; kernel state is left in place for the next agent",
            "(--remove-on-exit removes it; --uninstall only removes it). Serves /healthz, /readyz, /metrics",
            "(Prometheus), /flows and /kernel on --metrics-port; the shell's 'flows' and 'node check' read them.",
            "Reads the cluster from --kubeconfig/--context, else $KUBECONFIG or ~/.kube/config, else the pod's",
            "service account (as a DaemonSet)."
        },
        mixinStandardHelpOptions = true)
public final class AgentCommand extends BaseCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name (spec.nodeName).")
    String node;

    @Option(
            names = "--dataplane",
            paramLabel = "iptables|bpf",
            description = "How to enforce: iptables (+ipset, default) or bpf (tc programs on tcx links).")
    String dataplane = Dataplanes.IPTABLES;

    @Option(
            names = "--interface-prefix",
            paramLabel = "cali|eni",
            description = "Pods' host-side interfaces: cali (Calico CNI, default) or eni (AWS VPC CNI on EKS).")
    String interfacePrefix = "cali";

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: $KUBECONFIG).")
    File kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current one).")
    String context;

    @Option(
            names = "--netns",
            paramLabel = "NS",
            description = "Program the firewall of this named network namespace instead of the agent's own.")
    String netns;

    @Option(
            names = "--bpf-pin-dir",
            paramLabel = "DIR",
            description =
                    "With --dataplane bpf: tortie's own directory on a bpf filesystem (default /sys/fs/bpf/tortie).")
    java.nio.file.Path bpfPinDir = java.nio.file.Path.of("/sys/fs/bpf/tortie");

    @Option(names = "--refresh", paramLabel = "SECONDS", description = "Drift-repair interval (default 10).")
    double refreshSeconds = 10;

    @Option(names = "--once", description = "Program the node once, then exit.")
    boolean once;

    @Option(names = "--remove-on-exit", description = "Remove everything the dataplane programmed when stopping.")
    boolean removeOnExit;

    @Option(
            names = "--uninstall",
            description = "Remove every kernel object tortie owns on this node (iptables chains and sets, eBPF programs"
                    + " and maps), then exit. Needs no API server.")
    boolean uninstall;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Port of /healthz, /readyz, /metrics, /flows and /kernel (default 9464; 0: off).")
    int metricsPort = AgentAccess.DEFAULT_PORT;

    @Option(
            names = "--metrics-address",
            paramLabel = "ADDR",
            description = "Address that port binds (default 0.0.0.0: every interface; 127.0.0.1: this host only).")
    String metricsAddress = "0.0.0.0";

    public AgentCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        if (refreshSeconds <= 0) {
            throw TortieException.usage("--refresh must be positive");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw TortieException.usage("--metrics-port must be 0-65535");
        }
        AgentProcess.run(
                new AgentProcess.Settings(
                        node,
                        dataplane,
                        interfacePrefix,
                        kubeconfig,
                        context,
                        netns,
                        bpfPinDir,
                        Duration.ofMillis((long) (refreshSeconds * 1000)),
                        once,
                        removeOnExit,
                        metricsAddress,
                        metricsPort,
                        uninstall),
                this::log);
        return 0;
    }

    private void log(String line) {
        session.err().println(LocalTime.now().format(TIME) + " agent " + node + ": " + line);
        session.err().flush();
    }
}
