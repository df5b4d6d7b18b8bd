/**
 * Drivers that program a node's kernel through a {@code CommandRunner}: read back (iptables-save, ipset save), plan
 * with {@code plan}, apply atomically (ipset restore, one iptables-restore transaction), repair drift, roll back IP
 * set changes when the iptables transaction fails.
 *
 * <p>May import {@code os}, {@code render}, {@code plan} and {@code flowlog} (the NFLOG reader behind {@code
 * flowLog()}); never runs processes except through a {@code CommandRunner}.
 */
package dev.tortie.dataplane.driver;
