/**
 * A small TC program built with the assembler that proves the pieces fit: packet parsing with verifier bounds checks, an
 * IP-set LPM lookup and per-CPU counters. The policy program builder (polprog) supersedes it.
 *
 * <p>Pure: imports {@code bpf.asm} and {@code bpf.ipsets} only; loading is the caller's business.
 */
package dev.tortie.dataplane.bpf.demo;
