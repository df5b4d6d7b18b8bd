/**
 * The node agent: watches the API server (fabric8 informers), keeps the incremental cluster index, compiles the node's
 * program and drives a {@code Dataplane}, coalescing bursts, retrying failures and repairing drift.
 *
 * <p>Must not import the shell's commands, REPL, lab or probe packages: the lab runs this agent, not the other way round.
 */
package dev.tortie.shell.agent;
