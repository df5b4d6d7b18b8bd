/**
 * Runbooks ({@code tortie -f FILE}): a file of shell commands and {@code expect} assertions run in order, stopping at
 * the first failure unless {@code --keep-going}, with output and an exit code fit for CI.
 *
 * <p>Runs commands only through {@link dev.tortie.shell.command.ShellCommands}; must not import the REPL or JLine.
 */
package dev.tortie.shell.runbook;
