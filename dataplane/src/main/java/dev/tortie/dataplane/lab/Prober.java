package dev.tortie.dataplane.lab;

import dev.tortie.dataplane.os.Netns;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Real connections from a lab pod's namespace, as a pod would make them: the socket is created with the probing
 * thread switched into the source pod's namespace (see {@link Netns}), so the kernel routes and filters the traffic
 * exactly as it would a container's.
 *
 * <p>All probes of a {@link #probeAll} run are non-blocking sockets on one selector in the calling thread, up to
 * {@code parallelism} in flight, each with its own deadline: a matrix whose denied pairs all time out costs about one
 * timeout per {@code parallelism} denied probes, not one per probe. Allowed probes finish in about a millisecond.
 *
 * <ul>
 *   <li>TCP: connect, then read the banner ({@code namespace/pod}) to learn which pod answered. RST or ICMP
 *       unreachable is {@link ProbeOutcome#REFUSED}; silence is {@link ProbeOutcome#TIMED_OUT}.
 *   <li>UDP: a connected datagram socket sends one datagram and waits for the echo; ICMP port unreachable surfaces as
 *       {@link PortUnreachableException} and means {@link ProbeOutcome#REFUSED}.
 *   <li>SCTP (and port-less protocols): {@link ProbeOutcome#UNSUPPORTED} without an attempt; this kernel has no SCTP
 *       sockets.
 * </ul>
 *
 * Thread-safe: every call uses its own selector and sockets.
 */
public final class Prober {
    /** Long enough for any answer inside one kernel, short enough that denied probes are cheap. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);

    public static final int DEFAULT_PARALLELISM = 128;

    private static final byte[] UDP_PAYLOAD = "tortie-probe\n".getBytes(StandardCharsets.UTF_8);
    private static final int BANNER_LIMIT = 512;

    private final Duration timeout;
    private final int parallelism;

    /** A prober with {@link #DEFAULT_TIMEOUT} and {@link #DEFAULT_PARALLELISM}. */
    public Prober() {
        this(DEFAULT_TIMEOUT, DEFAULT_PARALLELISM);
    }

    public Prober(Duration timeout, int parallelism) {
        this.timeout = checkTimeout(timeout);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism + " must be at least 1");
        }
        this.parallelism = parallelism;
    }

    public Duration timeout() {
        return timeout;
    }

    public int parallelism() {
        return parallelism;
    }

    /** One probe with this prober's timeout. */
    public ProbeResult probe(LabPod source, IpAddress destination, Protocol protocol, int port) {
        return probe(source, destination, protocol, port, timeout);
    }

    /** One probe. */
    public ProbeResult probe(LabPod source, IpAddress destination, Protocol protocol, int port, Duration timeout) {
        return probeAll(List.of(new ProbeRequest(source, destination, protocol, port)), 1, timeout, ProbeProgress.NONE)
                .get(0);
    }

    /** Many probes with this prober's timeout and parallelism; results in request order. */
    public List<ProbeResult> probeAll(List<ProbeRequest> requests) {
        return probeAll(requests, parallelism, timeout, ProbeProgress.NONE);
    }

    /**
     * Runs the probes with at most {@code parallelism} in flight, each given {@code timeout}; returns the results in
     * request order and tells {@code progress} about each as it finishes.
     */
    public List<ProbeResult> probeAll(
            List<ProbeRequest> requests, int parallelism, Duration timeout, ProbeProgress progress) {
        Objects.requireNonNull(requests, "requests == null");
        Objects.requireNonNull(progress, "progress == null");
        checkTimeout(timeout);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism + " must be at least 1");
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        try (Run run = new Run(requests, parallelism, timeout.toNanos(), progress)) {
            run.execute();
            return Arrays.asList(run.results);
        } catch (IOException e) {
            throw new LabException("cannot open a selector for probes: " + e.getMessage(), e);
        }
    }

    private static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout " + timeout + " must be positive");
        }
        return timeout;
    }

    /** One probe in flight. */
    private static final class Attempt {
        final int index;
        final ProbeRequest request;
        final SelectableChannel channel;
        final long start;
        final long deadline;
        long connectedAt = -1;
        final ByteBuffer banner = ByteBuffer.allocate(BANNER_LIMIT);

        Attempt(int index, ProbeRequest request, SelectableChannel channel, long start, long deadline) {
            this.index = index;
            this.request = request;
            this.channel = channel;
            this.start = start;
            this.deadline = deadline;
        }

        boolean isTcp() {
            return channel instanceof SocketChannel;
        }
    }

    /** The state of one {@link #probeAll} call. */
    private static final class Run implements AutoCloseable {
        final List<ProbeRequest> requests;
        final int parallelism;
        final long timeoutNanos;
        final ProbeProgress progress;
        final ProbeResult[] results;
        final Selector selector;
        final Set<Attempt> inFlight = new LinkedHashSet<>();
        int next;
        int completed;

        Run(List<ProbeRequest> requests, int parallelism, long timeoutNanos, ProbeProgress progress)
                throws IOException {
            this.requests = requests;
            this.parallelism = parallelism;
            this.timeoutNanos = timeoutNanos;
            this.progress = progress;
            this.results = new ProbeResult[requests.size()];
            this.selector = Selector.open();
        }

        void execute() throws IOException {
            int total = requests.size();
            while (completed < total) {
                while (inFlight.size() < parallelism && next < total) {
                    start(next, requests.get(next));
                    next++;
                }
                if (inFlight.isEmpty()) {
                    continue;
                }
                long earliest = Long.MAX_VALUE;
                for (Attempt attempt : inFlight) {
                    earliest = Math.min(earliest, attempt.deadline);
                }
                long waitNanos = earliest - System.nanoTime();
                if (waitNanos > 0) {
                    selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
                } else {
                    selector.selectNow();
                }
                Set<SelectionKey> keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    if (key.isValid()) {
                        handle((Attempt) key.attachment(), key);
                    }
                }
                keys.clear();
                long now = System.nanoTime();
                for (Attempt attempt : new ArrayList<>(inFlight)) {
                    if (now - attempt.deadline >= 0) {
                        expire(attempt, now);
                    }
                }
            }
        }

        private void start(int index, ProbeRequest request) {
            Protocol protocol = request.protocol();
            if (protocol.equals(Protocol.SCTP)) {
                record(index, request, ProbeOutcome.UNSUPPORTED, null, 0, LabServers.SCTP_UNSUPPORTED);
                return;
            }
            boolean tcp = protocol.equals(Protocol.TCP);
            if (!tcp && !protocol.equals(Protocol.UDP)) {
                record(index, request, ProbeOutcome.UNSUPPORTED, null, 0, "probes support TCP and UDP only");
                return;
            }
            InetSocketAddress target;
            try {
                target = new InetSocketAddress(
                        InetAddress.getByAddress(request.destination().toBytes()), request.port());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 address bytes are always valid", e);
            }
            ProtocolFamily family =
                    request.destination().isV6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            SelectableChannel channel;
            try {
                // Only socket creation needs the pod's namespace: the socket keeps it for life.
                channel = Netns.call(
                        request.source().netns(),
                        () -> tcp ? SocketChannel.open(family) : DatagramChannel.open(family));
            } catch (Exception e) {
                record(index, request, ProbeOutcome.ERROR, null, 0, "cannot open a socket in the source pod: " + e);
                return;
            }
            long begin = System.nanoTime();
            Attempt attempt = new Attempt(index, request, channel, begin, begin + timeoutNanos);
            try {
                channel.configureBlocking(false);
                if (tcp) {
                    SocketChannel socket = (SocketChannel) channel;
                    inFlight.add(attempt);
                    if (socket.connect(target)) {
                        attempt.connectedAt = System.nanoTime();
                        socket.register(selector, SelectionKey.OP_READ, attempt);
                    } else {
                        socket.register(selector, SelectionKey.OP_CONNECT, attempt);
                    }
                } else {
                    DatagramChannel udp = (DatagramChannel) channel;
                    udp.connect(target); // connected, so ICMP errors are reported to this socket
                    inFlight.add(attempt);
                    udp.write(ByteBuffer.wrap(UDP_PAYLOAD));
                    udp.register(selector, SelectionKey.OP_READ, attempt);
                }
            } catch (IOException e) {
                inFlight.add(attempt);
                fail(attempt, e);
            }
        }

        private void handle(Attempt attempt, SelectionKey key) {
            try {
                if (attempt.isTcp()) {
                    SocketChannel socket = (SocketChannel) attempt.channel;
                    if (key.isConnectable()) {
                        if (!socket.finishConnect()) {
                            return;
                        }
                        attempt.connectedAt = System.nanoTime();
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    if (key.isReadable() || attempt.connectedAt >= 0) {
                        readBanner(attempt, socket);
                    }
                } else if (key.isReadable()) {
                    DatagramChannel udp = (DatagramChannel) attempt.channel;
                    int n = udp.read(attempt.banner);
                    if (n > 0) {
                        finish(
                                attempt,
                                ProbeOutcome.CONNECTED,
                                responder(attempt.banner),
                                System.nanoTime() - attempt.start,
                                "");
                    }
                }
            } catch (IOException e) {
                fail(attempt, e);
            }
        }

        private void readBanner(Attempt attempt, SocketChannel socket) throws IOException {
            int n;
            try {
                n = socket.read(attempt.banner);
            } catch (IOException e) {
                // Connected, then reset: the policy allowed the flow; report what arrived.
                finish(
                        attempt,
                        ProbeOutcome.CONNECTED,
                        responder(attempt.banner),
                        attempt.connectedAt - attempt.start,
                        "connection reset after connect: " + message(e));
                return;
            }
            boolean complete = n < 0 || !attempt.banner.hasRemaining() || hasNewline(attempt.banner);
            if (complete) {
                String responder = responder(attempt.banner);
                finish(
                        attempt,
                        ProbeOutcome.CONNECTED,
                        responder,
                        attempt.connectedAt - attempt.start,
                        responder == null ? "connected; no banner" : "");
            }
        }

        private void expire(Attempt attempt, long now) {
            if (attempt.connectedAt >= 0) {
                finish(
                        attempt,
                        ProbeOutcome.CONNECTED,
                        responder(attempt.banner),
                        attempt.connectedAt - attempt.start,
                        "connected; no complete banner within " + millis(timeoutNanos));
            } else {
                finish(
                        attempt,
                        ProbeOutcome.TIMED_OUT,
                        null,
                        now - attempt.start,
                        "no answer within " + millis(timeoutNanos));
            }
        }

        private void fail(Attempt attempt, IOException e) {
            long elapsed = System.nanoTime() - attempt.start;
            if (e instanceof PortUnreachableException) {
                finish(attempt, ProbeOutcome.REFUSED, null, elapsed, "ICMP port unreachable");
            } else if (e instanceof ConnectException || e instanceof NoRouteToHostException || isUnreachable(e)) {
                finish(attempt, ProbeOutcome.REFUSED, null, elapsed, message(e));
            } else {
                finish(attempt, ProbeOutcome.ERROR, null, elapsed, message(e));
            }
        }

        private static boolean isUnreachable(IOException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return e instanceof SocketException
                    && (m.contains("unreachable") || m.contains("refused") || m.contains("prohibited"));
        }

        private void finish(Attempt attempt, ProbeOutcome outcome, String responder, long nanos, String detail) {
            if (!inFlight.remove(attempt)) {
                return;
            }
            try {
                attempt.channel.close();
            } catch (IOException e) {
                // The result stands; the socket is gone either way.
            }
            record(attempt.index, attempt.request, outcome, responder, nanos, detail);
        }

        private void record(
                int index, ProbeRequest request, ProbeOutcome outcome, String responder, long nanos, String detail) {
            ProbeResult result = new ProbeResult(request, outcome, responder, Duration.ofNanos(nanos), detail);
            results[index] = result;
            completed++;
            progress.onResult(result, completed, results.length);
        }

        @Override
        public void close() throws IOException {
            for (Attempt attempt : inFlight) {
                try {
                    attempt.channel.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
            inFlight.clear();
            selector.close();
        }
    }

    private static boolean hasNewline(ByteBuffer buffer) {
        for (int i = 0; i < buffer.position(); i++) {
            if (buffer.get(i) == '\n') {
                return true;
            }
        }
        return false;
    }

    /** The first line of what arrived, or null when nothing did. */
    private static String responder(ByteBuffer buffer) {
        if (buffer.position() == 0) {
            return null;
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String line = (newline < 0 ? text : text.substring(0, newline)).strip();
        return line.isEmpty() ? null : line;
    }

    private static String message(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static String millis(long nanos) {
        return (nanos / 1_000_000) + " ms";
    }
}
