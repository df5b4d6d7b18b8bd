/**
 * The Calico label-selector language, byte-exact: parse, match, canonical form, unique id, label restrictions.
 *
 * <p>Pure JDK only: must not import other tortie packages, file/socket/process/clock/env APIs or any library.
 */
package dev.tortie.engine.selector;
