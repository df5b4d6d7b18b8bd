package dev.tortie.dataplane.lab;

import dev.tortie.dataplane.os.Netns;
import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The servers of every lab pod, on one NIO selector thread: TCP accepts, writes {@code <namespace>/<pod>\n} and
 * closes; UDP answers every datagram with the same text. Sockets are created (and bound) with the calling thread
 * switched into the pod's namespace, then handed to the selector thread, which never switches itself.
 */
final class LabServers implements AutoCloseable {
    static final String SCTP_UNSUPPORTED = "this kernel has no SCTP sockets (CONFIG_IP_SCTP unset)";
    private static final long STOP_TIMEOUT_MS = 5_000;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Owned by the selector thread. */
    private final Map<String, List<SelectableChannel>> channelsByPod = new HashMap<>();

    private final AtomicLong served = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;
    private volatile String lastError;

    private LabServers(Selector selector, String threadName) {
        this.selector = selector;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the selector thread; it inherits the caller's network namespace, which it never uses. */
    static LabServers start(String threadName) {
        try {
            LabServers servers = new LabServers(Selector.open(), threadName);
            servers.thread.start();
            return servers;
        } catch (IOException e) {
            throw new LabException("cannot open a selector for the lab servers: " + e.getMessage(), e);
        }
    }

    /** What {@link #serve} started. */
    record Served(List<ContainerPort> served, List<LabPod.UnsupportedPort> unsupported) {}

    /**
     * Opens servers for {@code ports} inside {@code netns} (on the calling thread) and registers them. Duplicate
     * protocol/port pairs get one server. SCTP and port-less protocols are reported as unsupported. On failure every
     * socket opened here is closed again.
     */
    Served serve(String podKey, String netns, List<ContainerPort> ports) {
        if (!running) {
            throw new LabException("pod " + podKey + ": the lab's servers are already stopped");
        }
        byte[] banner = (podKey + "\n").getBytes(StandardCharsets.UTF_8);
        List<ContainerPort> served = new ArrayList<>();
        List<LabPod.UnsupportedPort> unsupported = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<ContainerPort> toOpen = new ArrayList<>();
        for (ContainerPort port : ports) {
            Protocol protocol = port.protocol();
            if (protocol.equals(Protocol.SCTP)) {
                unsupported.add(new LabPod.UnsupportedPort(port, SCTP_UNSUPPORTED));
            } else if (!protocol.equals(Protocol.TCP) && !protocol.equals(Protocol.UDP)) {
                unsupported.add(new LabPod.UnsupportedPort(port, "the lab serves TCP and UDP ports only"));
            } else if (seen.add(protocol.number() + "/" + port.port())) {
                toOpen.add(port);
            } else {
                served.add(port); // same socket as an earlier declaration
            }
        }
        if (toOpen.isEmpty()) {
            return new Served(served, unsupported);
        }
        List<SelectableChannel> channels = new ArrayList<>();
        try {
            Netns.call(netns, () -> {
                for (ContainerPort port : toOpen) {
                    channels.add(open(port));
                }
                return null;
            });
        } catch (Exception e) {
            closeQuietly(channels);
            throw new LabException(
                    "pod " + podKey + ": cannot start servers in netns " + netns + ": " + e.getMessage(), e);
        }
        served.addAll(toOpen);
        submit(() -> {
            List<SelectableChannel> mine = channelsByPod.computeIfAbsent(podKey, k -> new ArrayList<>());
            for (SelectableChannel channel : channels) {
                mine.add(channel);
                try {
                    int ops = channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
                    channel.register(selector, ops, ByteBuffer.wrap(banner).asReadOnlyBuffer());
                } catch (IOException e) {
                    recordError("register " + podKey, e);
                }
            }
        });
        return new Served(served, unsupported);
    }

    private static SelectableChannel open(ContainerPort port) throws IOException {
        InetSocketAddress any = new InetSocketAddress(port.port());
        if (port.protocol().equals(Protocol.TCP)) {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            try {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(any, 512);
                server.configureBlocking(false);
                return server;
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
        DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            udp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            udp.bind(any);
            udp.configureBlocking(false);
            return udp;
        } catch (IOException | RuntimeException e) {
            udp.close();
            throw e;
        }
    }

    /** Closes the pod's servers and waits until their sockets are really released. */
    void stop(String podKey) {
        await(
                submit(() -> {
                    closeQuietly(channelsByPod.remove(podKey));
                    // A closed channel's socket is released when the selector deregisters its key, at the next
                    // select: do that now so the sockets no longer pin the pod's namespace when stop returns.
                    try {
                        selector.selectNow();
                    } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                        recordError("flush cancelled keys", e);
                    }
                }),
                "stop servers of " + podKey);
    }

    long servedCount() {
        return served.get();
    }

    long errorCount() {
        return errors.get();
    }

    /** The most recent error on the selector thread, if any (servers keep running after errors). */
    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(STOP_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CompletableFuture<Void> submit(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.complete(null);
            return done;
        }
        tasks.add(() -> {
            try {
                task.run();
            } finally {
                done.complete(null);
            }
        });
        selector.wakeup();
        return done;
    }

    private static void await(CompletableFuture<Void> done, String what) {
        try {
            done.get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException(what + ": the server thread did not respond", e);
        }
    }

    private void loop() {
        try {
            while (running) {
                selector.select();
                runTasks();
                Set<SelectionKey> keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    handle(key);
                }
                keys.clear();
            }
        } catch (IOException | RuntimeException e) {
            recordError("selector", e);
        } finally {
            runTasks();
            for (List<SelectableChannel> channels : channelsByPod.values()) {
                closeQuietly(channels);
            }
            channelsByPod.clear();
            try {
                selector.close();
            } catch (IOException e) {
                recordError("close selector", e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        ByteBuffer banner = (ByteBuffer) key.attachment();
        try {
            if (key.isAcceptable()) {
                ServerSocketChannel server = (ServerSocketChannel) key.channel();
                SocketChannel client;
                while ((client = server.accept()) != null) {
                    try (SocketChannel c = client) {
                        // A fresh socket's send buffer always takes a one-line banner without blocking.
                        c.write(banner.duplicate());
                        served.incrementAndGet();
                    } catch (IOException e) {
                        recordError("answer TCP client", e);
                    }
                }
            } else if (key.isReadable()) {
                DatagramChannel udp = (DatagramChannel) key.channel();
                ByteBuffer in = ByteBuffer.allocate(2048);
                SocketAddress from;
                while ((from = udp.receive(in)) != null) {
                    in.clear();
                    udp.send(banner.duplicate(), from);
                    served.incrementAndGet();
                }
            }
        } catch (IOException e) {
            recordError("serve", e);
        }
    }

    private void recordError(String what, Exception e) {
        errors.incrementAndGet();
        lastError = what + ": " + e;
    }

    private static void closeQuietly(List<SelectableChannel> channels) {
        if (channels == null) {
            return;
        }
        for (SelectableChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to do: the socket is gone either way.
            }
        }
    }
}
