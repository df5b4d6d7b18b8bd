/**
 * Dataplanes: pure renderers (IR to iptables, ipset, nft, eBPF) and drivers that program Linux network namespaces.
 *
 * <p>Imports only the engine's value packages (ir, model, net). Only {@code os} (and drivers through it) touches
 * processes, syscalls or network namespaces.
 */
package dev.tortie.dataplane;
