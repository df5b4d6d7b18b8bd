package dev.tortie.dataplane.bpf.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What BPF_PROG_TEST_RUN reported.
 *
 * @param retval the program's return value (for TC: TC_ACT_OK 0, TC_ACT_SHOT 2, ...)
 * @param dataOut the packet after the program ran
 * @param durationNs mean run time per repetition, as measured by the kernel
 * @param repeat how many times it ran
 * @param ctxOut the context after the run (for TC: {@code struct __sk_buff}, e.g. the {@code cb[]} words a program
 *     wrote) when one was passed in, else empty
 */
public record TestRunResult(int retval, byte[] dataOut, long durationNs, int repeat, byte[] ctxOut) {
    /** Offset of {@code cb[0]} in {@code struct __sk_buff}. */
    public static final int SKB_CB_OFFSET = 48;

    /** Size of the zeroed {@code struct __sk_buff} passed as context (the kernel accepts a shorter or equal one). */
    public static final int SKB_CTX_SIZE = 192;

    public TestRunResult(int retval, byte[] dataOut, long durationNs, int repeat) {
        this(retval, dataOut, durationNs, repeat, new byte[0]);
    }

    /** For TC programs run with a context: {@code skb->cb[index]} (host order) after the run. */
    public int skbCb(int index) {
        if (index < 0 || index > 4) {
            throw new IllegalArgumentException("cb index " + index + " out of range 0-4");
        }
        int off = SKB_CB_OFFSET + 4 * index;
        if (ctxOut.length < off + 4) {
            throw new IllegalStateException("the test run had no __sk_buff context");
        }
        return ByteBuffer.wrap(ctxOut).order(ByteOrder.nativeOrder()).getInt(off);
    }
}
