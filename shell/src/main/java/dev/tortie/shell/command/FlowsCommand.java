package dev.tortie.shell.command;

import dev.tortie.dataplane.flowlog.FlowQuery;
import dev.tortie.dataplane.flowlog.FlowRecord;
import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.ir.IrPolicy;
import dev.tortie.engine.ir.IrTier;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Endpoint;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.shell.agent.AgentAccess;
import dev.tortie.shell.agent.AgentLink;
import dev.tortie.shell.agent.RuleWords;
import dev.tortie.shell.output.Json;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Table;
import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "flows",
        description = {
            "Show the flows the node agents recorded and the rule that allowed or denied each.",
            "Read from the dataplane itself (NFLOG for iptables, a ring buffer for eBPF), aggregated per source,",
            "destination, port and rule, with workloads named from the current cluster view (unknown IPs stay IPs),",
            "the policy and rule in words, counts, first and last seen.",
            "In the lab the in-process agent answers; on a live cluster each agent pod, through a port-forward.",
            "Default: all namespaces, the agents' whole window (15 minutes)."
        },
        mixinStandardHelpOptions = true)
public final class FlowsCommand extends BaseCommand {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final Duration POLL = Duration.ofSeconds(1);

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Only flows with an end in this namespace (repeatable; default: all namespaces).")
    List<String> namespaces;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "All namespaces (the default).")
    boolean allNamespaces;

    @Option(names = "--denied", description = "Only denied flows.")
    boolean denied;

    @Option(names = "--allowed", description = "Only allowed flows.")
    boolean allowed;

    @Option(
            names = "--from",
            paramLabel = "SRC",
            description = "Source: ns/pod, a pod or workload in the current namespace, a namespace, an IP or a CIDR.")
    String from;

    @Option(names = "--to", paramLabel = "DST", description = "Destination, as --from.")
    String to;

    @Option(names = "--port", paramLabel = "PORT[/PROTO]", description = "Destination port, e.g. 80 or 53/UDP.")
    String port;

    @Option(
            names = "--policy",
            paramLabel = "NAME",
            description =
                    "Only flows decided by this policy (its rules, or the end of its tier where it isolates the pod):"
                            + " ns/name, name, or an id like knp/ns/name or tier/default.")
    String policy;

    @Option(
            names = "--since",
            paramLabel = "AGE",
            description = "Only flows seen in the last AGE (30s, 5m, 1h) or since an ISO instant.")
    String since;

    @Option(names = "--follow", description = "Keep printing flows as they are recorded, until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = "--node", paramLabel = "NODE", description = "Only the agent of this node.")
    String node;

    @Option(
            names = "--agent-namespace",
            paramLabel = "NS",
            description = "Live clusters: the namespace of the agent pods (default tortie-system).")
    String agentNamespace = AgentAccess.NAMESPACE;

    public FlowsCommand(Session session) {
        super(session);
    }

    /** What the filters resolved to: a query for the agents plus what only the shell can check (names, policy). */
    private record Filter(FlowQuery query, Set<IpAddress> fromIps, Set<IpAddress> toIps) {}

    @Override
    public Integer call() {
        if (denied && allowed) {
            throw TortieException.usage("--denied and --allowed cannot be combined");
        }
        if (allNamespaces && namespaces != null) {
            throw TortieException.usage("-A and -n cannot be combined");
        }
        Filter filter = filter();
        List<AgentLink> links = AgentLinks.open(session, node, agentNamespace);
        try {
            if (follow) {
                return follow(links, filter);
            }
            return once(links, filter);
        } finally {
            AgentLinks.closeAll(links);
        }
    }

    private Filter filter() {
        FlowQuery.Builder b = FlowQuery.builder();
        if (denied) {
            b.denied();
        }
        if (allowed) {
            b.allowed();
        }
        if (since != null) {
            b.since(parseSince(since, session.clock().instant()));
        }
        if (port != null) {
            String[] parts = port.split("/", 2);
            try {
                b.dstPort(Integer.parseInt(parts[0]));
            } catch (NumberFormatException e) {
                throw TortieException.usage("--port '" + port + "': expected PORT or PORT/PROTO, e.g. 80 or 53/UDP");
            }
            if (parts.length == 2) {
                Protocol p = Protocol.tryParse(parts[1]);
                if (p == null) {
                    throw TortieException.usage("--port '" + port + "': unknown protocol '" + parts[1] + "'");
                }
                b.protocol(p.number());
            }
        }
        Set<IpAddress> fromIps = null;
        Set<IpAddress> toIps = null;
        if (from != null) {
            Cidr cidr = cidr(from);
            if (cidr != null) {
                b.from(cidr);
            } else {
                fromIps = ips(from);
                if (fromIps.size() == 1) {
                    b.from(Cidr.host(fromIps.iterator().next()));
                }
            }
        }
        if (to != null) {
            Cidr cidr = cidr(to);
            if (cidr != null) {
                b.to(cidr);
            } else {
                toIps = ips(to);
                if (toIps.size() == 1) {
                    b.to(Cidr.host(toIps.iterator().next()));
                }
            }
        }
        try {
            return new Filter(b.build(), fromIps, toIps);
        } catch (IllegalArgumentException e) {
            throw TortieException.usage(e.getMessage());
        }
    }

    /** An IP or CIDR typed as --from/--to, or null when it is a name. */
    private static Cidr cidr(String text) {
        if (IpAddress.tryParse(text) != null) {
            return Cidr.host(IpAddress.parse(text));
        }
        return text.indexOf('/') > 0 && Character.isDigit(text.charAt(0)) ? Cidr.tryParse(text, false) : null;
    }

    private Set<IpAddress> ips(String text) {
        String ns = namespaces == null || namespaces.isEmpty() ? session.namespace() : namespaces.get(0);
        return session.source().read(index -> {
            Targets.Target t = Targets.resolve(index, text, ns);
            Set<IpAddress> out = new HashSet<>();
            for (Endpoint e : t.endpoints()) {
                out.addAll(e.ips());
            }
            if (t.isExternal()) {
                out.add(t.external());
            }
            if (out.isEmpty()) {
                throw TortieException.input("'" + text + "' has no IP address yet");
            }
            return out;
        });
    }

    /** {@code 5m}, {@code 90s}, {@code 1h30m}, or an ISO-8601 instant. */
    static Instant parseSince(String text, Instant now) {
        Matcher m = DURATION.matcher(text);
        if (!text.isEmpty() && m.matches() && (m.group(1) != null || m.group(2) != null || m.group(3) != null)) {
            long seconds = 0;
            seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
            seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
            seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
            return now.minusSeconds(seconds);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw TortieException.usage("--since '" + text
                    + "': expected an age like 30s, 5m, 1h30m or an instant like 2024-05-01T10:00:00Z");
        }
    }

    // ------------------------------------------------------------------------------------------------ one shot

    private int once(List<AgentLink> links, Filter filter) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> stats = new ArrayList<>();
        for (AgentLink link : links) {
            AgentLink.Flows flows;
            try {
                flows = link.flows(filter.query());
            } catch (IllegalStateException e) {
                throw TortieException.cluster(e.getMessage(), e);
            }
            rows.addAll(rows(flows, filter));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("node", flows.node());
            s.putAll(flows.stats());
            stats.add(s);
            warnAbout(flows);
        }
        rows.sort(Comparator.comparing((Map<String, Object> r) -> (String) r.get("lastSeen"))
                .thenComparing(r -> (String) r.get("from"))
                .thenComparing(r -> (String) r.get("to")));
        OutputFormat format = format();
        if (format.structured()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("flows", rows);
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("flows", rows.size());
            st.put(
                    "denied",
                    rows.stream().filter(r -> "deny".equals(r.get("verdict"))).count());
            st.put(
                    "allowed",
                    rows.stream().filter(r -> "allow".equals(r.get("verdict"))).count());
            st.put("nodes", stats);
            tree.put("stats", st);
            printTree(tree);
            return 0;
        }
        if (rows.isEmpty()) {
            session.err()
                    .println("no flows match (" + filter.query()
                            + (namespaces == null ? "" : ", namespaces " + String.join(", ", namespaces)) + ")");
            session.err().flush();
            return 0;
        }
        boolean wide = format == OutputFormat.WIDE;
        Table table = wide
                ? new Table(
                        "FIRST SEEN",
                        "LAST SEEN",
                        "NODE",
                        "FROM",
                        "TO",
                        "PORT",
                        "VERDICT",
                        "DIR",
                        "RULE ID",
                        "BY",
                        "COUNT")
                : new Table("LAST SEEN", "FROM", "TO", "PORT", "VERDICT", "DIR", "BY", "COUNT");
        for (Map<String, Object> r : rows) {
            String portText = portText(r);
            String verdict = "deny".equals(r.get("verdict"))
                    ? session.style().red("deny")
                    : session.style().green("allow");
            if (wide) {
                table.row(
                        time((String) r.get("firstSeen")),
                        time((String) r.get("lastSeen")),
                        r.get("node"),
                        r.get("from"),
                        r.get("to"),
                        portText,
                        verdict,
                        r.get("direction"),
                        r.get("rule"),
                        r.get("description"),
                        r.get("packets"));
            } else {
                table.row(
                        time((String) r.get("lastSeen")),
                        r.get("from"),
                        r.get("to"),
                        portText,
                        verdict,
                        r.get("direction"),
                        r.get("description"),
                        r.get("packets"));
            }
        }
        long deniedCount =
                rows.stream().filter(r -> "deny".equals(r.get("verdict"))).count();
        print(table.render(width()));
        print(session.style()
                        .dim(rows.size() + " flow(s): " + deniedCount + " denied, " + (rows.size() - deniedCount)
                                + " allowed, from " + links.size() + " agent(s)")
                + "\n");
        return 0;
    }

    private void warnAbout(AgentLink.Flows flows) {
        Object running = flows.stats().get("running");
        Object problems = flows.stats().get("problems");
        if (problems instanceof List<?> list && !list.isEmpty()) {
            session.warn("flow log on " + flows.node() + ": " + list.get(0));
        } else if (Boolean.FALSE.equals(running)) {
            session.warn("flow log on " + flows.node() + " is not running");
        }
        Object dropped = flows.stats().get("dropped");
        if (dropped instanceof Number n && n.longValue() > 0) {
            session.warn("flow log on " + flows.node() + " dropped " + n + " event(s) (see stats in -o json)");
        }
    }

    private static String portText(Map<String, Object> r) {
        int p = ((Number) r.get("port")).intValue();
        return p == 0 ? (String) r.get("protocol") : p + "/" + r.get("protocol");
    }

    private String time(String instant) {
        return DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
                .withZone(session.clock().getZone())
                .format(Instant.parse(instant));
    }

    /** The JSON rows of one agent's records that pass the shell-side filters, names and words resolved. */
    private List<Map<String, Object>> rows(AgentLink.Flows flows, Filter filter) {
        return session.source().read(index -> {
            List<Map<String, Object>> out = new ArrayList<>();
            Map<IpAddress, Endpoint> byIp = new HashMap<>();
            for (FlowRecord r : flows.records()) {
                if (filter.fromIps() != null && !filter.fromIps().contains(r.src())) {
                    continue;
                }
                if (filter.toIps() != null && !filter.toIps().contains(r.dst())) {
                    continue;
                }
                Endpoint src = byIp.computeIfAbsent(r.src(), ip -> owner(index, ip));
                Endpoint dst = byIp.computeIfAbsent(r.dst(), ip -> owner(index, ip));
                if (policy != null
                        && !policyMatches(r.policy())
                        && !isolatedBy(index, r, r.direction() == Direction.INGRESS ? dst : src)) {
                    continue;
                }
                if (namespaces != null
                        && (src == null || !namespaces.contains(src.namespace()))
                        && (dst == null || !namespaces.contains(dst.namespace()))) {
                    continue;
                }
                out.add(row(index, flows.node(), r, src, dst));
            }
            return out;
        });
    }

    private static Endpoint owner(ClusterIndex index, IpAddress ip) {
        List<Endpoint> owners = index.endpointsWithIp(ip);
        return owners.isEmpty() ? null : owners.get(0);
    }

    /**
     * Whether an end-of-tier decision comes from --policy's isolation: the named policy selects the deciding endpoint
     * in that tier (so a user asking what {@code deny-all} dropped sees the end-of-tier drops it causes).
     */
    private boolean isolatedBy(ClusterIndex index, FlowRecord r, Endpoint endpoint) {
        String owner = r.policy();
        if (endpoint == null || !owner.startsWith("tier/")) {
            return false;
        }
        String tier = owner.substring("tier/".length());
        for (IrTier t : index.program(endpoint, r.direction()).tiers()) {
            if (t.name().equals(tier)) {
                for (IrPolicy p : t.policies()) {
                    if (policyMatches(p.id().toString())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean policyMatches(String owner) {
        if (owner.equals(policy)) {
            return true;
        }
        PolicyId id = PolicyId.tryParse(owner);
        if (id == null) {
            return false;
        }
        if (policy.indexOf('/') >= 0) {
            return id.qualifiedName().equals(policy);
        }
        return id.name().equals(policy);
    }

    static Map<String, Object> row(ClusterIndex index, String node, FlowRecord r, Endpoint src, Endpoint dst) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", src == null ? r.src().toString() : src.key());
        m.put("to", dst == null ? r.dst().toString() : dst.key());
        m.put("fromIp", r.src().toString());
        m.put("toIp", r.dst().toString());
        m.put("port", r.dstPort());
        m.put("protocol", r.protocolName());
        m.put("verdict", r.verdict().lowerName());
        m.put("direction", r.direction().lowerName());
        m.put("rule", r.ruleId());
        m.put("policy", r.policy());
        m.put(
                "description",
                RuleWords.describe(index, r.ruleId(), r.direction(), r.direction() == Direction.INGRESS ? dst : src));
        m.put("packets", r.packets());
        m.put("firstSeen", r.firstSeen().toString());
        m.put("lastSeen", r.lastSeen().toString());
        m.put("node", node);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ follow

    /** Prints every record whose last event is newer than what was printed for it, each poll, until interrupted. */
    private int follow(List<AgentLink> links, Filter filter) {
        Map<String, Instant> printed = new HashMap<>();
        boolean json = format().structured();
        if (!json) {
            print(session.style().dim("following flows from " + links.size() + " agent(s); Ctrl-C stops") + "\n");
        }
        FlowQuery query = filter.query();
        while (!Thread.currentThread().isInterrupted()) {
            List<Map<String, Object>> fresh = new ArrayList<>();
            for (AgentLink link : links) {
                AgentLink.Flows flows;
                try {
                    flows = link.flows(query);
                } catch (IllegalStateException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return 0;
                    }
                    throw TortieException.cluster(e.getMessage(), e);
                }
                for (Map<String, Object> r : rows(flows, filter)) {
                    String key = r.get("node") + " " + r.get("fromIp") + " " + r.get("toIp") + " " + r.get("port")
                            + " " + r.get("protocol") + " " + r.get("rule") + " " + r.get("verdict") + " "
                            + r.get("direction");
                    Instant last = Instant.parse((String) r.get("lastSeen"));
                    Instant before = printed.get(key);
                    if (before == null || last.isAfter(before)) {
                        printed.put(key, last);
                        fresh.add(r);
                    }
                }
            }
            fresh.sort(Comparator.comparing((Map<String, Object> r) -> (String) r.get("lastSeen")));
            for (Map<String, Object> r : fresh) {
                if (json) {
                    print(Json.writeCompact(r) + "\n");
                } else {
                    String verdict = "deny".equals(r.get("verdict"))
                            ? session.style().red("deny ")
                            : session.style().green("allow");
                    print(time((String) r.get("lastSeen")) + "  " + r.get("from") + " -> " + r.get("to") + " "
                            + portText(r) + "  " + verdict + " " + r.get("direction") + "  " + r.get("description")
                            + "  x" + r.get("packets") + "\n");
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // Records are merged over the window: ask only for what moved since the previous poll (with a margin).
            query = filter.query().toBuilder()
                    .since(session.clock().instant().minus(POLL.multipliedBy(3)))
                    .build();
        }
        return 0;
    }
}
