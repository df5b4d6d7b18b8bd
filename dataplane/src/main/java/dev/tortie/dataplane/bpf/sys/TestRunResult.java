package dev.tortie.dataplane.bpf.sys;

/**
 * What BPF_PROG_TEST_RUN reported.
 *
 * @param retval the program's return value (for TC: TC_ACT_OK 0, TC_ACT_SHOT 2, ...)
 * @param dataOut the packet after the program ran
 * @param durationNs mean run time per repetition, as measured by the kernel
 * @param repeat how many times it ran
 */
public record TestRunResult(int retval, byte[] dataOut, long durationNs, int repeat) {}
