/**
 * Kubernetes and Calico objects (as parsed trees) to model values, validated as the API servers would and converted
 * exactly as Calico converts them; every problem becomes a {@code Diagnostic}, an object with an error is dropped.
 *
 * <p>Pure: no file, network, process, clock or environment access, no fabric8; trees may come from files or a live
 * API server.
 */
package dev.tortie.engine.convert;
