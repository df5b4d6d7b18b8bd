package dev.tortie.shell.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a node's kernel holds of tortie's, as read back (never the agent's memory of what it wrote): for iptables the
 * rule hashes of every tortie chain, the tortie rules in kernel chains and every tortie IP set with its members; for
 * eBPF the program attached at each workload interface and the entries of the IP-set trie, by set. Compared with what
 * the engine compiles now by {@link DriftCheck}; travels as JSON from an agent's {@code /kernel} ({@link #toTree()},
 * {@link #fromTree(Map)}).
 *
 * @param dataplane {@code iptables} or {@code bpf}
 * @param interfacePrefix the agent's workload interface prefix (the renderers need it to name chains and interfaces)
 * @param chains iptables: chain name -> rule hashes in order
 * @param kernelRules iptables: tortie rules in kernel chains, as {@code CHAIN@POSITION HASH} (position 0-based)
 * @param sets IP sets: iptables set name (or, for eBPF, the numeric trie set id in hex) -> type and members
 * @param programs eBPF: {@code <interface> <ingress|egress>} -> name of the attached program
 */
public record KernelState(
        String dataplane,
        String interfacePrefix,
        Map<String, List<String>> chains,
        List<String> kernelRules,
        Map<String, SetState> sets,
        Map<String, String> programs) {

    /** One IP set as read back. */
    public record SetState(String type, List<String> members) {
        public SetState {
            Objects.requireNonNull(type, "type == null");
            members = List.copyOf(members);
        }
    }

    public KernelState {
        Objects.requireNonNull(dataplane, "dataplane == null");
        Objects.requireNonNull(interfacePrefix, "interfacePrefix == null");
        Map<String, List<String>> c = new TreeMap<>();
        chains.forEach((k, v) -> c.put(k, List.copyOf(v)));
        chains = Collections.unmodifiableMap(c);
        kernelRules = List.copyOf(kernelRules);
        sets = Collections.unmodifiableMap(new TreeMap<>(sets));
        programs = Collections.unmodifiableMap(new TreeMap<>(programs));
    }

    /** The JSON tree an agent serves at {@code /kernel}. */
    public Map<String, Object> toTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataplane", dataplane);
        m.put("interfacePrefix", interfacePrefix);
        m.put("chains", new LinkedHashMap<>(chains));
        m.put("kernelRules", kernelRules);
        Map<String, Object> s = new LinkedHashMap<>();
        sets.forEach((name, set) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("type", set.type());
            one.put("members", set.members());
            s.put(name, one);
        });
        m.put("sets", s);
        m.put("programs", new LinkedHashMap<>(programs));
        return m;
    }

    /** Reads what {@link #toTree()} wrote (parsed JSON: maps, lists, strings). */
    @SuppressWarnings("unchecked")
    public static KernelState fromTree(Map<String, Object> tree) {
        Map<String, List<String>> chains = new TreeMap<>();
        ((Map<String, Object>) tree.getOrDefault("chains", Map.of()))
                .forEach((k, v) -> chains.put(k, strings((List<Object>) v)));
        Map<String, SetState> sets = new TreeMap<>();
        ((Map<String, Object>) tree.getOrDefault("sets", Map.of())).forEach((k, v) -> {
            Map<String, Object> one = (Map<String, Object>) v;
            sets.put(k, new SetState(String.valueOf(one.get("type")), strings((List<Object>) one.get("members"))));
        });
        Map<String, String> programs = new TreeMap<>();
        ((Map<String, Object>) tree.getOrDefault("programs", Map.of()))
                .forEach((k, v) -> programs.put(k, String.valueOf(v)));
        return new KernelState(
                String.valueOf(tree.get("dataplane")),
                String.valueOf(tree.get("interfacePrefix")),
                chains,
                strings((List<Object>) tree.getOrDefault("kernelRules", List.of())),
                sets,
                programs);
    }

    private static List<String> strings(List<Object> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (Object o : values) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }
}
