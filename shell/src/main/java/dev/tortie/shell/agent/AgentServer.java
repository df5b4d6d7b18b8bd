package dev.tortie.shell.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.dataplane.flowlog.FlowQuery;
import dev.tortie.shell.output.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoint (the JDK's {@code HttpServer}, GET only):
 *
 * <ul>
 *   <li>{@code /healthz}: 200 {@code ok} when the last apply succeeded and every watch is open, else 503 with the
 *       reason (the DaemonSet's liveness probe);
 *   <li>{@code /readyz}: 200 once the initial sync is done and the node was programmed, else 503 (readiness);
 *   <li>{@code /metrics}: Prometheus text ({@link AgentMetrics});
 *   <li>{@code /flows?verdict=deny&from=CIDR&...}: the flow log as JSON ({@link FlowsJson}), what {@code flows} reads
 *       through a port-forward;
 *   <li>{@code /kernel}: the node's tortie state read back from the kernel ({@link KernelState}), what {@code node
 *       check} compares;
 *   <li>{@code /status}: the agent's status as JSON.
 * </ul>
 *
 * The agent is supplied late ({@code agent} returns null while it starts), so probes answer from the first second.
 */
public final class AgentServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<NodeAgent> agent;
    private final Supplier<KernelState> kernel;

    private AgentServer(
            HttpServer server, ExecutorService executor, Supplier<NodeAgent> agent, Supplier<KernelState> kernel) {
        this.server = server;
        this.executor = executor;
        this.agent = agent;
        this.kernel = kernel;
    }

    /**
     * Binds {@code address} (port 0: any free port) and serves until {@link #close()}.
     *
     * @param agent the running agent, or null while it starts
     * @param kernel reads the node's kernel state back (a {@link KernelReader}), or returns null while the agent starts
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AgentServer start(
            InetSocketAddress address, Supplier<NodeAgent> agent, Supplier<KernelState> kernel) {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(agent, "agent == null");
        Objects.requireNonNull(kernel, "kernel == null");
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tortie-agent-http");
            t.setDaemon(true);
            return t;
        });
        AgentServer s = new AgentServer(server, executor, agent, kernel);
        server.setExecutor(executor);
        server.createContext("/healthz", s::healthz);
        server.createContext("/readyz", s::readyz);
        server.createContext("/metrics", s::metrics);
        server.createContext("/flows", s::flows);
        server.createContext("/kernel", s::kernel);
        server.createContext("/status", s::status);
        server.createContext("/", s::index);
        server.start();
        return s;
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void healthz(HttpExchange ex) throws IOException {
        NodeAgent a = agent.get();
        String reason = a == null ? "starting: the agent is connecting to the API server" : a.unhealthyReason();
        send(ex, reason == null ? 200 : 503, "text/plain; charset=utf-8", reason == null ? "ok\n" : reason + "\n");
    }

    private void readyz(HttpExchange ex) throws IOException {
        NodeAgent a = agent.get();
        String reason = a == null
                ? "starting"
                : !a.ready() ? "syncing with the API server" : a.appliedVersion() < 0 ? "programming the node" : null;
        send(ex, reason == null ? 200 : 503, "text/plain; charset=utf-8", reason == null ? "ready\n" : reason + "\n");
    }

    private void metrics(HttpExchange ex) throws IOException {
        send(ex, 200, AgentMetrics.CONTENT_TYPE, AgentMetrics.render(agent.get()));
    }

    private void flows(HttpExchange ex) throws IOException {
        NodeAgent a = agent.get();
        if (a == null) {
            send(ex, 503, "text/plain; charset=utf-8", "starting\n");
            return;
        }
        FlowQuery query;
        try {
            query = FlowsJson.parseParameters(ex.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            send(ex, 400, "text/plain; charset=utf-8", e.getMessage() + "\n");
            return;
        }
        FlowLog log = a.flowLog();
        String body =
                Json.write(FlowsJson.answerTree(a.options().node(), log.query(query), log.stats(), a.flowLogProblem()));
        send(ex, 200, "application/json", body);
    }

    private void kernel(HttpExchange ex) throws IOException {
        KernelState state;
        try {
            state = kernel.get();
        } catch (RuntimeException e) {
            send(ex, 500, "text/plain; charset=utf-8", "cannot read the kernel: " + e.getMessage() + "\n");
            return;
        }
        if (state == null) {
            send(ex, 503, "text/plain; charset=utf-8", "starting\n");
            return;
        }
        String body = Json.write(state.toTree());
        send(ex, 200, "application/json", body);
    }

    private void status(HttpExchange ex) throws IOException {
        NodeAgent a = agent.get();
        if (a == null) {
            send(ex, 503, "text/plain; charset=utf-8", "starting\n");
            return;
        }
        send(ex, 200, "application/json", Json.write(a.status()));
    }

    private void index(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            send(
                    ex,
                    404,
                    "text/plain; charset=utf-8",
                    "not found: " + ex.getRequestURI().getPath() + "\n");
            return;
        }
        send(ex, 200, "text/plain; charset=utf-8", "tortie agent: /healthz /readyz /metrics /flows /kernel /status\n");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                code = 405;
                body = "only GET\n";
                type = "text/plain; charset=utf-8";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(code, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (RuntimeException e) {
            // a failing handler must not kill the server thread; the client sees the connection close
            ex.close();
            throw e;
        }
    }

    /** Stops listening and waits up to a second for exchanges in progress. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
