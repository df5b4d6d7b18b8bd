/**
 * Stable text forms of engine values (the IR listing used by golden tests, {@code policy show} and {@code render}).
 *
 * <p>Pure formatting: must not import I/O or the shell.
 */
package dev.tortie.engine.format;
