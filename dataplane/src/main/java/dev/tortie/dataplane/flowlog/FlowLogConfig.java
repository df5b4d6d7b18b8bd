package dev.tortie.dataplane.flowlog;

import dev.tortie.engine.model.Direction;
import java.time.Duration;
import java.util.Objects;

/**
 * Flow-log settings shared by both dataplanes ({@code DataplaneConfig.flowLogs()}).
 *
 * <p>iptables: every deciding rule also logs to NFLOG ({@code --nflog-group}: {@link #ingressGroup} for ingress
 * policy, {@link #egressGroup} for egress, as Calico's 1 and 2; {@code --nflog-size} {@link #copyBytes}: headers only;
 * {@code --nflog-threshold} {@link #kernelBatch}: the kernel batches up to that many packets per netlink message, or
 * sends what it has after {@link #kernelFlush}). eBPF: the policy programs write one event per policy decision to a ring
 * buffer. Either way the events are aggregated per (source, destination, destination port, protocol, rule, verdict,
 * direction) in {@link #bucket} intervals, at most {@link #maxRecords} records, for {@link #window}.
 *
 * @param enabled render the NFLOG rules / ring-buffer output at all (off: no kernel cost, {@code flowLog()} reports
 *     itself disabled)
 * @param ingressGroup NFLOG group of ingress-policy decisions (0-65535)
 * @param egressGroup NFLOG group of egress-policy decisions (0-65535)
 * @param copyBytes bytes of each packet copied to the reader (IPv4 header with options and the L4 ports fit in 64;
 *     Calico copies 80)
 * @param kernelBatch packets the kernel may queue before it sends them to the reader (1-65535)
 * @param kernelFlush longest time a queued packet waits in the kernel (10 ms steps, at least 10 ms)
 * @param receiveBufferBytes the reader's socket receive buffer (the kernel drops, and the reader counts, what does
 *     not fit while the reader is behind)
 * @param bucket aggregation interval
 * @param window how long records are kept
 * @param maxRecords most aggregated records kept; when reached the oldest interval is evicted, and when the current
 *     interval alone fills it new flows are counted as dropped (per policy) instead of recorded
 */
public record FlowLogConfig(
        boolean enabled,
        int ingressGroup,
        int egressGroup,
        int copyBytes,
        int kernelBatch,
        Duration kernelFlush,
        int receiveBufferBytes,
        Duration bucket,
        Duration window,
        int maxRecords) {

    public FlowLogConfig {
        checkGroup(ingressGroup, "ingress");
        checkGroup(egressGroup, "egress");
        if (copyBytes < 64 || copyBytes > 65535) {
            throw new IllegalArgumentException("copyBytes " + copyBytes + " must be 64-65535 (headers must fit)");
        }
        if (kernelBatch < 1 || kernelBatch > 65535) {
            throw new IllegalArgumentException("kernelBatch " + kernelBatch + " must be 1-65535");
        }
        Objects.requireNonNull(kernelFlush, "kernelFlush == null");
        if (kernelFlush.toMillis() < 10 || kernelFlush.toMillis() > 60_000) {
            throw new IllegalArgumentException("kernelFlush " + kernelFlush + " must be 10 ms to 60 s");
        }
        if (receiveBufferBytes < 65536) {
            throw new IllegalArgumentException("receiveBufferBytes " + receiveBufferBytes + " must be at least 64 KiB");
        }
        Objects.requireNonNull(bucket, "bucket == null");
        Objects.requireNonNull(window, "window == null");
        if (bucket.toMillis() < 1) {
            throw new IllegalArgumentException("bucket " + bucket + " must be at least 1 ms");
        }
        if (window.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("window " + window + " is shorter than a bucket (" + bucket + ")");
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords " + maxRecords + " must be positive");
        }
    }

    private static void checkGroup(int group, String what) {
        if (group < 0 || group > 65535) {
            throw new IllegalArgumentException(what + " NFLOG group " + group + " must be 0-65535");
        }
    }

    /**
     * On; groups 1 (ingress) and 2 (egress); 80 bytes copied; batches of up to 32 packets flushed after 100 ms; an 8
     * MiB receive buffer; 5 s buckets kept 15 minutes; at most 65,536 records (about 8 MiB of heap).
     */
    public static FlowLogConfig defaults() {
        return new FlowLogConfig(
                true,
                1,
                2,
                80,
                32,
                Duration.ofMillis(100),
                8 << 20,
                Duration.ofSeconds(5),
                Duration.ofMinutes(15),
                65_536);
    }

    /** The defaults with flow logs off. */
    public static FlowLogConfig disabled() {
        return defaults().withEnabled(false);
    }

    public FlowLogConfig withEnabled(boolean value) {
        return new FlowLogConfig(
                value,
                ingressGroup,
                egressGroup,
                copyBytes,
                kernelBatch,
                kernelFlush,
                receiveBufferBytes,
                bucket,
                window,
                maxRecords);
    }

    public FlowLogConfig withGroups(int ingress, int egress) {
        return new FlowLogConfig(
                enabled,
                ingress,
                egress,
                copyBytes,
                kernelBatch,
                kernelFlush,
                receiveBufferBytes,
                bucket,
                window,
                maxRecords);
    }

    public FlowLogConfig withKernelBatching(int batch, Duration flush) {
        return new FlowLogConfig(
                enabled,
                ingressGroup,
                egressGroup,
                copyBytes,
                batch,
                flush,
                receiveBufferBytes,
                bucket,
                window,
                maxRecords);
    }

    public FlowLogConfig withReceiveBufferBytes(int value) {
        return new FlowLogConfig(
                enabled,
                ingressGroup,
                egressGroup,
                copyBytes,
                kernelBatch,
                kernelFlush,
                value,
                bucket,
                window,
                maxRecords);
    }

    public FlowLogConfig withAggregation(Duration bucketLength, Duration windowLength, int records) {
        return new FlowLogConfig(
                enabled,
                ingressGroup,
                egressGroup,
                copyBytes,
                kernelBatch,
                kernelFlush,
                receiveBufferBytes,
                bucketLength,
                windowLength,
                records);
    }

    /** The NFLOG group of a policy direction. */
    public int group(Direction direction) {
        return direction == Direction.INGRESS ? ingressGroup : egressGroup;
    }
}
