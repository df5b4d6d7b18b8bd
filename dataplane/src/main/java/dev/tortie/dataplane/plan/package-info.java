/**
 * Pure planning: parses what the kernel reports ({@code iptables-save}, {@code ipset save}), keeps only what tortie
 * owns, and computes the minimal delta to the rendered state as restore texts in a safe order.
 *
 * <p>Must not import {@code os}, {@code driver} or anything with I/O.
 */
package dev.tortie.dataplane.plan;
