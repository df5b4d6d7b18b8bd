/**
 * The interactive shell: a JLine line reader over the same command grammar as {@code -c} and runbooks, with completion
 * of commands, options and live cluster names, {@code ?} help, per-context history and Ctrl-C handling.
 *
 * <p>Runs commands only through {@link dev.tortie.shell.command.ShellCommands}; must not import cluster clients.
 */
package dev.tortie.shell.repl;
