/**
 * Real probes and live traces: connections from a lab pod's network namespace compared with the engine's prediction,
 * and per-rule kernel counters that name the rule the kernel matched.
 *
 * <p>May use the lab, session, output and dataplane packages; must not import the shell's commands or REPL.
 */
package dev.tortie.shell.probe;
