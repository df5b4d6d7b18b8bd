/**
 * Compilation from model to IR: policies into rules over IP sets exactly as Felix derives them (namespace and
 * service-account rewriting, named-port sets, negated-selector folding), and per-endpoint programs.
 *
 * <p>Pure: must not import I/O, fabric8, JLine or jnr.
 */
package dev.tortie.engine.compile;
