/**
 * Manifests to model: YAML/JSON text in, model objects and diagnostics out. An invalid object is reported and left
 * out, never half-loaded.
 *
 * <p>Pure: reading files is the shell's job; this package must not import java.io.File, java.nio.file or fabric8.
 */
package dev.tortie.engine.load;
