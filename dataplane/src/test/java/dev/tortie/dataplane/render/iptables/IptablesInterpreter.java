package dev.tortie.dataplane.render.iptables;

import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.dataplane.render.ipset.KernelSet;
import dev.tortie.engine.eval.Packet;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A small model of netfilter's filter-table traversal for exactly the vocabulary the renderer emits (protocol,
 * addresses, interfaces, conntrack, set, multiport, icmp, mark matches; MARK, LOG, NFLOG, ACCEPT, DROP, RETURN, jump,
 * goto targets). Test oracle glue: lets pure tests check rendered chains against the engine's evaluator for many packets,
 * and check which rule-id lines fire (what the kernel counters would count).
 */
final class IptablesInterpreter {
    enum Verdict {
        ACCEPT,
        DROP,
        /** Fell off tortie-FORWARD back into the kernel chain (not tortie's business). */
        CONTINUE
    }

    /** A rule with an id that matched, and the chain it was in. */
    record Hit(String chain, String ruleId, String target) {}

    /**
     * @param nflog the NFLOG prefixes logged, in order (what the flow-log reader would receive)
     */
    record Result(Verdict verdict, List<Hit> hits, List<NflogPrefix> nflog) {
        /** The last deciding (non-LOG) id that fired in a chain whose name starts with {@code chainPrefix}. */
        String lastDecision(java.util.function.Predicate<String> chainFilter) {
            String id = null;
            for (Hit h : hits) {
                if (chainFilter.test(h.chain()) && !"LOG".equals(h.target())) {
                    id = h.ruleId();
                }
            }
            return id;
        }
    }

    private final Ruleset ruleset;
    private final IpsetRendering sets;

    IptablesInterpreter(Ruleset ruleset, IpsetRendering sets) {
        this.ruleset = ruleset;
        this.sets = sets;
    }

    /** A NEW packet forwarded from {@code in} to {@code out}. */
    Result forward(String in, String out, Packet p) {
        List<Hit> hits = new ArrayList<>();
        List<NflogPrefix> nflog = new ArrayList<>();
        int[] mark = {0};
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(ruleset.chain(ChainNames.FORWARD), 0));
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.index >= f.chain.rules().size()) {
                stack.pop(); // implicit RETURN
                continue;
            }
            IptablesRule r = f.chain.rules().get(f.index++);
            List<String> a = r.args();
            int targetAt = a.indexOf("-j") >= 0 ? a.indexOf("-j") : a.indexOf("-g");
            if (!matches(a.subList(0, targetAt), in, out, p, mark[0])) {
                continue;
            }
            String target = a.get(targetAt + 1);
            if (r.ruleId() != null) {
                hits.add(new Hit(f.chain.name(), r.ruleId(), target));
            }
            switch (target) {
                case "ACCEPT":
                    return new Result(Verdict.ACCEPT, hits, nflog);
                case "DROP":
                    return new Result(Verdict.DROP, hits, nflog);
                case "RETURN":
                    stack.pop();
                    break;
                case "LOG":
                    break;
                case "NFLOG":
                    nflog.add(NflogPrefix.parse(a.get(a.indexOf("--nflog-prefix") + 1)));
                    break;
                case "MARK": {
                    int[] vm = valueMask(a.get(a.indexOf("--set-xmark") + 1));
                    mark[0] = (mark[0] & ~vm[1]) ^ vm[0];
                    break;
                }
                default: {
                    IptablesChain next = ruleset.chain(target);
                    if (next == null) {
                        throw new IllegalStateException("jump to missing chain " + target);
                    }
                    if (a.get(targetAt).equals("-g")) {
                        stack.pop();
                    }
                    stack.push(new Frame(next, 0));
                }
            }
        }
        return new Result(Verdict.CONTINUE, hits, nflog);
    }

    private static final class Frame {
        final IptablesChain chain;
        int index;

        Frame(IptablesChain chain, int index) {
            this.chain = chain;
            this.index = index;
        }
    }

    private boolean matches(List<String> a, String in, String out, Packet p, int mark) {
        boolean negate = false;
        String protocol = null;
        for (int i = 0; i < a.size(); i++) {
            String t = a.get(i);
            boolean ok;
            switch (t) {
                case "!":
                    negate = true;
                    continue;
                case "-m":
                    i++; // module name; its options follow
                    continue;
                case "-p":
                    protocol = a.get(++i);
                    ok = protocolNumber(protocol) == p.protocol().number();
                    break;
                case "-s":
                    ok = Cidr.parse(a.get(++i)).contains(p.src());
                    break;
                case "-d":
                    ok = Cidr.parse(a.get(++i)).contains(p.dst());
                    break;
                case "-i":
                    ok = iface(a.get(++i), in);
                    break;
                case "-o":
                    ok = iface(a.get(++i), out);
                    break;
                case "--ctstate":
                    i++;
                    ok = false; // every modelled packet is NEW
                    break;
                case "--mark": {
                    int[] vm = valueMask(a.get(++i));
                    ok = (mark & vm[1]) == vm[0];
                    break;
                }
                case "--match-set":
                    ok = inSet(a.get(i + 1), a.get(i + 2), p);
                    i += 2;
                    break;
                case "--dports":
                case "--sports":
                    if (protocol == null) {
                        throw new IllegalStateException("multiport without -p: " + a);
                    }
                    ok = inPortList(a.get(++i), t.equals("--dports") ? p.dstPort() : p.srcPort());
                    break;
                case "--icmp-type": {
                    if (!"icmp".equals(protocol)) {
                        throw new IllegalStateException("icmp match without -p icmp: " + a);
                    }
                    String[] tc = a.get(++i).split("/");
                    ok = p.icmpType() == Integer.parseInt(tc[0])
                            && (tc.length == 1 || p.icmpCode() == Integer.parseInt(tc[1]));
                    break;
                }
                default:
                    throw new IllegalStateException("unmodelled token " + t + " in " + a);
            }
            if (ok == negate) {
                return false;
            }
            negate = false;
        }
        return true;
    }

    private boolean inSet(String name, String dims, Packet p) {
        KernelSet set = sets.byName().get(name);
        if (set == null) {
            throw new IllegalStateException("rule uses undefined set " + name);
        }
        IpAddress address = dims.startsWith("src") ? p.src() : p.dst();
        if (set.type().equals(KernelSet.HASH_NET)) {
            for (String m : set.members()) {
                if (Cidr.parseCidrOrIp(m).contains(address)) {
                    return true;
                }
            }
            return false;
        }
        if (!p.protocol().supportsPorts()) {
            return false;
        }
        int port = dims.endsWith("src") ? p.srcPort() : p.dstPort();
        String member = address + "," + p.protocol().kernelName() + ":" + port;
        return set.members().contains(member);
    }

    private static boolean inPortList(String list, int port) {
        for (String item : list.split(",")) {
            String[] r = item.split(":");
            int lo = Integer.parseInt(r[0]);
            int hi = r.length == 1 ? lo : Integer.parseInt(r[1]);
            if (port >= lo && port <= hi) {
                return true;
            }
        }
        return false;
    }

    private static boolean iface(String pattern, String name) {
        if (name == null) {
            return false;
        }
        return pattern.endsWith("+")
                ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : name.equals(pattern);
    }

    private static int protocolNumber(String name) {
        switch (name) {
            case "icmp":
                return 1;
            case "tcp":
                return 6;
            case "udp":
                return 17;
            case "sctp":
                return 132;
            case "udplite":
                return 136;
            default:
                return Integer.parseInt(name);
        }
    }

    private static int[] valueMask(String text) {
        String[] vm = text.split("/");
        return new int[] {Integer.decode(vm[0]), Integer.decode(vm[1])};
    }
}
