package dev.tortie.shell.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.flowlog.FlowEvent;
import dev.tortie.dataplane.flowlog.FlowVerdict;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.shell.command.ShellCommands;
import dev.tortie.shell.kube.KubeOptions;
import dev.tortie.shell.kube.KubeReporter;
import dev.tortie.shell.kube.KubeSource;
import dev.tortie.shell.output.OutputFormat;
import dev.tortie.shell.output.Style;
import dev.tortie.shell.session.Session;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's HTTP endpoint against the mock API server, with a fake dataplane: /metrics values move as policies
 * change, /healthz follows apply failures, and the shell's live-cluster path ({@code flows}, {@code node check})
 * reaches the agent through a {@code pods/portforward} of the API server, as on a real cluster.
 */
class AgentEndpointsIT {
    private static final String CLUSTER =
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x, labels: {kubernetes.io/metadata.name: x}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y, labels: {kubernetes.io/metadata.name: y}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec: {nodeName: node-1, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
            status: {phase: Running, podIP: 10.65.0.10, podIPs: [{ip: 10.65.0.10}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: y, labels: {pod: b}}
            spec: {nodeName: node-1, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
            status: {phase: Running, podIP: 10.65.0.11, podIPs: [{ip: 10.65.0.11}]}
            """;

    private static final String DENY_ALL =
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: y}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            """;

    @TempDir
    Path dir;

    MockApi api;
    KubernetesClient agentClient;
    FakeDataplane dataplane;
    NodeAgent agent;
    AgentServer server;
    final List<String> log = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        api = new MockApi(null);
        api.create(CLUSTER);
        agentClient = api.newClient();
        dataplane = new FakeDataplane();
        agent = NodeAgent.start(agentClient, dataplane, NodeAgent.Options.defaults("node-1"), log::add);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), () -> agent, dataplane::kernel);
        await(agent::converged);
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
        agentClient.close();
        api.close();
    }

    @Test
    void metricsMoveAsPoliciesChange() {
        Map<String, String> before = scrape();
        assertThat(before)
                .containsEntry("tortie_agent_up", "1")
                .containsEntry("tortie_agent_healthy", "1")
                .containsEntry("tortie_policies", "0")
                .containsEntry("tortie_endpoints", "2")
                .containsEntry("tortie_local_endpoints", "2")
                .containsEntry("tortie_ip_sets_programmed", "0")
                .containsEntry("tortie_watch_up", "1")
                .containsEntry("tortie_api_objects{resource=\"pods\"}", "2")
                .containsKeys(
                        "tortie_apply_duration_seconds_bucket{le=\"0.005\"}",
                        "tortie_apply_duration_seconds_bucket{le=\"+Inf\"}",
                        "tortie_apply_duration_seconds_sum",
                        "tortie_drift_repairs_total",
                        "tortie_flow_log_records");
        long applies = Long.parseLong(before.get("tortie_apply_total"));
        long events = Long.parseLong(before.get("tortie_watch_events_total"));
        assertThat(applies).isPositive();
        assertThat(before.get("tortie_apply_duration_seconds_count")).isEqualTo(Long.toString(applies));

        api.create(DENY_ALL);
        await(() -> scrape().get("tortie_policies").equals("1"));
        await(agent::converged);
        Map<String, String> after = scrape();
        assertThat(Long.parseLong(after.get("tortie_apply_total"))).isGreaterThan(applies);
        assertThat(Long.parseLong(after.get("tortie_watch_events_total"))).isGreaterThan(events);
        assertThat(after.get("tortie_apply_duration_seconds_count")).isEqualTo(after.get("tortie_apply_total"));

        // Flow-log counters move with events, drops are labelled by reason and policy.
        dataplane.flowLog().aggregator().add(event("10.65.0.10", "10.65.0.11", "tier/default/ingress/end", false));
        dataplane.flowLog().aggregator().dropped("kernel-buffer-full", "knp/y/deny-all/ingress/0", 3);
        String text = get("/metrics").body();
        assertThat(text)
                .contains("# TYPE tortie_apply_duration_seconds histogram")
                .contains("tortie_flow_log_events_total 1")
                .contains("tortie_flow_log_dropped_total{reason=\"kernel-buffer-full\"} 3")
                .contains("tortie_flow_log_policy_dropped_total{policy=\"knp/y/deny-all\"} 3");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void healthFollowsTheLastApply() {
        dataplane.failWith("iptables-restore: line 3 failed");
        api.create(DENY_ALL);
        await(() -> get("/healthz").statusCode() == 503);
        HttpResponse<String> health = get("/healthz");
        assertThat(health.body()).contains("the last apply failed").contains("iptables-restore: line 3 failed");
        assertThat(scrape()).containsEntry("tortie_agent_healthy", "0");
        assertThat(Long.parseLong(scrape().get("tortie_apply_failures_total"))).isPositive();
        assertThat(get("/readyz").statusCode())
                .as("still ready: the last good state is in force")
                .isEqualTo(200);

        dataplane.failWith(null);
        await(() -> get("/healthz").statusCode() == 200);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/flows?verdict=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void flowsAndNodeCheckReachTheAgentThroughAPortForward() throws Exception {
        api.create(DENY_ALL);
        await(agent::converged);
        api.create(
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: tortie-system}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: tortie-agent-7xk2p
                  namespace: tortie-system
                  labels: {app.kubernetes.io/name: tortie-agent}
                spec:
                  nodeName: node-1
                  hostNetwork: true
                  containers:
                  - name: agent
                    image: tortie-agent
                    ports: [{name: http-metrics, containerPort: %d}]
                status: {phase: Running, podIP: 192.0.2.1}
                """
                        .formatted(server.port()));
        api.recorder.forward("tortie-system", "tortie-agent-7xk2p", server.address());
        var flows = dataplane.flowLog().aggregator();
        flows.add(event("10.65.0.10", "10.65.0.11", "pro/kns.x/egress/0", true));
        flows.add(event("10.65.0.10", "10.65.0.11", "tier/default/ingress/end", false));
        flows.add(event("10.65.0.10", "10.65.0.11", "tier/default/ingress/end", false));
        flows.add(event("198.51.100.7", "10.65.0.11", "tier/default/ingress/end", false));

        try (KubeSource source = KubeSource.open(
                new KubeOptions(api.kubeconfig(dir).toString(), null, false), Map.of(), KubeReporter.silent())) {
            Run denied = run(source, "flows", "--denied", "-o", "json");
            assertThat(denied.exit()).as(denied.err()).isZero();
            Map<String, Object> tree = json(denied.out());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) tree.get("flows");
            assertThat(rows).hasSize(2);
            Map<String, Object> pod = rows.stream()
                    .filter(r -> r.get("from").equals("x/a"))
                    .findFirst()
                    .orElseThrow();
            assertThat(pod)
                    .containsEntry("to", "y/b")
                    .containsEntry("fromIp", "10.65.0.10")
                    .containsEntry("toIp", "10.65.0.11")
                    .containsEntry("port", 80)
                    .containsEntry("protocol", "TCP")
                    .containsEntry("verdict", "deny")
                    .containsEntry("direction", "ingress")
                    .containsEntry("rule", "tier/default/ingress/end")
                    .containsEntry("policy", "tier/default")
                    .containsEntry("description", "end of tier default (no rule of NetworkPolicy y/deny-all matched)")
                    .containsEntry("packets", 2)
                    .containsEntry("node", "node-1")
                    .containsKeys("firstSeen", "lastSeen");
            assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("from", "198.51.100.7"));
            assertThat(tree).containsKey("stats");

            Run table = run(source, "flows", "--from", "x/a", "--allowed");
            assertThat(table.exit()).as(table.err()).isZero();
            assertThat(table.out())
                    .contains("x/a")
                    .contains("y/b")
                    .contains("namespace profile kns.x (no policy isolates x/a for egress)")
                    .doesNotContain("198.51.100.7");

            Run byPolicy = run(source, "flows", "--policy", "y/deny-all", "-o", "json");
            assertThat(byPolicy.exit()).as(byPolicy.err()).isZero();
            assertThat(byPolicy.out())
                    .as("end-of-tier drops of the pods deny-all isolates")
                    .contains("\"rule\": \"tier/default/ingress/end\"")
                    .doesNotContain("pro/kns.x");
            assertThat(run(source, "flows", "--policy", "x/other").err()).contains("no flows match");

            Run clean = run(source, "node", "check");
            assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
            assertThat(clean.out()).contains("no drift on node-1");

            KernelState k = dataplane.kernel();
            Map<String, List<String>> chains = new TreeMap<>(k.chains());
            String dropped = chains.keySet().stream()
                    .filter(c -> !c.equals("tortie-FORWARD"))
                    .findFirst()
                    .orElseThrow();
            chains.remove(dropped);
            dataplane.setKernel(
                    new KernelState(k.dataplane(), k.interfacePrefix(), chains, List.of(), k.sets(), k.programs()));
            Run drift = run(source, "node", "check", "node-1", "-o", "json");
            assertThat(drift.exit()).isEqualTo(1);
            assertThat(drift.out())
                    .contains("\"drift\": true")
                    .contains("\"object\": \"" + dropped + "\"")
                    .contains("\"change\": \"missing\"")
                    .contains("\"kind\": \"hook\"");
        }
        assertThat(api.recorder.seen)
                .as("the shell reached the agent through pods/portforward")
                .anySatisfy(a -> assertThat(a.resource()).isEqualTo("pods/portforward"));
        // deploy/operator-rbac.yaml grants exactly what the shell does in tortie-system
        List<AgentAccess.Rule> operator = new ArrayList<>();
        for (Map<String, Object> doc :
                MockApi.load(MockApi.read(MockApi.deployDir().resolve("operator-rbac.yaml")))) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) doc.get("rules");
            for (Map<String, Object> r : rules) {
                @SuppressWarnings("unchecked")
                List<String> resources = (List<String>) r.get("resources");
                @SuppressWarnings("unchecked")
                List<String> verbs = (List<String>) r.get("verbs");
                operator.add(new AgentAccess.Rule("", resources, verbs));
            }
        }
        Set<String> used = new TreeSet<>();
        for (ApiRecorder.Access a : api.recorder.byToken("operator")) {
            if (a.path().contains("/namespaces/tortie-system/")) {
                assertThat(operator.stream().anyMatch(r -> r.allows(a.group(), a.resource(), a.verb())))
                        .as("operator role grants %s %s (%s)", a.verb(), a.resource(), a.path())
                        .isTrue();
                used.add(a.verb() + " " + a.resource());
            }
        }
        assertThat(used).containsExactlyInAnyOrder("list pods", "create pods/portforward");
    }

    @Test
    void followStreamsNewRecordsUntilInterrupted() throws Exception {
        api.create(
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: tortie-system}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: tortie-agent-q9z4d
                  namespace: tortie-system
                  labels: {app.kubernetes.io/name: tortie-agent}
                spec:
                  nodeName: node-1
                  containers: [{name: agent, image: tortie-agent, ports: [{name: http-metrics, containerPort: %d}]}]
                """
                        .formatted(server.port()));
        api.recorder.forward("tortie-system", "tortie-agent-q9z4d", server.address());
        try (KubeSource source = KubeSource.open(
                new KubeOptions(api.kubeconfig(dir).toString(), null, false), Map.of(), KubeReporter.silent())) {
            StringWriter out = new StringWriter();
            Session session = new Session(
                    new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true),
                    new Style(false),
                    0,
                    Clock.systemUTC(),
                    Map.of(),
                    () -> source,
                    OutputFormat.TABLE,
                    null);
            int[] exit = {-1};
            Thread follower = new Thread(
                    () -> exit[0] = ShellCommands.run(session, List.of("flows", "--follow", "--denied", "-o", "json")));
            follower.start();
            Thread.sleep(300);
            dataplane.flowLog().aggregator().add(event("10.65.0.10", "10.65.0.11", "tier/default/ingress/end", false));
            await(() -> out.toString().contains("\"rule\":\"tier/default/ingress/end\""));
            dataplane
                    .flowLog()
                    .aggregator()
                    .add(event("198.51.100.9", "10.65.0.11", "tier/default/ingress/end", false));
            await(() -> out.toString().contains("198.51.100.9"));
            follower.interrupt();
            follower.join(10_000);
            assertThat(follower.isAlive()).isFalse();
            assertThat(exit[0]).isZero();
            assertThat(out.toString().lines().filter(l -> l.startsWith("{")).count())
                    .as("one JSON line per new record")
                    .isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    record Run(int exit, String out, String err) {}

    static Run run(KubeSource source, String... words) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Session session = new Session(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                new Style(false),
                0,
                Clock.systemUTC(),
                Map.of(),
                () -> source,
                OutputFormat.TABLE,
                null);
        int code = ShellCommands.run(session, List.of(words));
        return new Run(code, out.toString(), err.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        return new KubernetesSerialization().unmarshal(text, Map.class);
    }

    static FlowEvent event(String src, String dst, String ruleId, boolean allow) {
        Direction d = ruleId.contains("/egress/") ? Direction.EGRESS : Direction.INGRESS;
        return new FlowEvent(
                System.currentTimeMillis(),
                0,
                ruleId,
                allow ? FlowVerdict.ALLOW : FlowVerdict.DENY,
                d,
                IpAddress.parse(src).v4Bits(),
                IpAddress.parse(dst).v4Bits(),
                40000,
                80,
                6);
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The samples of /metrics: name (with labels) -> value. */
    Map<String, String> scrape() {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Map<String, String> out = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> tries = new ArrayList<>();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s " + tries);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
