package dev.tortie.shell.command;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.eval.FlowEnd;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.eval.Tracer;
import dev.tortie.engine.eval.Verdict;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.Protocol;
import dev.tortie.shell.session.ExitCode;
import java.util.ArrayList;
import java.util.List;

/** Expands source and destination targets into flows and traces them; unresolvable pairs are kept with a reason. */
public final class Flows {
    private Flows() {}

    /** A traced flow, or (trace null) a pair that could not be evaluated and why. */
    public record Result(String from, String to, int port, Protocol protocol, FlowTrace trace, String problem) {
        public String verdictName() {
            return trace == null ? "unknown" : trace.verdict().lowerName();
        }
    }

    public static List<Result> trace(
            ClusterIndex index, Targets.Target src, Targets.Target dst, FlowSpec spec, int icmpType, int icmpCode) {
        Tracer tracer = new Tracer(index);
        List<FlowEnd> sources = ends(src);
        List<FlowEnd> destinations = ends(dst);
        List<Result> out = new ArrayList<>();
        List<String> missingSources = missing(src);
        List<String> missingDestinations = missing(dst);
        for (String s : missingSources) {
            out.add(new Result(
                    s,
                    dst.text(),
                    Math.max(spec.numericPort(), 0),
                    spec.protocol(),
                    null,
                    "pod " + s + " has no IP address yet"));
        }
        for (String d : missingDestinations) {
            out.add(new Result(
                    src.text(),
                    d,
                    Math.max(spec.numericPort(), 0),
                    spec.protocol(),
                    null,
                    "pod " + d + " has no IP address yet"));
        }
        for (FlowEnd from : sources) {
            for (FlowEnd to : destinations) {
                if (from.inCluster()
                        && to.inCluster()
                        && from.endpoint().key().equals(to.endpoint().key())
                        && (sources.size() > 1 || destinations.size() > 1)) {
                    continue; // a group traced against itself: self-pairs are unspecified and only add noise
                }
                if (spec.protocol().isIcmp()) {
                    FlowTrace t = tracer.traceIcmp(from, to, spec.protocol(), icmpType, icmpCode);
                    out.add(new Result(from.name(), to.name(), 0, spec.protocol(), t, null));
                    continue;
                }
                int port = spec.numericPort();
                if (spec.isNamedPort()) {
                    port = namedPort(to, spec.port(), spec.protocol());
                    if (port < 0) {
                        out.add(new Result(
                                from.name(),
                                to.name(),
                                0,
                                spec.protocol(),
                                null,
                                to.inCluster()
                                        ? "pod " + to.name() + " declares no " + spec.protocol() + " port named '"
                                                + spec.port() + "'"
                                        : "named port '" + spec.port() + "' needs a destination pod, not an address"));
                        continue;
                    }
                }
                FlowTrace t = tracer.trace(from, to, spec.protocol(), port);
                out.add(new Result(from.name(), to.name(), port, spec.protocol(), t, null));
            }
        }
        return out;
    }

    private static List<FlowEnd> ends(Targets.Target t) {
        if (t.isExternal()) {
            return List.of(FlowEnd.external(t.external()));
        }
        List<FlowEnd> out = new ArrayList<>();
        for (Endpoint e : t.endpoints()) {
            FlowEnd end = Targets.endOf(e);
            if (end != null) {
                out.add(end);
            }
        }
        return out;
    }

    private static List<String> missing(Targets.Target t) {
        List<String> out = new ArrayList<>();
        for (Endpoint e : t.endpoints()) {
            if (e.primaryIp() == null) {
                out.add(e.key());
            }
        }
        return out;
    }

    private static int namedPort(FlowEnd to, String name, Protocol protocol) {
        if (!to.inCluster()) {
            return -1;
        }
        for (ContainerPort p : to.endpoint().ports()) {
            if (name.equals(p.name()) && p.protocol().equals(protocol)) {
                return p.port();
            }
        }
        return -1;
    }

    /** Findings for every rule a flow visited without matching (selectors that match nothing, and the fix). */
    public static java.util.Map<String, List<String>> hints(ClusterIndex index, List<Result> results) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (Result r : results) {
            if (r.trace() == null) {
                continue;
            }
            for (var side :
                    java.util.Arrays.asList(r.trace().egress(), r.trace().ingress())) {
                if (side == null) {
                    continue;
                }
                for (var tier : side.tiers()) {
                    for (var policy : tier.policies()) {
                        for (var step : policy.rules()) {
                            String id = step.rule().id().toString();
                            if (!step.matched() && !out.containsKey(id)) {
                                List<String> h = dev.tortie.engine.analysis.SelectorHints.forRule(
                                        index, step.rule().id());
                                if (!h.isEmpty()) {
                                    out.put(id, h);
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** allow (all allowed) -> 0, deny (all denied) -> 1, mixed or unresolvable -> 2. */
    public static ExitCode exitCode(List<Result> results) {
        boolean anyAllow = false;
        boolean anyDeny = false;
        for (Result r : results) {
            if (r.trace() == null) {
                return ExitCode.UNDECIDED;
            }
            if (r.trace().verdict() == Verdict.ALLOW) {
                anyAllow = true;
            } else {
                anyDeny = true;
            }
        }
        if (anyAllow && anyDeny || !anyAllow && !anyDeny) {
            return ExitCode.UNDECIDED;
        }
        return anyAllow ? ExitCode.OK : ExitCode.NEGATIVE;
    }

    public static String overall(List<Result> results) {
        return switch (exitCode(results)) {
            case OK -> "allow";
            case NEGATIVE -> "deny";
            default -> results.stream().anyMatch(r -> r.trace() == null) ? "unknown" : "mixed";
        };
    }
}
