package dev.tortie.shell.repl;

import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What may come next on a command line: command and subcommand names and options (from the picocli model), and live
 * names from the cluster (namespaces, pods, workloads, policies, tiers, ports, labels). Pure: the same answer feeds TAB
 * completion and the {@code ?} listing, and tests call it directly.
 *
 * <p>Values are chosen by what a parameter is called: a {@code paramLabel} mentioning NS gets namespaces, POLICY
 * policies, TIER tiers, PORT ports, FORMAT output formats, SELECTOR pod labels, COMMAND command names, and
 * {@code SRC -> DST} the flow grammar (source names, then {@code ->}, then destination names, then {@code :PORT}).
 * New commands get completion by labelling their parameters that way.
 */
public final class Completions {
    private final CommandSpec root;

    public Completions(CommandSpec root) {
        this.root = Objects.requireNonNull(root, "root == null");
    }

    /**
     * One possible next token. {@code value} replaces the word being typed; {@code display} is what a listing shows;
     * {@code complete} false means more is expected right after it (no space is added: {@code app-b:}, {@code ns/}).
     */
    public record Suggestion(String value, String display, String help, String group, boolean complete) {
        static Suggestion of(String value, String help, String group) {
            return new Suggestion(value, value, help, group, true);
        }

        static Suggestion partial(String value, String help, String group) {
            return new Suggestion(value, value, help, group, false);
        }
    }

    /**
     * Where the words before the cursor leave us: the (sub)command reached, its path, positional words so far, an
     * option still waiting for its value, and the namespace bare names resolve in.
     */
    public record Position(
            CommandSpec command,
            List<String> path,
            List<String> positionals,
            OptionSpec pendingOption,
            String namespace) {
        public boolean atRoot() {
            return path.isEmpty();
        }
    }

    /** Walks the complete words before the cursor. */
    public Position position(List<String> before, String currentNamespace) {
        CommandSpec cmd = root;
        List<String> path = new ArrayList<>();
        List<String> positionals = new ArrayList<>();
        OptionSpec pending = null;
        String namespace = currentNamespace;
        for (String w : commandWords(before)) {
            if (pending != null) {
                if (isNamespaceOption(pending)) {
                    namespace = w;
                }
                pending = null;
                continue;
            }
            if (looksLikeOption(w)) {
                int eq = w.indexOf('=');
                OptionSpec o = cmd.findOption(eq > 0 ? w.substring(0, eq) : w);
                if (o != null && o.arity().max() > 0) {
                    if (eq > 0) {
                        if (isNamespaceOption(o)) {
                            namespace = w.substring(eq + 1);
                        }
                    } else {
                        pending = o;
                    }
                }
                continue;
            }
            if (positionals.isEmpty() && cmd.subcommands().containsKey(w)) {
                cmd = cmd.subcommands().get(w).getCommandSpec();
                path.add(w);
                continue;
            }
            positionals.add(w);
        }
        return new Position(cmd, List.copyOf(path), List.copyOf(positionals), pending, namespace);
    }

    /**
     * Everything that may replace {@code partial} (the word at the cursor, up to the cursor) after the words
     * {@code before}. With {@code listing} (the {@code ?} key) options are always included, one per option.
     */
    public List<Suggestion> suggest(
            ClusterNames names, String currentNamespace, List<String> before, String partial, boolean listing) {
        Position at = position(before, currentNamespace);
        List<Suggestion> out = new ArrayList<>();
        PositionalParamSpec positional =
                positionalAt(at.command(), at.positionals().size());
        boolean flow = at.pendingOption() == null
                && isFlow(at.command(), at.positionals().size());
        List<String> flowWords = flow ? flowWords(at) : List.of();
        boolean arrowNext =
                flow && !flowWords.isEmpty() && !String.join(" ", flowWords).contains("->");
        if (at.pendingOption() != null) {
            out.addAll(values(at.pendingOption(), names, at.namespace()));
        } else if (partial.startsWith("-") && !partial.startsWith("->") && !(arrowNext && "->".startsWith(partial))) {
            out.addAll(options(at.command(), listing));
        } else {
            if (at.atRoot()) {
                out.addAll(commands(root, !partial.isEmpty()));
            } else {
                if (at.positionals().isEmpty() && !at.command().subcommands().isEmpty()) {
                    out.addAll(commands(at.command(), !partial.isEmpty()));
                }
                if (at.command().userObject() instanceof CommandLine.HelpCommand) {
                    out.addAll(commands(root, !partial.isEmpty()));
                } else if (flow) {
                    out.addAll(flow(flowWords, partial, names, at.namespace()));
                } else if (positional != null) {
                    out.addAll(values(positional, names, at.namespace()));
                }
                if (listing) {
                    out.addAll(options(at.command(), true));
                }
            }
        }
        return matching(out, partial);
    }

    /** True when the command could run as typed (nothing required is missing). Used by {@code ?} for "<Enter>". */
    public boolean runnable(List<String> before, String partial, String currentNamespace) {
        List<String> words = new ArrayList<>(before);
        if (!partial.isEmpty()) {
            words.add(partial);
        }
        Position at = position(words, currentNamespace);
        if (at.atRoot() || at.pendingOption() != null) {
            return false;
        }
        int count = at.positionals().size();
        for (PositionalParamSpec p : at.command().positionalParameters()) {
            if (p.arity().min() > 0 && count <= p.index().min()) {
                return false;
            }
            if (isFlowLabel(p) && count > p.index().min()) {
                String text =
                        String.join(" ", at.positionals().subList(p.index().min(), count));
                int arrow = text.indexOf("->");
                if (arrow < 0 || text.substring(arrow + 2).isBlank()) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- commands and options ---------------------------------------------------------------------------------

    private static List<Suggestion> commands(CommandSpec parent, boolean withAliases) {
        List<Suggestion> out = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : parent.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden()) {
                continue;
            }
            boolean alias = !e.getKey().equals(sub.name());
            if (alias && !withAliases) {
                continue;
            }
            String help = firstLine(sub.usageMessage().description());
            out.add(Suggestion.of(e.getKey(), alias ? "alias of " + sub.name() : help, "commands"));
        }
        return out;
    }

    private static List<Suggestion> options(CommandSpec cmd, boolean onePerOption) {
        List<Suggestion> out = new ArrayList<>();
        for (OptionSpec o : cmd.options()) {
            if (o.hidden()) {
                continue;
            }
            String help = firstLine(o.description());
            boolean takesValue = o.arity().max() > 0;
            if (onePerOption) {
                String display = String.join(", ", o.names()) + (takesValue ? " " + o.paramLabel() : "");
                out.add(new Suggestion(o.longestName(), display, help, "options", true));
            } else {
                for (String name : o.names()) {
                    out.add(new Suggestion(name, name, help, "options", true));
                }
            }
        }
        return out;
    }

    // ---- values by parameter label ----------------------------------------------------------------------------

    private List<Suggestion> values(ArgSpec arg, ClusterNames names, String namespace) {
        List<Suggestion> out = new ArrayList<>();
        if (arg.completionCandidates() != null) {
            for (String c : arg.completionCandidates()) {
                out.add(Suggestion.of(c, firstLine(arg.description()), "values"));
            }
            return out;
        }
        String label = arg.paramLabel().toUpperCase(Locale.ROOT);
        if (label.equals("NS") || label.contains("NAMESPACE")) {
            for (String ns : names.namespaces()) {
                out.add(Suggestion.of(ns, namespaceHelp(names, ns), "namespaces"));
            }
        } else if (label.contains("FORMAT")) {
            out.add(Suggestion.of("table", "aligned columns (default)", "formats"));
            out.add(Suggestion.of("wide", "more columns, walkthroughs", "formats"));
            out.add(Suggestion.of("json", "stable JSON for scripts", "formats"));
            out.add(Suggestion.of("yaml", "the same tree as YAML", "formats"));
        } else if (label.contains("POLICY")) {
            for (ClusterNames.PolicyName p : names.policies()) {
                if (Objects.equals(p.namespace(), namespace)) {
                    out.add(Suggestion.of(p.name(), p.kind() + " in " + namespace, "policies"));
                }
                out.add(Suggestion.of(p.qualifiedName(), p.kind(), "policies"));
            }
        } else if (label.contains("TIER")) {
            for (String t : names.tiers()) {
                out.add(Suggestion.of(t, "tier", "tiers"));
            }
        } else if (label.contains("PORT")) {
            for (Map.Entry<String, String> p : ports(names.pods()).entrySet()) {
                if (Character.isDigit(p.getKey().charAt(0))) {
                    out.add(Suggestion.of(p.getKey(), p.getValue(), "ports"));
                }
            }
        } else if (label.contains("SELECTOR")) {
            for (String l : names.labels()) {
                out.add(Suggestion.of(l, "pod label", "labels"));
            }
        } else if (label.contains("COMMAND")) {
            out.addAll(commands(root, false));
        } else if (label.contains("POD") || label.contains("ENDPOINT")) {
            out.addAll(endpoints("", names, namespace, "", true));
        }
        return out;
    }

    // ---- the flow: SRC -> DST:PORT[/PROTO] ----------------------------------------------------------------------

    private static boolean isFlowLabel(ArgSpec arg) {
        return arg.paramLabel().contains("->");
    }

    private static boolean isFlow(CommandSpec cmd, int index) {
        PositionalParamSpec p = positionalAt(cmd, index);
        return p != null && isFlowLabel(p);
    }

    private static List<String> flowWords(Position at) {
        PositionalParamSpec p = positionalAt(at.command(), at.positionals().size());
        int start = p == null ? 0 : p.index().min();
        return at.positionals()
                .subList(
                        Math.min(start, at.positionals().size()),
                        at.positionals().size());
    }

    private static List<Suggestion> flow(List<String> words, String partial, ClusterNames names, String namespace) {
        String typed = String.join(" ", words);
        int arrow = typed.indexOf("->");
        if (arrow < 0) {
            int inWord = partial.indexOf("->");
            if (inWord >= 0) {
                return destinations(partial.substring(0, inWord + 2), partial.substring(inWord + 2), names, namespace);
            }
            if (words.isEmpty()) {
                return endpoints(partial, names, namespace, "", true);
            }
            return List.of(Suggestion.of("->", "then the destination: DST:PORT[/PROTO]", "flow"));
        }
        if (!typed.substring(arrow + 2).isBlank()) {
            return List.of(); // the destination is there: nothing more to add
        }
        return destinations("", partial, names, namespace);
    }

    private static List<Suggestion> destinations(String prefix, String partial, ClusterNames names, String namespace) {
        int colon = partial.lastIndexOf(':');
        if (colon < 0) {
            return endpoints(partial, names, namespace, prefix, false);
        }
        String host = partial.substring(0, colon);
        String portPart = partial.substring(colon + 1);
        List<Suggestion> out = new ArrayList<>();
        int slash = portPart.indexOf('/');
        if (slash >= 0) {
            for (Protocol p : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)) {
                out.add(Suggestion.of(
                        prefix + host + ":" + portPart.substring(0, slash) + "/" + p, "protocol " + p, "protocols"));
            }
            return out;
        }
        for (Map.Entry<String, String> p : ports(podsOf(host, names, namespace)).entrySet()) {
            out.add(Suggestion.of(prefix + host + ":" + p.getKey(), p.getValue(), "ports"));
        }
        return out;
    }

    /**
     * Pod, workload and namespace names: with a {@code ns/} prefix, that namespace's pods and workloads; otherwise
     * pods and workloads of the current namespace, namespaces (all their pods), and {@code ns/} to go into one.
     * Destinations ({@code source} false) end in {@code :} so the port comes next.
     */
    private static List<Suggestion> endpoints(
            String partial, ClusterNames names, String namespace, String prefix, boolean source) {
        String end = source ? "" : ":";
        List<Suggestion> out = new ArrayList<>();
        int slash = partial.indexOf('/');
        if (slash >= 0) {
            String ns = partial.substring(0, slash);
            for (ClusterNames.Pod p : names.podsIn(ns)) {
                out.add(name(prefix + p.key() + end, podHelp(p), "pods", source));
            }
            for (ClusterNames.WorkloadName w : names.workloadsIn(ns)) {
                out.add(name(prefix + ns + "/" + w.name() + end, workloadHelp(w), "workloads", source));
            }
            return out;
        }
        for (ClusterNames.Pod p : names.podsIn(namespace)) {
            out.add(name(prefix + p.name() + end, podHelp(p) + " in " + namespace, "pods", source));
        }
        for (ClusterNames.WorkloadName w : names.workloadsIn(namespace)) {
            out.add(name(prefix + w.name() + end, workloadHelp(w) + " in " + namespace, "workloads", source));
        }
        for (String ns : names.namespaces()) {
            int pods = names.podsIn(ns).size();
            if (pods > 0) {
                out.add(name(prefix + ns + end, "namespace: all " + plural(pods, "pod"), "namespaces", source));
                out.add(Suggestion.partial(prefix + ns + "/", "a pod or workload in " + ns, "namespaces"));
            }
        }
        return out;
    }

    private static Suggestion name(String value, String help, String group, boolean complete) {
        return new Suggestion(value, value, help, group, complete);
    }

    /** The pods a destination as typed stands for, resolved the way {@code Targets} does it. */
    static List<ClusterNames.Pod> podsOf(String host, ClusterNames names, String namespace) {
        int slash = host.indexOf('/');
        String ns = slash >= 0 ? host.substring(0, slash) : namespace;
        String name = slash >= 0 ? host.substring(slash + 1) : host;
        List<ClusterNames.Pod> out = new ArrayList<>();
        for (ClusterNames.Pod p : names.podsIn(ns)) {
            if (p.name().equals(name)) {
                return List.of(p);
            }
            if (p.workload() != null
                    && (p.workload().equalsIgnoreCase(name)
                            || p.workload()
                                    .substring(p.workload().indexOf('/') + 1)
                                    .equalsIgnoreCase(name))) {
                out.add(p);
            }
        }
        if (out.isEmpty() && slash < 0) {
            out.addAll(names.podsIn(host));
        }
        return out;
    }

    /** Ports the pods declare: {@code 80}, {@code 53/UDP}, and names ({@code http}), each with a description. */
    static Map<String, String> ports(List<ClusterNames.Pod> pods) {
        Map<String, String> out = new LinkedHashMap<>();
        List<ContainerPort> all = new ArrayList<>();
        for (ClusterNames.Pod p : pods) {
            all.addAll(p.ports());
        }
        all.sort((a, b) -> a.port() != b.port()
                ? Integer.compare(a.port(), b.port())
                : a.protocol().toString().compareTo(b.protocol().toString()));
        for (ContainerPort c : all) {
            String number = c.protocol() == Protocol.TCP ? String.valueOf(c.port()) : c.port() + "/" + c.protocol();
            out.putIfAbsent(
                    number, c.protocol() + " port " + c.port() + (c.name() == null ? "" : " (" + c.name() + ")"));
        }
        for (ContainerPort c : all) {
            if (c.name() != null) {
                String key = c.protocol() == Protocol.TCP ? c.name() : c.name() + "/" + c.protocol();
                out.putIfAbsent(key, "named port: " + c.protocol() + " " + c.port());
            }
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static PositionalParamSpec positionalAt(CommandSpec cmd, int index) {
        for (PositionalParamSpec p : cmd.positionalParameters()) {
            if (!p.hidden() && p.index().contains(index)) {
                return p;
            }
        }
        return null;
    }

    /** The words of the last command on the line ({@code ;} separates commands). */
    private static List<String> commandWords(List<String> before) {
        int start = 0;
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).endsWith(";")) {
                start = i + 1;
            }
        }
        return before.subList(start, before.size());
    }

    private static boolean looksLikeOption(String w) {
        return w.length() > 1 && w.startsWith("-") && !w.startsWith("->");
    }

    private static boolean isNamespaceOption(OptionSpec o) {
        for (String n : o.names()) {
            if (n.equals("-n") || n.equals("--namespace")) {
                return true;
            }
        }
        return false;
    }

    private static List<Suggestion> matching(List<Suggestion> all, String partial) {
        List<Suggestion> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Suggestion s : all) {
            if (s.value().startsWith(partial) && seen.add(s.value() + "\u0000" + s.display())) {
                out.add(s);
            }
        }
        return out;
    }

    private static String namespaceHelp(ClusterNames names, String ns) {
        int pods = names.podsIn(ns).size();
        return "namespace, " + plural(pods, "pod");
    }

    private static String podHelp(ClusterNames.Pod p) {
        return "pod" + (p.ip() == null ? " (no IP yet)" : " " + p.ip());
    }

    private static String workloadHelp(ClusterNames.WorkloadName w) {
        return w.kind() + ", " + plural(w.pods(), "pod");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The first sentence of a description (picocli's {@code %n} line breaks and blank lines skipped). */
    static String firstLine(String[] description) {
        if (description == null) {
            return "";
        }
        for (String d : description) {
            for (String line : d.split("%n|\n")) {
                if (!line.isBlank()) {
                    String first = line.strip();
                    int dot = first.indexOf(". ");
                    return dot > 0 ? first.substring(0, dot + 1) : first;
                }
            }
        }
        return "";
    }
}
