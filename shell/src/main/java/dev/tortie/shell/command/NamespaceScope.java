package dev.tortie.shell.command;

import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code -n NS} (repeatable where it makes sense) and {@code -A}. */
public final class NamespaceScope {
    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Namespace (default: the current one; see 'use namespace').")
    List<String> namespaces;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "All namespaces.")
    boolean all;

    /** Null means all namespaces. */
    public List<String> resolve(Session session) {
        if (all && namespaces != null) {
            throw TortieException.usage("-A and -n cannot be combined");
        }
        if (all) {
            return null;
        }
        return namespaces == null ? List.of(session.namespace()) : namespaces;
    }

    /** The single namespace to use for bare names. */
    public String current(Session session) {
        return namespaces == null || namespaces.isEmpty() ? session.namespace() : namespaces.get(0);
    }
}
