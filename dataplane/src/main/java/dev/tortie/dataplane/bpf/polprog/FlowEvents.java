package dev.tortie.dataplane.bpf.polprog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The flow event a policy program writes to the {@link PolicyMaps#FLOWS} ring buffer for each decision its policy
 * makes (the first packet of a connection, or any packet conntrack did not accept: retransmitted SYNs of a denied
 * connection, ...): established traffic, ARP, fragments, IPv6 and malformed packets write none.
 *
 * <pre>
 * offset size  field        byte order
 *  0     8     rule id      host    FNV-1a of the deciding rule id text (as skb->cb and the counters)
 *  8     4     src address  network
 * 12     4     dst address  network
 * 16     2     src port     network (0 without ports)
 * 18     2     dst port     network
 * 20     1     protocol
 * 21     1     verdict      0 allow, 1 deny
 * 22     1     direction    0 ingress, 1 egress (of the endpoint whose program decided)
 * 23     1     reserved     0
 * 24     8     time         host    bpf_ktime_get_ns(): CLOCK_MONOTONIC, as Java's System.nanoTime() on Linux
 * </pre>
 *
 * When the ring is full {@code bpf_ringbuf_output} fails and the program counts the event under its rule id in
 * {@link PolicyMaps#FLOWS_LOST} instead: nothing is lost uncounted, and the datapath never waits.
 */
public final class FlowEvents {
    public static final int SIZE = 32;
    public static final int RULE_ID = 0;
    public static final int SRC_ADDR = 8;
    public static final int DST_ADDR = 12;
    public static final int SRC_PORT = 16;
    public static final int DST_PORT = 18;
    public static final int PROTOCOL = 20;
    public static final int VERDICT = 21;
    public static final int DIRECTION = 22;
    public static final int RESERVED = 23;
    public static final int TIME = 24;

    public static final int VERDICT_ALLOW = 0;
    public static final int VERDICT_DENY = 1;
    public static final int DIRECTION_INGRESS = 0;
    public static final int DIRECTION_EGRESS = 1;

    private FlowEvents() {}

    /**
     * One decoded event.
     *
     * @param srcIp source address bits (as an IPv4 address reads, most significant byte first)
     * @param ktimeNs the kernel's CLOCK_MONOTONIC time
     */
    public record Event(
            long ruleId,
            int srcIp,
            int dstIp,
            int srcPort,
            int dstPort,
            int protocol,
            boolean deny,
            boolean egress,
            long ktimeNs) {}

    /** Decodes a record; null when it is not {@link #SIZE} bytes. */
    public static Event decode(byte[] record) {
        if (record.length != SIZE) {
            return null;
        }
        ByteBuffer host = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
        ByteBuffer net = ByteBuffer.wrap(record).order(ByteOrder.BIG_ENDIAN);
        return new Event(
                host.getLong(RULE_ID),
                net.getInt(SRC_ADDR),
                net.getInt(DST_ADDR),
                net.getShort(SRC_PORT) & 0xffff,
                net.getShort(DST_PORT) & 0xffff,
                record[PROTOCOL] & 0xff,
                record[VERDICT] == VERDICT_DENY,
                record[DIRECTION] == DIRECTION_EGRESS,
                host.getLong(TIME));
    }

    /** Encodes an event as a program writes it (for tests). */
    public static byte[] encode(Event e) {
        byte[] out = new byte[SIZE];
        ByteBuffer host = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        ByteBuffer net = ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN);
        host.putLong(RULE_ID, e.ruleId());
        net.putInt(SRC_ADDR, e.srcIp());
        net.putInt(DST_ADDR, e.dstIp());
        net.putShort(SRC_PORT, (short) e.srcPort());
        net.putShort(DST_PORT, (short) e.dstPort());
        out[PROTOCOL] = (byte) e.protocol();
        out[VERDICT] = (byte) (e.deny() ? VERDICT_DENY : VERDICT_ALLOW);
        out[DIRECTION] = (byte) (e.egress() ? DIRECTION_EGRESS : DIRECTION_INGRESS);
        host.putLong(TIME, e.ktimeNs());
        return out;
    }
}
