/**
 * The lab: a one-node cluster on this machine. An embedded API server, a lab kubelet that turns Pods (and Deployments
 * into Pods) into network namespaces, the node agent programming the node namespace, and a cluster source for the shell.
 *
 * <p>May use the agent, session and dataplane packages; must not import the shell's commands, REPL or probe packages.
 */
package dev.tortie.shell.lab;
