/**
 * The commands: picocli classes made by a factory that injects the {@link dev.tortie.shell.session.Session}. Each
 * returns an exit code; errors are thrown and mapped in one place ({@link dev.tortie.shell.command.ErrorMapper}).
 *
 * <p>Must not print to System.out, exit the JVM, or build cluster clients.
 */
package dev.tortie.shell.command;
