package dev.tortie.engine.analysis;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IpSetDefinition;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a change does to traffic: every (source, destination, port) whose verdict differs between two cluster
 * models. Only endpoints whose program or referenced IP-set membership changed are re-evaluated, so a one-policy
 * change in a big cluster costs little.
 *
 * <p>Ports considered for a destination: its declared container ports plus every numeric port the rules of either
 * model mention for it (a rule about port 443 matters even if no container declares it).
 */
public final class ImpactAnalyzer {
    private ImpactAnalyzer() {}

    public static List<VerdictChange> diff(ClusterIndex before, ClusterIndex after) {
        Set<String> changedIngress = new TreeSet<>();
        Set<String> changedEgress = new TreeSet<>();
        Set<String> keys = new TreeSet<>();
        before.endpoints().forEach(e -> keys.add(e.key()));
        after.endpoints().forEach(e -> keys.add(e.key()));
        for (String key : keys) {
            Endpoint b = lookup(before, key);
            Endpoint a = lookup(after, key);
            if (b == null || a == null || !b.ips().equals(a.ips()) || !b.ports().equals(a.ports())) {
                changedIngress.add(key);
                changedEgress.add(key);
                continue;
            }
            if (programChanged(before, after, b, a, Direction.INGRESS)) {
                changedIngress.add(key);
            }
            if (programChanged(before, after, b, a, Direction.EGRESS)) {
                changedEgress.add(key);
            }
        }
        List<VerdictChange> out = new ArrayList<>();
        Tracer tb = new Tracer(before);
        Tracer ta = new Tracer(after);
        Set<List<String>> pairs = new LinkedHashSet<>();
        for (String src : changedEgress) {
            for (String dst : keys) {
                pairs.add(List.of(src, dst));
            }
        }
        for (String dst : changedIngress) {
            for (String src : keys) {
                pairs.add(List.of(src, dst));
            }
        }
        for (List<String> pair : pairs) {
            String src = pair.get(0);
            String dst = pair.get(1);
            if (src.equals(dst)) {
                continue;
            }
            Endpoint sb = lookup(before, src);
            Endpoint db = lookup(before, dst);
            Endpoint sa = lookup(after, src);
            Endpoint da = lookup(after, dst);
            for (PortKey port : ports(before, after, db, da)) {
                Verdict vb = verdict(tb, sb, db, port, null);
                String[] deciding = new String[1];
                Verdict va = verdict(ta, sa, da, port, deciding);
                if (!Objects.equals(vb, va)) {
                    if (deciding[0] == null) {
                        verdict(tb, sb, db, port, deciding);
                    }
                    Endpoint from = sa != null ? sa : sb;
                    Endpoint to = da != null ? da : db;
                    out.add(new VerdictChange(
                            src, workload(from), dst, workload(to), port.port(), port.protocol(), vb, va, deciding[0]));
                }
            }
        }
        out.sort(Comparator.comparing(VerdictChange::to)
                .thenComparing(VerdictChange::from)
                .thenComparing(VerdictChange::port));
        return out;
    }

    private record PortKey(int port, Protocol protocol) {}

    private static Endpoint lookup(ClusterIndex index, String key) {
        int slash = key.indexOf('/');
        return index.endpoint(key.substring(0, slash), key.substring(slash + 1));
    }

    private static String workload(Endpoint e) {
        return e.workload() == null ? null : e.namespace() + "/" + e.workload();
    }

    private static Verdict verdict(Tracer tracer, Endpoint src, Endpoint dst, PortKey port, String[] deciding) {
        if (src == null || dst == null || src.primaryIp() == null || dst.primaryIp() == null) {
            return null;
        }
        FlowTrace t = tracer.trace(FlowEnd.of(src), FlowEnd.of(dst), port.protocol(), port.port());
        if (deciding != null) {
            var side = t.denyingSide();
            if (side == null) {
                side = t.ingress().isolated() || t.egress() == null ? t.ingress() : t.egress();
            }
            deciding[0] = side.decision().ruleId();
        }
        return t.verdict();
    }

    private static boolean programChanged(
            ClusterIndex before, ClusterIndex after, Endpoint b, Endpoint a, Direction direction) {
        EndpointProgram pb = before.program(b, direction);
        EndpointProgram pa = after.program(a, direction);
        if (!pb.equals(pa)) {
            return true;
        }
        for (IpSetDefinition set : pb.ipSets()) {
            if (!before.ipSetMembers(set.id()).equals(after.ipSetMembers(set.id()))) {
                return true;
            }
        }
        return false;
    }

    private static Set<PortKey> ports(ClusterIndex before, ClusterIndex after, Endpoint db, Endpoint da) {
        Set<PortKey> out = new LinkedHashSet<>();
        for (Endpoint e : new Endpoint[] {db, da}) {
            if (e == null) {
                continue;
            }
            for (ContainerPort p : e.ports()) {
                out.add(new PortKey(p.port(), p.protocol()));
            }
        }
        for (ClusterIndex index : new ClusterIndex[] {before, after}) {
            Endpoint e = index == before ? db : da;
            if (e == null) {
                continue;
            }
            addRulePorts(index.program(e, Direction.INGRESS), out);
        }
        if (out.isEmpty()) {
            out.add(new PortKey(80, Protocol.TCP));
        }
        return out;
    }

    private static void addRulePorts(EndpointProgram program, Set<PortKey> out) {
        for (IrTier tier : program.tiers()) {
            for (IrPolicy policy : tier.policies()) {
                for (IrRule rule : policy.rules()) {
                    Protocol protocol = Protocol.TCP;
                    for (Match m : rule.matches()) {
                        if (m instanceof Match.ProtocolIs p && !p.negated()) {
                            protocol = p.protocol();
                        }
                    }
                    if (!protocol.supportsPorts()) {
                        continue;
                    }
                    for (Match m : rule.matches()) {
                        if (m instanceof Match.Ports ports && !ports.negated()) {
                            for (PortSpec r : ports.ranges()) {
                                out.add(new PortKey(r.min(), protocol));
                            }
                        }
                    }
                }
            }
        }
    }
}
