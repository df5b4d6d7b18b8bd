package dev.tortie.shell.probe;

import dev.tortie.dataplane.lab.LabPod;
import dev.tortie.dataplane.lab.ProbeOutcome;
import dev.tortie.dataplane.lab.ProbeProgress;
import dev.tortie.dataplane.lab.ProbeRequest;
import dev.tortie.dataplane.lab.ProbeResult;
import dev.tortie.dataplane.lab.Prober;
import dev.tortie.engine.eval.FlowTrace;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.shell.lab.Lab;
import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.TortieException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs real probes in the lab for flows the engine has traced, and says what the kernel did next to what was predicted.
 *
 * <p>The kernel's verdict comes from the outcome: connected means allowed; no answer within the timeout means dropped
 * (tortie's dataplanes drop, they never reject); refused means the packet reached the destination pod, which had
 * nothing listening, so the policy allowed it. SCTP (no sockets on this kernel) and port-less protocols are not
 * probed: their verdict is {@code unknown}, with the reason, never a guess.
 */
public final class LabProbes {
    /** Default per-probe timeout: denied probes cost this, allowed ones about a millisecond. */
    public static final Duration DEFAULT_TIMEOUT = Prober.DEFAULT_TIMEOUT;

    /** A flow to probe, with the engine's prediction ({@code trace} null when the engine could not evaluate it). */
    public record Flow(
            String from,
            String to,
            IpAddress destination,
            Protocol protocol,
            int port,
            FlowTrace trace,
            String problem) {
        public Flow {
            Objects.requireNonNull(from, "from == null");
            Objects.requireNonNull(to, "to == null");
            Objects.requireNonNull(protocol, "protocol == null");
        }

        public String predicted() {
            return trace == null ? "unknown" : trace.verdict().lowerName();
        }
    }

    /**
     * What a probe found.
     *
     * @param outcome {@code connected}, {@code refused}, {@code timed-out}, {@code unsupported} or {@code error}
     * @param verdict the kernel's verdict: {@code allow}, {@code deny} or {@code unknown}
     * @param latencyMs time to the deciding event (0 when not attempted)
     * @param agree whether the kernel agreed with the prediction; null when either is unknown
     * @param detail why, in words (empty when nothing to add)
     */
    public record Measured(
            Flow flow,
            String outcome,
            String verdict,
            double latencyMs,
            Boolean agree,
            String responder,
            String detail) {
        public boolean disagrees() {
            return Boolean.FALSE.equals(agree);
        }

        public String predicted() {
            return flow.predicted();
        }

        public boolean known() {
            return !verdict.equals("unknown");
        }

        /** The {@code matrix}-compatible cell plus the probe's fields. */
        public Map<String, Object> cell() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", flow.from());
            m.put("to", flow.to());
            m.put("port", flow.port());
            m.put("protocol", flow.protocol().displayName());
            m.put("verdict", verdict);
            m.put("predicted", flow.predicted());
            m.put("outcome", outcome);
            m.put("latencyMs", Math.round(latencyMs * 100) / 100.0);
            m.put("agree", agree);
            if (responder != null) {
                m.put("responder", responder);
            }
            if (!detail.isEmpty()) {
                m.put("reason", detail);
            }
            return m;
        }
    }

    private LabProbes() {}

    /**
     * Probes every flow from its source pod's namespace, in parallel, each with {@code timeout}; results in flow order.
     *
     * @throws TortieException when the lab has no network (not root)
     */
    public static List<Measured> run(Lab lab, List<Flow> flows, Duration timeout, ProbeProgress progress) {
        requireProbes(lab);
        List<ProbeRequest> requests = new ArrayList<>();
        List<Integer> requestIndex = new ArrayList<>();
        Measured[] out = new Measured[flows.size()];
        for (int i = 0; i < flows.size(); i++) {
            Flow f = flows.get(i);
            Optional<LabPod> source = podOf(lab, f.from());
            if (source.isEmpty()) {
                out[i] = new Measured(
                        f,
                        "error",
                        "unknown",
                        0,
                        null,
                        null,
                        "source " + f.from() + " is not a running lab pod (probes start inside a pod)");
                continue;
            }
            if (f.destination() == null) {
                out[i] = new Measured(
                        f,
                        "error",
                        "unknown",
                        0,
                        null,
                        null,
                        f.problem() == null ? "no destination address" : f.problem());
                continue;
            }
            requests.add(new ProbeRequest(source.get(), f.destination(), f.protocol(), Math.max(f.port(), 0)));
            requestIndex.add(i);
        }
        Prober prober = new Prober(timeout, Prober.DEFAULT_PARALLELISM);
        List<ProbeResult> results = prober.probeAll(requests, Prober.DEFAULT_PARALLELISM, timeout, progress);
        for (int r = 0; r < results.size(); r++) {
            int i = requestIndex.get(r);
            out[i] = measure(lab, flows.get(i), results.get(r));
        }
        return List.of(out);
    }

    /** The lab's probe capability, or a clear error. */
    public static void requireProbes(Lab lab) {
        if (lab.network() == null) {
            throw new TortieException(
                    ExitCode.CLUSTER, "probes are unavailable in this lab: " + lab.probesUnavailable());
        }
    }

    /** The lab pod for {@code namespace/name}, if it runs. */
    public static Optional<LabPod> podOf(Lab lab, String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return lab.pod(key.substring(0, slash), key.substring(slash + 1));
    }

    private static Measured measure(Lab lab, Flow f, ProbeResult r) {
        String outcome = r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        double ms = r.latency().toNanos() / 1e6;
        String verdict;
        String detail = r.detail();
        Optional<LabPod> destination = podOf(lab, f.to());
        switch (r.outcome()) {
            case CONNECTED -> {
                verdict = "allow";
                if (r.responder() != null
                        && destination.isPresent()
                        && !r.responder().equals(f.to())) {
                    detail = "answered by " + r.responder() + ", not " + f.to();
                }
            }
            case TIMED_OUT -> verdict = "deny";
            case REFUSED -> {
                if (destination.isPresent()) {
                    verdict = "allow";
                    detail = "refused by " + f.to() + " (nothing listens on " + f.port() + "/" + f.protocol()
                            + "): the policy let the packet through";
                } else {
                    verdict = "unknown";
                    detail = detail + " (the lab routes only to its pods)";
                }
            }
            default -> verdict = "unknown";
        }
        Boolean agree = f.trace() == null || verdict.equals("unknown") ? null : verdict.equals(f.predicted());
        return new Measured(
                f, outcome, verdict, r.outcome() == ProbeOutcome.UNSUPPORTED ? 0 : ms, agree, r.responder(), detail);
    }

    /** Exit status of a probe run: 0 every flow connected, 1 every flow blocked, 2 mixed or anything unknown. */
    public static ExitCode exitCode(List<Measured> results) {
        boolean allow = false;
        boolean deny = false;
        for (Measured m : results) {
            switch (m.verdict()) {
                case "allow" -> allow = true;
                case "deny" -> deny = true;
                default -> {
                    return ExitCode.UNDECIDED;
                }
            }
        }
        if (allow == deny) {
            return ExitCode.UNDECIDED;
        }
        return allow ? ExitCode.OK : ExitCode.NEGATIVE;
    }

    /** Counts for a summary line and the JSON {@code summary}. */
    public static Map<String, Object> summary(List<Measured> results, Duration elapsed) {
        int agree = 0;
        int disagree = 0;
        int unknown = 0;
        int connected = 0;
        int blocked = 0;
        for (Measured m : results) {
            if (m.verdict().equals("allow")) {
                connected++;
            } else if (m.verdict().equals("deny")) {
                blocked++;
            }
            if (m.agree() == null) {
                unknown++;
            } else if (m.agree()) {
                agree++;
            } else {
                disagree++;
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("probes", results.size());
        s.put("allowed", connected);
        s.put("denied", blocked);
        s.put("agree", agree);
        s.put("disagree", disagree);
        s.put("notCompared", unknown);
        s.put("elapsedMs", elapsed.toMillis());
        return s;
    }
}
