/**
 * tortie's pure policy engine: values in, values out.
 *
 * <p>Must not import java.io file/socket APIs, processes, clocks, the environment, fabric8, JLine or jnr.
 */
package dev.tortie.engine;
