/**
 * eBPF assembler and disassembler: an immutable instruction model, a label-resolving builder and a bpftool-style listing.
 *
 * <p>Pure values, no I/O: must not import {@code bpf.sys}, {@code os} or jnr; map references stay symbolic until load.
 */
package dev.tortie.dataplane.bpf.asm;
