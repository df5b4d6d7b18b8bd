/**
 * Findings about policy as written: selectors that match nothing and what was probably meant, rules that can never
 * match. Used by trace hints and lint.
 *
 * <p>Pure: must not import I/O, fabric8, JLine or jnr.
 */
package dev.tortie.engine.analysis;
