/**
 * Documentation generated from the command definitions: man pages (roff) built from the same picocli specs as
 * {@code --help}, so the two cannot drift.
 *
 * <p>Pure text generation: no cluster access.
 */
package dev.tortie.shell.doc;
