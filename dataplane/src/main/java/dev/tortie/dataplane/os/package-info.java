/**
 * The only place in the dataplane that runs processes, makes syscalls or enters network namespaces.
 *
 * <p>Everything here takes argv lists (never shell strings) and reports failures as typed exceptions with context.
 */
package dev.tortie.dataplane.os;
