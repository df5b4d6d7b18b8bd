/**
 * Pure IP set rendering: IR set contents (and the iptables renderer's auxiliary CIDR sets) to kernel set names,
 * types and members, and {@code ipset restore} text.
 *
 * <p>Must not import {@code os}, {@code driver} or anything with I/O.
 */
package dev.tortie.dataplane.render.ipset;
