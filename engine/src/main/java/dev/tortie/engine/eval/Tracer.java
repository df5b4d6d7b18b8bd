package dev.tortie.engine.eval;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Traces flows: the source endpoint's egress program and the destination endpoint's ingress program, each run over
 * the same IR the dataplane enforces. An address outside the cluster is only evaluated on the side that is a cluster
 * endpoint.
 */
public final class Tracer {
    private final ClusterIndex index;

    public Tracer(ClusterIndex index) {
        this.index = index;
    }

    /** Resolves an address to the endpoint that owns it, if any. */
    public FlowEnd resolve(IpAddress address) {
        List<Endpoint> owners = index.endpointsWithIp(address);
        return owners.isEmpty() ? FlowEnd.external(address) : new FlowEnd(owners.get(0), address);
    }

    public FlowTrace trace(FlowEnd source, FlowEnd destination, Protocol protocol, int port) {
        return trace(source, destination, Packet.of(source.address(), destination.address(), protocol, port));
    }

    public FlowTrace traceIcmp(FlowEnd source, FlowEnd destination, Protocol protocol, int type, int code) {
        return trace(source, destination, Packet.icmp(source.address(), destination.address(), protocol, type, code));
    }

    public FlowTrace trace(FlowEnd source, FlowEnd destination, Packet packet) {
        List<String> notes = new ArrayList<>();
        DirectionTrace egress = null;
        DirectionTrace ingress = null;
        if (source.inCluster()) {
            EndpointProgram program = index.program(source.endpoint(), Direction.EGRESS);
            egress = ProgramEvaluator.evaluate(program, packet, index);
        } else {
            notes.add("source " + source.address() + " is outside the cluster: only the destination's ingress applies");
        }
        if (destination.inCluster()) {
            EndpointProgram program = index.program(destination.endpoint(), Direction.INGRESS);
            ingress = ProgramEvaluator.evaluate(program, packet, index);
        } else {
            notes.add("destination " + destination.address()
                    + " is outside the cluster: only the source's egress applies");
        }
        if (source.inCluster()
                && destination.inCluster()
                && source.endpoint().key().equals(destination.endpoint().key())) {
            notes.add(
                    "a pod talking to itself: Kubernetes leaves this unspecified and most dataplanes do not police it");
        }
        Verdict verdict = (egress == null || egress.verdict() == Verdict.ALLOW)
                        && (ingress == null || ingress.verdict() == Verdict.ALLOW)
                ? Verdict.ALLOW
                : Verdict.DENY;
        return new FlowTrace(source, destination, packet.protocol(), packet.dstPort(), verdict, egress, ingress, notes);
    }
}
