/**
 * bpf(2) from Java through jnr-ffi: maps, program load with the verifier log, test runs, pinning and tcx links, each
 * kernel object an AutoCloseable fd handle and each failure a typed exception naming the command and errno.
 *
 * <p>The dataplane's sanctioned syscall boundary for eBPF (next to {@code os}); may import {@code bpf.asm}, not
 * renderers, drivers or the engine. Struct layouts are written out by hand with their offsets (see {@code Attr}).
 */
package dev.tortie.dataplane.bpf.sys;
