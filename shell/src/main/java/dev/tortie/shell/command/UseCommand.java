package dev.tortie.shell.command;

import dev.tortie.shell.session.Session;
import dev.tortie.shell.session.TortieException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code use namespace NS} and {@code use context NAME}: change what later commands work on. {@code -n} on a single
 * command still overrides the namespace for that command. Without a subcommand it shows the current choice.
 */
@Command(
        name = "use",
        description = {
            "Switch the current namespace or cluster context; with no argument, show both.",
            "-n NS on any single command still overrides the namespace for that command."
        },
        subcommands = {UseCommand.Namespace.class, UseCommand.Context.class},
        mixinStandardHelpOptions = true)
public final class UseCommand extends BaseCommand {
    public UseCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        show(this);
        return 0;
    }

    static void show(BaseCommand command) {
        Session session = command.session;
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("context", session.source().name());
        tree.put("namespace", session.namespace());
        if (command.format().structured()) {
            command.printTree(tree);
        } else {
            command.print("context " + tree.get("context") + ", namespace " + tree.get("namespace") + "\n");
        }
    }

    @Command(
            name = "namespace",
            aliases = "ns",
            description = "Make NS the current namespace (bare pod and workload names are looked up there).",
            mixinStandardHelpOptions = true)
    public static final class Namespace extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "NS", description = "The namespace (default: show the current one).")
        String name;

        public Namespace(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            if (name != null) {
                if (name.isBlank() || name.contains("/")) {
                    throw TortieException.usage("'" + name + "' is not a namespace name");
                }
                boolean known = session.source().read(index -> index.hasNamespace(name));
                session.setNamespace(name);
                if (!known) {
                    session.warn("namespace '" + name + "' does not exist in "
                            + session.source().name() + " (yet); bare names will find nothing there");
                }
            }
            show(this);
            return 0;
        }
    }

    @Command(
            name = "context",
            description = {
                "Switch to another kubeconfig context: the model is reloaded from that cluster and the namespace goes"
                        + " back to its default.",
                "Contexts apply to live clusters; a snapshot has none."
            },
            mixinStandardHelpOptions = true)
    public static final class Context extends BaseCommand {
        @Parameters(
                arity = "0..1",
                paramLabel = "CONTEXT",
                description = "The kubeconfig context (default: show the current one).")
        String name;

        public Context(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            if (name != null) {
                session.switchContext(name);
            }
            show(this);
            return 0;
        }
    }
}
