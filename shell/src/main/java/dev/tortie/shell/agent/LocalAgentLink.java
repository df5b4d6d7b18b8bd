package dev.tortie.shell.agent;

import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.dataplane.flowlog.FlowQuery;
import java.util.Objects;

/** An agent running in this process (the lab's): flows straight from its flow log, the kernel read here. */
public final class LocalAgentLink implements AgentLink {
    private final NodeAgent agent;
    private final KernelReader reader;

    public LocalAgentLink(NodeAgent agent, KernelReader reader) {
        this.agent = Objects.requireNonNull(agent, "agent == null");
        this.reader = Objects.requireNonNull(reader, "reader == null");
    }

    @Override
    public String node() {
        return agent.options().node();
    }

    @Override
    public Flows flows(FlowQuery query) {
        FlowLog log = agent.flowLog();
        return new Flows(node(), log.query(query), FlowsJson.statsTree(log.stats(), agent.flowLogProblem()));
    }

    @Override
    public KernelState kernel() {
        return reader.read();
    }
}
