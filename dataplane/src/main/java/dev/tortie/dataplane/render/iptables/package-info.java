/**
 * Pure iptables rendering: a {@code NodeProgram} to Felix-style chains (tortie-FORWARD, dispatch, per-endpoint,
 * per-policy and per-profile chains) with a hash and rule-id comment on every rule, as {@code iptables-restore} text
 * and as a human listing.
 *
 * <p>Must not import {@code os}, {@code driver} or anything with I/O.
 */
package dev.tortie.dataplane.render.iptables;
