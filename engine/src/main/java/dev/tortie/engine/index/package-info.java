/**
 * Incremental indexes: which endpoints and network sets each selector matches, which policies apply to each
 * endpoint, and IP-set membership, updated per object change (a relabel touches only the selectors that can change).
 *
 * <p>Pure and single-threaded: callers serialise access. Must not import I/O, fabric8, JLine or jnr.
 */
package dev.tortie.engine.index;
