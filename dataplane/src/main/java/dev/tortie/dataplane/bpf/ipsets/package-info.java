/**
 * The IP-set key layout shared by the BPF programs and the map writers: one LPM trie per family holding every set.
 *
 * <p>Pure values: may import the engine's net, model and ir packages; must not import {@code bpf.sys} or do I/O.
 */
package dev.tortie.dataplane.bpf.ipsets;
