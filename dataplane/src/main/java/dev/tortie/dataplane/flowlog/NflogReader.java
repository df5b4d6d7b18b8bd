package dev.tortie.dataplane.flowlog;

import dev.tortie.dataplane.os.Netns;
import dev.tortie.dataplane.render.iptables.NflogPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Reads the NFLOG messages of tortie's iptables rules: a netlink socket ({@code AF_NETLINK}, {@code NETLINK_NETFILTER})
 * created inside the node's network namespace (with {@link Netns#call}, so it talks to that namespace's netfilter),
 * bound to the ingress and egress groups with packet copies of the configured size (headers only), per-group sequence
 * numbers and kernel batching; one daemon thread polls it and turns each message into a {@link FlowEvent}: verdict,
 * direction and rule number from the {@link NflogPrefix}, the rule id text from the ruleset's map, addresses, protocol
 * and ports from the copied IPv4 header, the time from the kernel's timestamp.
 *
 * <p>Nothing here can slow the datapath down: the kernel queues NFLOG messages without waiting for the reader and drops
 * them when the socket's receive buffer is full. The reader notices: the group's sequence numbers jump, and the next
 * recv fails with ENOBUFS; the gap is counted as {@link #LOST} in the aggregator (no policy is known for a lost
 * message). A group can have one reader per namespace: another process bound to it (EBUSY, EPERM) fails {@link
 * #start}.
 */
public final class NflogReader implements FlowSource {
    /** NFLOG messages the kernel could not queue to the reader (its socket buffer was full). */
    public static final String LOST = "nflog-socket-full";

    private static final int DATAGRAM_BYTES = 256 * 1024;
    private static final int POLL_MILLIS = 200;
    private static final long TIMESTAMP_SLACK_MILLIS = 60_000;

    private final String netns;
    private final FlowLogConfig config;
    private final LongFunction<String> ruleIds;
    private final String description;
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong notIpv4 = new AtomicLong();
    private final AtomicLong unknownRules = new AtomicLong();
    private final Map<Integer, Long> lastSeq = new HashMap<>();
    private volatile String problem;
    private volatile boolean closing;
    private NetlinkSocket socket;
    private Thread thread;
    private FlowAggregator sink;
    private volatile boolean forcedBuffer;

    /**
     * @param netns the named network namespace whose netfilter logs (the node's), or null for the calling thread's
     * @param ruleIds the rule id text of an NFLOG prefix number, or null when unknown (read on the reader thread: must
     *     be thread-safe)
     */
    public NflogReader(String netns, FlowLogConfig config, LongFunction<String> ruleIds) {
        this.netns = netns == null ? null : Netns.checkName(netns);
        this.config = Objects.requireNonNull(config, "config == null");
        this.ruleIds = Objects.requireNonNull(ruleIds, "ruleIds == null");
        this.description = "nflog groups "
                + String.join(",", groups().stream().map(String::valueOf).toList())
                + (netns == null ? "" : " in netns " + netns);
    }

    private List<Integer> groups() {
        return new ArrayList<>(new TreeSet<>(List.of(config.ingressGroup(), config.egressGroup())));
    }

    /** {@code nflog}; the groups and namespace are in {@link #toString()} and in error messages. */
    @Override
    public String name() {
        return "nflog";
    }

    @Override
    public synchronized void start(FlowAggregator aggregator) {
        Objects.requireNonNull(aggregator, "aggregator == null");
        if (thread != null) {
            throw new IllegalStateException(description + " is already started");
        }
        this.sink = aggregator;
        NetlinkSocket s;
        try {
            s = netns == null ? open() : Netns.call(netns, this::open);
        } catch (FlowLogException e) {
            throw e;
        } catch (Exception e) {
            throw new FlowLogException(description + ": cannot open the netlink socket: " + e.getMessage(), e);
        }
        try {
            forcedBuffer = s.receiveBufferSize(config.receiveBufferBytes());
            int seq = 1;
            for (int group : groups()) {
                int centis = (int) Math.max(1, config.kernelFlush().toMillis() / 10);
                s.send(NflogMessages.bindRequest(
                        seq, group, config.copyBytes(), 65536, centis, Math.max(1, config.kernelBatch())));
                awaitAck(s, seq, group);
                seq++;
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        closing = false;
        thread = new Thread(this::run, "tortie-nflog" + (netns == null ? "" : "-" + netns));
        thread.setDaemon(true);
        thread.start();
    }

    /** Inside the namespace: only the socket syscalls (see {@link Netns}). */
    private NetlinkSocket open() {
        return NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, description, DATAGRAM_BYTES);
    }

    /** Reads until the kernel acknowledges request {@code seq}; packets arriving meanwhile are handled. */
    private void awaitAck(NetlinkSocket s, int seq, int group) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int[] result = {Integer.MIN_VALUE};
        NflogMessages.Handler handler = new Handler() {
            @Override
            public void ack(int ackSeq, int error) {
                if (ackSeq == seq) {
                    result[0] = error;
                }
            }
        };
        while (result[0] == Integer.MIN_VALUE) {
            if (System.nanoTime() > deadline) {
                throw new FlowLogException(description + ": no answer from the kernel binding NFLOG group " + group);
            }
            if (!s.awaitReadable(100)) {
                continue;
            }
            int n = s.receive();
            if (n == -NetlinkSocket.EAGAIN || n == -NetlinkSocket.ENOBUFS) {
                continue;
            }
            if (n < 0) {
                throw new FlowLogException(description + ": recv: " + NetlinkSocket.describe(-n));
            }
            NflogMessages.parse(s.buffer(), n, handler);
        }
        int error = -result[0];
        if (error == 16 /* EBUSY */ || error == 1 /* EPERM */) {
            throw new FlowLogException(
                    description + ": NFLOG group " + group + " is already bound by another socket in this"
                            + " network namespace (another agent, ulogd?): " + NetlinkSocket.describe(error));
        }
        if (error != 0) {
            throw new FlowLogException(
                    description + ": binding NFLOG group " + group + " failed: " + NetlinkSocket.describe(error));
        }
    }

    private void run() {
        Handler handler = new Handler();
        try {
            while (!closing) {
                if (!socket.awaitReadable(POLL_MILLIS)) {
                    continue;
                }
                while (!closing) {
                    int n = socket.receive();
                    if (n == -NetlinkSocket.EAGAIN) {
                        break;
                    }
                    if (n == -NetlinkSocket.ENOBUFS) {
                        overruns.incrementAndGet(); // the sequence gap says how many
                        continue;
                    }
                    if (n < 0) {
                        throw new FlowLogException(description + ": recv: " + NetlinkSocket.describe(-n));
                    }
                    datagrams.incrementAndGet();
                    NflogMessages.parse(socket.buffer(), n, handler);
                }
            }
        } catch (RuntimeException e) {
            problem = "reader stopped: " + e.getMessage();
        }
    }

    /** Turns packets into events. */
    private class Handler implements NflogMessages.Handler {
        @Override
        public void packet(NflogMessages.Packet p) {
            messages.incrementAndGet();
            if (p.seq() >= 0) {
                Long last = lastSeq.put(p.group(), p.seq());
                if (last != null) {
                    long gap = (p.seq() - last - 1) & 0xffffffffL;
                    if (gap > 0 && gap < 0x80000000L) {
                        lost.addAndGet(gap);
                        sink.dropped(LOST, null, gap);
                    }
                }
            }
            NflogPrefix prefix = NflogPrefix.parse(p.prefix());
            if (prefix == null) {
                foreign.incrementAndGet(); // another NFLOG rule logging to our group
                return;
            }
            PacketHeaders h = PacketHeaders.parseIpv4(p.payload(), 0, p.payload().length);
            if (h == null) {
                notIpv4.incrementAndGet();
                return;
            }
            String ruleId = ruleIds.apply(prefix.numericId());
            if (ruleId == null) {
                unknownRules.incrementAndGet();
                ruleId = FlowEvent.unknownRuleId(prefix.numericId());
            }
            long now = System.currentTimeMillis();
            long t = p.timestampMillis();
            if (Math.abs(t - now) > TIMESTAMP_SLACK_MILLIS) {
                t = 0; // absent or implausible: the aggregator's clock
            }
            sink.add(new FlowEvent(
                    t,
                    prefix.numericId(),
                    ruleId,
                    prefix.allow() ? FlowVerdict.ALLOW : FlowVerdict.DENY,
                    prefix.direction(),
                    h.srcIp(),
                    h.dstIp(),
                    h.srcPort(),
                    h.dstPort(),
                    h.protocol()));
        }

        @Override
        public void ack(int seq, int error) {
            // late acknowledgements of the bind requests
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        out.put("datagrams", datagrams.get());
        out.put("messages", messages.get());
        out.put("lost (sequence gaps)", lost.get());
        out.put("socket overruns (ENOBUFS)", overruns.get());
        out.put("foreign prefixes", foreign.get());
        out.put("not IPv4", notIpv4.get());
        out.put("unknown rule numbers", unknownRules.get());
        out.put("receive buffer forced", forcedBuffer ? 1L : 0L);
        return out;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        closing = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close(); // releases the groups
        thread = null;
        socket = null;
    }

    @Override
    public String toString() {
        return "NflogReader{" + description + "}";
    }
}
