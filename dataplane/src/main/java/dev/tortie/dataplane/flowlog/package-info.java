/**
 * Flow logs that name the rule: the events both dataplanes emit for each new flow's policy decision (iptables: NFLOG
 * with a rule-number prefix, read by {@link dev.tortie.dataplane.flowlog.NflogReader}; eBPF: a ring buffer, read by
 * {@link dev.tortie.dataplane.flowlog.RingBufferReader}), the bounded {@link dev.tortie.dataplane.flowlog.FlowAggregator}
 * and the {@link dev.tortie.dataplane.flowlog.FlowLog} facade that {@code Dataplane.flowLog()} returns.
 *
 * <p>The aggregator, queries, records, configuration and wire codecs ({@code NflogMessages}, {@code PacketHeaders}) are
 * pure; only the readers do I/O: {@code NetlinkSocket} is this package's one jnr-ffi binding (libc socket calls), the
 * ring buffer is mapped through {@code bpf.sys}, network namespaces are entered through {@code os}. Must not import the
 * drivers, the lab, or the renderers beyond {@code NflogPrefix}.
 */
package dev.tortie.dataplane.flowlog;
