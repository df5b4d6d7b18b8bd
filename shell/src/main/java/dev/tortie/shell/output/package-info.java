/**
 * Output formats: tables that fit the terminal, JSON with stable shapes, YAML, colour only on a TTY.
 *
 * <p>Pure formatting: no cluster access, no System.out.
 */
package dev.tortie.shell.output;
