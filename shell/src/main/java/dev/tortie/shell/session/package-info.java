/**
 * The world a command runs in: output streams, terminal facts, current namespace and the cluster source.
 *
 * <p>Commands receive a Session; they never build clients, print to System.out or exit the JVM.
 */
package dev.tortie.shell.session;
