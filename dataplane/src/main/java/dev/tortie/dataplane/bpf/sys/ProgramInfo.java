package dev.tortie.dataplane.bpf.sys;

/**
 * A loaded program as the kernel describes it ({@code struct bpf_prog_info}).
 *
 * @param tag the kernel's 8-byte program tag in hex (what bpftool shows)
 * @param xlatedBytes size of the verifier-rewritten program
 * @param jitedBytes size of the JIT image
 * @param runTimeNs and runCount only count while stats are enabled (kernel.bpf_stats_enabled)
 * @param verifiedInsns instructions the verifier processed (its complexity budget is 1M)
 */
public record ProgramInfo(
        int id,
        int type,
        String name,
        String tag,
        int xlatedBytes,
        int jitedBytes,
        boolean gplCompatible,
        long runTimeNs,
        long runCount,
        int verifiedInsns) {}
