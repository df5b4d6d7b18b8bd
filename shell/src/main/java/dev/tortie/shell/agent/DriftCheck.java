package dev.tortie.shell.agent;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.bpf.BpfDataplane;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetEntries;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.polprog.PolicyProgram;
import dev.tortie.dataplane.bpf.polprog.PolicyProgramBuilder;
import dev.tortie.dataplane.driver.IptablesDataplane;
import dev.tortie.dataplane.render.ipset.KernelSet;
import dev.tortie.dataplane.render.iptables.IptablesChain;
import dev.tortie.dataplane.render.iptables.Ruleset;
import dev.tortie.engine.ir.NodeProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what a node's kernel holds ({@link KernelState}, read back) with what the engine compiles for the node now,
 * rendered by the same renderers the agent uses: missing, extra and changed chains (by their rule hashes), the FORWARD
 * jump, IP sets (type and members), and for eBPF the program at each attach point (by its content-hash name) and the
 * IP-set trie entries. Pure.
 */
public final class DriftCheck {
    /**
     * One difference.
     *
     * @param kind {@code chain}, {@code hook}, {@code set} or {@code program}
     * @param object the kernel object's name
     * @param change {@code missing} (compiled, not in the kernel), {@code extra} (in the kernel, not compiled) or {@code
     *     changed}
     * @param detail what differs, in words
     */
    public record Difference(String kind, String object, String change, String detail) {
        public Map<String, Object> toTree() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("object", object);
            m.put("change", change);
            m.put("detail", detail);
            return m;
        }
    }

    /**
     * The result for one node.
     *
     * @param checked how many objects of each kind were compared
     */
    public record Report(String node, String dataplane, List<Difference> differences, Map<String, Integer> checked) {
        public Report {
            differences = List.copyOf(differences);
            checked = Map.copyOf(checked);
        }

        public boolean drift() {
            return !differences.isEmpty();
        }

        public Map<String, Object> toTree() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node);
            m.put("dataplane", dataplane);
            m.put("drift", drift());
            m.put("checked", new TreeMap<>(checked));
            m.put("differences", differences.stream().map(Difference::toTree).toList());
            return m;
        }
    }

    private static final int SAMPLES = 3;

    private DriftCheck() {}

    /** Compares the kernel of {@code node} with {@code program} (what the engine compiles for it now). */
    public static Report compare(String node, KernelState kernel, NodeProgram program) {
        Objects.requireNonNull(kernel, "kernel == null");
        Objects.requireNonNull(program, "program == null");
        DataplaneConfig config = Dataplanes.config(kernel.interfacePrefix());
        List<Difference> out = new ArrayList<>();
        Map<String, Integer> checked = new TreeMap<>();
        if (kernel.dataplane().equals(Dataplanes.BPF)) {
            compareBpf(kernel, program, config, out, checked);
        } else {
            compareIptables(kernel, program, config, out, checked);
        }
        return new Report(node, kernel.dataplane(), out, checked);
    }

    private static void compareIptables(
            KernelState kernel,
            NodeProgram program,
            DataplaneConfig config,
            List<Difference> out,
            Map<String, Integer> checked) {
        IptablesDataplane.Rendering want = IptablesDataplane.render(program, config);
        Ruleset ruleset = want.ruleset();
        for (IptablesChain chain : ruleset.chains()) {
            List<String> have = kernel.chains().get(chain.name());
            String what = chain.description().isEmpty() ? "" : " (" + chain.description() + ")";
            if (have == null) {
                out.add(new Difference(
                        "chain", chain.name(), "missing", chain.hashes().size() + " rule(s) compiled" + what));
            } else if (!have.equals(chain.hashes())) {
                out.add(new Difference("chain", chain.name(), "changed", ruleDifference(chain.hashes(), have) + what));
            }
        }
        for (Map.Entry<String, List<String>> e : kernel.chains().entrySet()) {
            if (ruleset.chain(e.getKey()) == null) {
                out.add(new Difference(
                        "chain", e.getKey(), "extra", e.getValue().size() + " rule(s) in the kernel, none compiled"));
            }
        }
        checked.put("chains", ruleset.chains().size());

        String hookHash = ruleset.forwardHook().hashes().get(0);
        String wanted = Ruleset.KERNEL_CHAIN + "@0 " + hookHash;
        List<String> hooks = kernel.kernelRules();
        if (!hooks.contains(wanted)) {
            String where = hooks.stream()
                    .filter(h -> h.startsWith(Ruleset.KERNEL_CHAIN + "@"))
                    .findFirst()
                    .orElse(null);
            out.add(new Difference(
                    "hook",
                    Ruleset.KERNEL_CHAIN,
                    where == null ? "missing" : "changed",
                    where == null
                            ? "no jump into tortie at the top of FORWARD: forwarded pod traffic bypasses policy"
                            : "the jump into tortie is not at position 1 (found " + where + ")"));
        }
        for (String h : hooks) {
            if (!h.equals(wanted)) {
                String chain = h.substring(0, h.indexOf('@'));
                out.add(new Difference("hook", chain, "extra", "stale or duplicate tortie rule " + h));
            }
        }
        checked.put("hook", 1);

        Map<String, KernelSet> wantSets = want.sets().byName();
        for (KernelSet s : want.sets().sets()) {
            KernelState.SetState have = kernel.sets().get(s.name());
            String what = s.description().isEmpty() ? "" : " (" + s.description() + ")";
            if (have == null) {
                out.add(new Difference("set", s.name(), "missing", s.members().size() + " member(s) compiled" + what));
                continue;
            }
            if (!have.type().equals(s.type())) {
                out.add(new Difference(
                        "set",
                        s.name(),
                        "changed",
                        "type " + have.type() + " in the kernel, " + s.type() + " compiled"));
                continue;
            }
            String members = memberDifference(s.members(), have.members());
            if (members != null) {
                out.add(new Difference("set", s.name(), "changed", members + what));
            }
        }
        for (Map.Entry<String, KernelState.SetState> e : kernel.sets().entrySet()) {
            if (!wantSets.containsKey(e.getKey())) {
                out.add(new Difference(
                        "set",
                        e.getKey(),
                        "extra",
                        e.getValue().members().size() + " member(s) in the kernel, set not compiled"));
            }
        }
        checked.put("sets", want.sets().sets().size());
    }

    private static void compareBpf(
            KernelState kernel,
            NodeProgram program,
            DataplaneConfig config,
            List<Difference> out,
            Map<String, Integer> checked) {
        Map<BpfDataplane.AttachPoint, PolicyProgram> want =
                BpfDataplane.render(program, config, PolicyProgramBuilder.Options.defaults());
        Map<String, PolicyProgram> byPoint = new TreeMap<>();
        want.forEach(
                (point, p) -> byPoint.put(point.iface() + " " + point.hook().tcName(), p));
        for (Map.Entry<String, PolicyProgram> e : byPoint.entrySet()) {
            String have = kernel.programs().get(e.getKey());
            PolicyProgram p = e.getValue();
            String what = " (" + p.direction().lowerName() + " program of " + p.endpoint() + ")";
            if (have == null) {
                out.add(new Difference(
                        "program", e.getKey(), "missing", p.name() + " compiled, nothing attached" + what));
            } else if (!have.equals(p.name())) {
                out.add(new Difference(
                        "program", e.getKey(), "changed", have + " attached, " + p.name() + " compiled" + what));
            }
        }
        for (Map.Entry<String, String> e : kernel.programs().entrySet()) {
            if (!byPoint.containsKey(e.getKey())) {
                out.add(new Difference(
                        "program", e.getKey(), "extra", e.getValue() + " attached, no endpoint compiled there"));
            }
        }
        checked.put("programs", byPoint.size());

        Map<String, String> names = new TreeMap<>();
        for (String id : program.ipSets().keySet()) {
            names.put(KernelReader.setName(Ipv4SetKey.setIdOf(id)), id);
        }
        names.put(
                KernelReader.setName(Ipv4SetKey.setIdOf(Ipv4SetEntries.LOCAL_ENDPOINTS)),
                Ipv4SetEntries.LOCAL_ENDPOINTS);
        Map<String, List<String>> wantMembers = new TreeMap<>();
        for (Ipv4SetKey k : Ipv4SetEntries.of(program).keys()) {
            wantMembers
                    .computeIfAbsent(KernelReader.setName(k.setId()), x -> new ArrayList<>())
                    .add(KernelReader.member(k));
        }
        TreeSet<String> all = new TreeSet<>(wantMembers.keySet());
        all.addAll(kernel.sets().keySet());
        for (String id : all) {
            List<String> w = KernelReader.sorted(wantMembers.getOrDefault(id, List.of()));
            KernelState.SetState h = kernel.sets().get(id);
            List<String> have = h == null ? List.of() : h.members();
            String label = names.containsKey(id) ? names.get(id) + " (trie set " + id + ")" : "trie set " + id;
            if (h == null) {
                out.add(new Difference("set", label, "missing", w.size() + " entr(ies) compiled, none in the trie"));
            } else if (!wantMembers.containsKey(id)) {
                out.add(new Difference(
                        "set", label, "extra", have.size() + " entr(ies) in the trie, set not compiled"));
            } else {
                String members = memberDifference(w, have);
                if (members != null) {
                    out.add(new Difference("set", label, "changed", members));
                }
            }
        }
        checked.put("sets", wantMembers.size());
    }

    /** {@code 3 rule(s) compiled, 2 in the kernel; first difference at rule 2}. */
    private static String ruleDifference(List<String> want, List<String> have) {
        int i = 0;
        while (i < want.size() && i < have.size() && want.get(i).equals(have.get(i))) {
            i++;
        }
        return want.size() + " rule(s) compiled, " + have.size() + " in the kernel; first difference at rule "
                + (i + 1);
    }

    /** Null when equal; else {@code 2 missing (a, b), 1 extra (c)}. */
    static String memberDifference(List<String> want, List<String> have) {
        TreeSet<String> missing = new TreeSet<>(want);
        have.forEach(missing::remove);
        TreeSet<String> extra = new TreeSet<>(have);
        want.forEach(extra::remove);
        if (missing.isEmpty() && extra.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add(missing.size() + " member(s) missing (" + sample(missing) + ")");
        }
        if (!extra.isEmpty()) {
            parts.add(extra.size() + " extra (" + sample(extra) + ")");
        }
        return String.join(", ", parts);
    }

    private static String sample(TreeSet<String> values) {
        List<String> first = new ArrayList<>();
        for (String v : values) {
            if (first.size() == SAMPLES) {
                first.add("...");
                break;
            }
            first.add(v);
        }
        return String.join(", ", first);
    }
}
