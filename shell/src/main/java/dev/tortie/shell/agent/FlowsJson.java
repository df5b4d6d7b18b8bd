package dev.tortie.shell.agent;

import dev.tortie.dataplane.flowlog.FlowLogStats;
import dev.tortie.dataplane.flowlog.FlowQuery;
import dev.tortie.dataplane.flowlog.FlowRecord;
import dev.tortie.dataplane.flowlog.FlowVerdict;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's {@code /flows} wire format: a {@link FlowQuery} as URL parameters, and the answer (raw records by rule
 * id, plus the flow log's stats) as JSON trees, so the shell on the other end of a port-forward gets exactly the
 * records the in-process flow log would give it and names them itself.
 */
public final class FlowsJson {
    private FlowsJson() {}

    /** {@code verdict=deny&from=10.65.0.5/32&...}; empty for {@link FlowQuery#all()}. */
    public static String toParameters(FlowQuery q) {
        Map<String, String> p = new LinkedHashMap<>();
        if (q.verdict() != null) {
            p.put("verdict", q.verdict().lowerName());
        }
        if (q.direction() != null) {
            p.put("direction", q.direction().lowerName());
        }
        if (q.from() != null) {
            p.put("from", q.from().toString());
        }
        if (q.to() != null) {
            p.put("to", q.to().toString());
        }
        if (q.protocol() != null) {
            p.put("protocol", q.protocol().toString());
        }
        if (q.dstPort() != null) {
            p.put("port", q.dstPort().toString());
        }
        if (q.ruleIdPrefix() != null) {
            p.put("rule", q.ruleIdPrefix());
        }
        if (q.policy() != null) {
            p.put("policy", q.policy());
        }
        if (q.since() != null) {
            p.put("since", q.since().toString());
        }
        if (q.perBucket()) {
            p.put("perBucket", "true");
        }
        if (q.limit() > 0) {
            p.put("limit", Integer.toString(q.limit()));
        }
        List<String> parts = new ArrayList<>();
        p.forEach((k, v) -> parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", parts);
    }

    /**
     * Parses {@link #toParameters}; also accepts {@code denied} and {@code allowed} as bare flags.
     *
     * @throws IllegalArgumentException naming the bad parameter
     */
    public static FlowQuery parseParameters(String rawQuery) {
        FlowQuery.Builder b = FlowQuery.builder();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return b.build();
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            try {
                switch (key) {
                    case "denied" -> b.denied();
                    case "allowed" -> b.allowed();
                    case "verdict" -> b.verdict(verdict(value));
                    case "direction" -> b.direction(Direction.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "from" -> b.from(Cidr.parseCidrOrIp(value));
                    case "to" -> b.to(Cidr.parseCidrOrIp(value));
                    case "protocol" -> b.protocol(Integer.parseInt(value));
                    case "port" -> b.dstPort(Integer.parseInt(value));
                    case "rule" -> b.ruleIdPrefix(value);
                    case "policy" -> b.policy(value);
                    case "since" -> b.since(Instant.parse(value));
                    case "perBucket" -> b.perBucket(Boolean.parseBoolean(value));
                    case "limit" -> b.limit(Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("unknown parameter");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "bad flow query parameter " + key + "=" + value + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static FlowVerdict verdict(String value) {
        return switch (value) {
            case "allow", "allowed" -> FlowVerdict.ALLOW;
            case "deny", "denied" -> FlowVerdict.DENY;
            default -> throw new IllegalArgumentException("expected allow or deny");
        };
    }

    /** One record as the agent sends it. */
    public static Map<String, Object> recordTree(FlowRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", r.src().toString());
        m.put("dst", r.dst().toString());
        m.put("dstPort", r.dstPort());
        m.put("protocol", r.protocol());
        m.put("ruleId", r.ruleId());
        m.put("verdict", r.verdict().lowerName());
        m.put("direction", r.direction().lowerName());
        m.put("start", r.start().toString());
        m.put("firstSeen", r.firstSeen().toString());
        m.put("lastSeen", r.lastSeen().toString());
        m.put("packets", r.packets());
        return m;
    }

    public static FlowRecord record(Map<String, Object> m) {
        return new FlowRecord(
                IpAddress.parse((String) m.get("src")),
                IpAddress.parse((String) m.get("dst")),
                ((Number) m.get("dstPort")).intValue(),
                ((Number) m.get("protocol")).intValue(),
                (String) m.get("ruleId"),
                verdict((String) m.get("verdict")),
                Direction.valueOf(((String) m.get("direction")).toUpperCase(Locale.ROOT)),
                Instant.parse((String) m.get("start")),
                Instant.parse((String) m.get("firstSeen")),
                Instant.parse((String) m.get("lastSeen")),
                ((Number) m.get("packets")).longValue());
    }

    /** A flow log's health as a tree (also part of {@code flows -o json}). */
    public static Map<String, Object> statsTree(FlowLogStats s, String problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", s.backend());
        m.put("enabled", s.enabled());
        m.put("running", s.running());
        m.put("eventsSeen", s.eventsSeen());
        m.put("eventsRecorded", s.eventsRecorded());
        m.put("records", s.records());
        m.put("maxRecords", s.maxRecords());
        m.put("highWater", s.highWater());
        if (s.oldest() != null) {
            m.put("oldest", s.oldest().toString());
        }
        m.put("estimatedBytes", s.estimatedBytes());
        m.put("dropped", s.dropped());
        m.put("droppedByReason", new LinkedHashMap<>(s.droppedByReason()));
        m.put("droppedByPolicy", new LinkedHashMap<>(s.droppedByPolicy()));
        List<String> problems = new ArrayList<>(s.problems());
        if (problem != null && !problems.contains(problem)) {
            problems.add(problem);
        }
        m.put("problems", problems);
        return m;
    }

    /** The whole {@code /flows} answer. */
    public static Map<String, Object> answerTree(
            String node, List<FlowRecord> records, FlowLogStats stats, String problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("records", records.stream().map(FlowsJson::recordTree).toList());
        m.put("stats", statsTree(stats, problem));
        return m;
    }
}
