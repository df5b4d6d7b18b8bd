/**
 * The eBPF dataplane driver: {@link dev.tortie.dataplane.bpf.BpfDataplane} loads the programs of {@code bpf.polprog}
 * through the verifier, attaches them with tcx links to the workload interfaces in the node namespace, keeps the shared
 * maps ({@link dev.tortie.dataplane.bpf.SharedMaps}) and pins everything under a tortie-owned bpffs directory.
 *
 * <p>May import {@code bpf.sys} (the syscall boundary), {@code bpf.polprog}, {@code bpf.ipsets}, {@code bpf.asm}, {@code
 * os} (network namespaces), {@code flowlog} (the ring-buffer reader behind {@code flowLog()}) and the dataplane's shared
 * types; never jnr directly, never the iptables renderers or drivers.
 */
package dev.tortie.dataplane.bpf;
