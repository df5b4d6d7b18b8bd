/**
 * IP addresses and CIDR networks as small immutable values with allocation-free containment tests.
 *
 * <p>Pure: must not import java.net (no resolver calls), I/O, or anything outside the JDK.
 */
package dev.tortie.engine.net;
