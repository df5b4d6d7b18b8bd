/**
 * The lab's Linux plumbing: a one-node Calico-style pod network of network namespaces, servers on every declared
 * container port, and real probes between pods. Processes and namespace switches go through {@code os}.
 *
 * <p>Must not import the renderers, drivers or BPF packages, nor any engine package beyond {@code net} and {@code model}.
 */
package dev.tortie.dataplane.lab;
