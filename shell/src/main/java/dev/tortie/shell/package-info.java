/**
 * The tortie application: one grammar, two modes (REPL and one-shot {@code -c}/runbooks), cluster access, probes, the
 * node agent and the lab.
 *
 * <p>Commands get their world injected through {@link dev.tortie.shell.session.Session}; only {@link
 * dev.tortie.shell.Main} touches System.out/err/exit.
 */
package dev.tortie.shell;
