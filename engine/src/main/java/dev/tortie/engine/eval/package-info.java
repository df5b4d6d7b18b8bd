/**
 * Flow evaluation over the IR: a verdict plus a trace naming every tier, policy and rule visited and the one that
 * decided, for the source's egress and the destination's ingress.
 *
 * <p>Pure: must not import I/O, fabric8, JLine or jnr.
 */
package dev.tortie.engine.eval;
