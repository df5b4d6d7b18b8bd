/**
 * The cluster as tortie understands it: namespaces, workload endpoints, policies in Calico's v3 shape, tiers and
 * network sets, as immutable values.
 *
 * <p>Pure: no I/O, no YAML, no fabric8; conversion from manifests lives in {@code load} and {@code convert}.
 */
package dev.tortie.engine.model;
