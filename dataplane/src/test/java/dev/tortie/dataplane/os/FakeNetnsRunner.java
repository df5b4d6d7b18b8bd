package dev.tortie.dataplane.os;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An in-memory {@code ip netns}: {@code list}, {@code add}, {@code delete} and {@code ip [-force] -batch -} scripts of
 * {@code netns add|delete} lines. Records every command; anything else fails loudly.
 */
public final class FakeNetnsRunner implements CommandRunner {
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<List<String>> commands = new ArrayList<>();
    private final List<String> stdins = new ArrayList<>();

    public FakeNetnsRunner(String... existing) {
        namespaces.addAll(List.of(existing));
    }

    public Set<String> namespaces() {
        return namespaces;
    }

    public List<List<String>> commands() {
        return commands;
    }

    public List<String> stdins() {
        return stdins;
    }

    @Override
    public CommandResult run(List<String> argv, String stdin, Duration timeout) {
        commands.add(List.copyOf(argv));
        stdins.add(stdin);
        if (argv.equals(List.of("ip", "netns", "list"))) {
            StringBuilder out = new StringBuilder();
            int id = 0;
            for (String name : namespaces) {
                out.append(name).append(id % 2 == 0 ? " (id: " + id + ")" : "").append('\n');
                id++;
            }
            return new CommandResult(argv, 0, out.toString(), "");
        }
        if (argv.size() == 4 && argv.get(0).equals("ip") && argv.get(1).equals("netns")) {
            return apply(argv, argv.get(2), argv.get(3), false);
        }
        if (argv.equals(List.of("ip", "-batch", "-")) || argv.equals(List.of("ip", "-force", "-batch", "-"))) {
            boolean force = argv.contains("-force");
            int exit = 0;
            StringBuilder err = new StringBuilder();
            for (String line : stdin.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] words = line.strip().split("\\s+");
                if (words.length != 3 || !words[0].equals("netns")) {
                    throw new AssertionError("unexpected batch line: " + line);
                }
                CommandResult r = apply(argv, words[1], words[2], true);
                if (!r.ok()) {
                    exit = 1;
                    err.append(r.stderr());
                    if (!force) {
                        break;
                    }
                }
            }
            return new CommandResult(argv, exit, "", err.toString());
        }
        throw new AssertionError("unexpected command: " + argv);
    }

    private CommandResult apply(List<String> argv, String verb, String name, boolean batch) {
        switch (verb) {
            case "add":
                if (!namespaces.add(name)) {
                    return new CommandResult(argv, 1, "", "Cannot create namespace file \"" + name + "\": exists\n");
                }
                return new CommandResult(argv, 0, "", "");
            case "delete":
            case "del":
                if (!namespaces.remove(name)) {
                    return new CommandResult(argv, 1, "", "Cannot remove namespace file \"" + name + "\"\n");
                }
                return new CommandResult(argv, 0, "", "");
            default:
                throw new AssertionError("unexpected netns verb " + verb + (batch ? " in batch" : ""));
        }
    }
}
