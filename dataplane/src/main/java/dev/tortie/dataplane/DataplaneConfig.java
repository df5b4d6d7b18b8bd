package dev.tortie.dataplane;

import dev.tortie.dataplane.flowlog.FlowLogConfig;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Node-level dataplane settings shared by the renderers and drivers. Defaults follow Felix: workload interfaces
 * {@code cali*}, accept mark 0x10000, pass 0x20000, scratch marks 0x80000 and 0x100000.
 *
 * @param interfacePrefixes workload interface prefixes; the first one names pod interfaces ({@link
 *     Names#workloadInterface}), every one is dispatched and fails closed for unknown interfaces (EKS: {@code eni})
 * @param acceptMark set by an Allow; tortie-FORWARD accepts when it is set at the end
 * @param passMark set by a Pass; skips the rest of the tier
 * @param scratch0Mark scratch bit for match blocks (rules iptables cannot express in one line)
 * @param scratch1Mark second scratch bit for match blocks
 * @param logPrefix start of the {@code --log-prefix} of Log rules; the rule id's hash follows
 * @param iptablesMode which iptables binary family to drive
 * @param dispatchFanout above this many endpoints the dispatch chains become a one-level tree keyed by the first
 *     character after the interface prefix
 * @param maxSetSize {@code maxelem} of every IP set
 * @param flowLogs flow logging: NFLOG on every deciding iptables rule, flow events from the eBPF programs, and how the
 *     agent aggregates them ({@link FlowLogConfig#defaults()}: on)
 */
public record DataplaneConfig(
        List<String> interfacePrefixes,
        int acceptMark,
        int passMark,
        int scratch0Mark,
        int scratch1Mark,
        String logPrefix,
        IptablesMode iptablesMode,
        int dispatchFanout,
        int maxSetSize,
        FlowLogConfig flowLogs) {

    /** Which iptables userspace to use; both program the kernel, but their rules are invisible to each other. */
    public enum IptablesMode {
        /** Detect as Felix does: where tortie chains already are, else whichever has more rules, else nft. */
        AUTO,
        /** {@code iptables-nft-save}/{@code iptables-nft-restore}. */
        NFT,
        /** {@code iptables-legacy-save}/{@code iptables-legacy-restore}. */
        LEGACY
    }

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,11}");

    public DataplaneConfig {
        interfacePrefixes = List.copyOf(interfacePrefixes);
        if (interfacePrefixes.isEmpty()) {
            throw new IllegalArgumentException("at least one interface prefix is needed");
        }
        for (String p : interfacePrefixes) {
            if (!PREFIX.matcher(p).matches()) {
                throw new IllegalArgumentException("interface prefix '" + p + "' must be 1-12 of [A-Za-z0-9_.-]");
            }
        }
        int all = 0;
        for (int mark : new int[] {acceptMark, passMark, scratch0Mark, scratch1Mark}) {
            if (Integer.bitCount(mark) != 1) {
                throw new IllegalArgumentException(String.format("mark 0x%x must be a single bit", mark));
            }
            if ((all & mark) != 0) {
                throw new IllegalArgumentException(String.format("mark 0x%x is used twice", mark));
            }
            all |= mark;
        }
        Objects.requireNonNull(logPrefix, "logPrefix == null");
        Objects.requireNonNull(iptablesMode, "iptablesMode == null");
        if (dispatchFanout < 1) {
            throw new IllegalArgumentException("dispatchFanout must be positive");
        }
        if (maxSetSize < 1) {
            throw new IllegalArgumentException("maxSetSize must be positive");
        }
        Objects.requireNonNull(flowLogs, "flowLogs == null");
    }

    public static DataplaneConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .interfacePrefixes(interfacePrefixes)
                .acceptMark(acceptMark)
                .passMark(passMark)
                .scratch0Mark(scratch0Mark)
                .scratch1Mark(scratch1Mark)
                .logPrefix(logPrefix)
                .iptablesMode(iptablesMode)
                .dispatchFanout(dispatchFanout)
                .maxSetSize(maxSetSize)
                .flowLogs(flowLogs);
    }

    /** The prefix that names pod interfaces. */
    public String namingPrefix() {
        return interfacePrefixes.get(0);
    }

    /** Every mark bit tortie owns; tortie-FORWARD clears them first. */
    public int allMarks() {
        return acceptMark | passMark | scratch0Mark | scratch1Mark;
    }

    public static final class Builder {
        private List<String> interfacePrefixes = List.of(Names.DEFAULT_INTERFACE_PREFIX);
        private int acceptMark = 0x10000;
        private int passMark = 0x20000;
        private int scratch0Mark = 0x80000;
        private int scratch1Mark = 0x100000;
        private String logPrefix = "tortie";
        private IptablesMode iptablesMode = IptablesMode.AUTO;
        private int dispatchFanout = 16;
        private int maxSetSize = 1_048_576;
        private FlowLogConfig flowLogs = FlowLogConfig.defaults();

        private Builder() {}

        public Builder interfacePrefixes(List<String> value) {
            interfacePrefixes = value;
            return this;
        }

        public Builder interfacePrefixes(String... value) {
            return interfacePrefixes(List.of(value));
        }

        public Builder acceptMark(int value) {
            acceptMark = value;
            return this;
        }

        public Builder passMark(int value) {
            passMark = value;
            return this;
        }

        public Builder scratch0Mark(int value) {
            scratch0Mark = value;
            return this;
        }

        public Builder scratch1Mark(int value) {
            scratch1Mark = value;
            return this;
        }

        public Builder logPrefix(String value) {
            logPrefix = value;
            return this;
        }

        public Builder iptablesMode(IptablesMode value) {
            iptablesMode = value;
            return this;
        }

        public Builder dispatchFanout(int value) {
            dispatchFanout = value;
            return this;
        }

        public Builder maxSetSize(int value) {
            maxSetSize = value;
            return this;
        }

        public Builder flowLogs(FlowLogConfig value) {
            flowLogs = value;
            return this;
        }

        /** Flow logs on or off, other flow-log settings unchanged. */
        public Builder flowLogsEnabled(boolean value) {
            flowLogs = flowLogs.withEnabled(value);
            return this;
        }

        public DataplaneConfig build() {
            return new DataplaneConfig(
                    interfacePrefixes,
                    acceptMark,
                    passMark,
                    scratch0Mark,
                    scratch1Mark,
                    logPrefix,
                    iptablesMode,
                    dispatchFanout,
                    maxSetSize,
                    flowLogs);
        }
    }
}
