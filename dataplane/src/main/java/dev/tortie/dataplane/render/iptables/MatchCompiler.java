package dev.tortie.dataplane.render.iptables;

import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one IR rule's matches (a conjunction) into iptables arguments for IPv4, with the evaluator's semantics:
 *
 * <ul>
 *   <li>Everything iptables can AND on one line is inline: one {@code -p}/{@code ! -p}, one CIDR per side, set
 *       matches, {@code multiport} lists of at most 15 slots (a range costs 2), ICMP type/code.
 *   <li>A list of several CIDRs (or a second CIDR test on the same side) becomes an auxiliary {@code hash:net} set,
 *       matched with {@code -m set}: one line, and member changes never touch the chain.
 *   <li>What remains is an OR that one line cannot say (more than 15 port slots, numeric ports OR named-port sets,
 *       ports without a protocol, i.e. for TCP, UDP and SCTP) or a negated OR across protocols. Those become Felix's
 *       "match blocks": rules before the deciding rule compute scratch mark 0 ({@code scratch0 := OR of the first
 *       block; scratch1 := OR of a later block, scratch0 &= scratch1; a hit in a negated block clears scratch0}) and
 *       the deciding rule adds {@code -m mark --mark scratch0/scratch0}.
 * </ul>
 *
 * A port match implies TCP, UDP or SCTP (the evaluator rejects ports for other protocols, also when negated); a
 * positive ICMP match implies protocol ICMP; a negated ICMP match lets non-ICMP packets through. A rule that can never
 * match an IPv4 packet (IPv6 only, contradictory protocols, IPv6-only CIDRs, a port list with nothing in it) is not
 * rendered at all; the reason is returned.
 */
final class MatchCompiler {
    /** Where set names and protocols come from; implemented by the renderer. */
    interface Sets {
        /** Kernel name of a program IP set, or null when the program does not define it (then it is empty). */
        String setName(String setId);

        /** The protocol a named-port set holds, or null when unknown. */
        Protocol namedPortProtocol(String setId);

        /** Kernel name of an auxiliary hash:net set holding exactly these CIDRs (registering it). */
        String cidrSet(List<Cidr> cidrs);
    }

    /** The compiled matches: rules that compute scratch0 first (may be empty) and the deciding line's arguments. */
    record Result(List<List<String>> preRules, List<String> inline, String skipReason) {
        static Result skip(String reason) {
            return new Result(List.of(), List.of(), reason);
        }

        boolean skipped() {
            return skipReason != null;
        }
    }

    private static final List<Protocol> PORT_PROTOCOLS = List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP);
    private static final int MULTIPORT_SLOTS = 15;

    private record Block(boolean negated, List<List<String>> alternatives) {}

    private final int scratch0;
    private final int scratch1;
    private final Sets sets;

    MatchCompiler(int scratch0, int scratch1, Sets sets) {
        this.scratch0 = scratch0;
        this.scratch1 = scratch1;
        this.sets = sets;
    }

    Result compile(IrRule rule) {
        Protocol positive = null;
        Set<Protocol> negatedProtocols = new TreeSet<>();
        boolean hasPorts = false;
        boolean positiveIcmp = false;
        for (Match m : rule.matches()) {
            if (m instanceof Match.IpVersion v && v.version() != 4) {
                return Result.skip("IPv" + v.version() + " only (only IPv4 is rendered)");
            } else if (m instanceof Match.ProtocolIs p) {
                if (p.negated()) {
                    negatedProtocols.add(p.protocol());
                } else if (positive != null && !positive.equals(p.protocol())) {
                    return Result.skip("two different protocols required: can never match");
                } else {
                    positive = p.protocol();
                }
            } else if (m instanceof Match.Ports) {
                hasPorts = true;
            } else if (m instanceof Match.Icmp icmp && !icmp.negated()) {
                positiveIcmp = true;
            }
        }

        // The protocols a packet may have for this rule to match; null = unconstrained (except negations).
        Set<Protocol> candidates = null;
        if (positive != null) {
            candidates = new TreeSet<>(Set.of(positive));
        }
        if (positiveIcmp) {
            candidates = intersect(candidates, Set.of(Protocol.ICMP));
        }
        if (hasPorts) {
            candidates = intersect(candidates, new TreeSet<>(PORT_PROTOCOLS));
        }
        if (candidates != null) {
            candidates.removeAll(negatedProtocols);
            if (candidates.isEmpty()) {
                return Result.skip("its protocol, port and ICMP matches contradict each other: can never match");
            }
        }

        List<String> protocolArgs = new ArrayList<>();
        List<String> sourceArgs = new ArrayList<>();
        List<String> destinationArgs = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();

        if (candidates == null) {
            if (negatedProtocols.size() == 1) {
                protocolArgs.addAll(List.of(
                        "!", "-p", protocolName(negatedProtocols.iterator().next())));
            } else if (negatedProtocols.size() > 1) {
                List<List<String>> alternatives = new ArrayList<>();
                for (Protocol p : negatedProtocols) {
                    alternatives.add(List.of("-p", protocolName(p)));
                }
                blocks.add(new Block(true, alternatives));
            }
        } else if (candidates.size() == 1) {
            protocolArgs.addAll(List.of("-p", protocolName(candidates.iterator().next())));
        }
        boolean singleProtocol = candidates != null && candidates.size() == 1;
        boolean positivePortBlock = false;

        for (Match m : rule.matches()) {
            if (m instanceof Match.Cidrs c) {
                String skip = cidrs(c, sourceArgs, destinationArgs, rest);
                if (skip != null) {
                    return Result.skip(skip);
                }
            } else if (m instanceof Match.InIpSet s) {
                String name = sets.setName(s.setId());
                if (name == null) {
                    if (!s.negated()) {
                        return Result.skip("selector set " + s.setId() + " is not defined (empty): can never match");
                    }
                    continue;
                }
                rest.add("-m");
                rest.add("set");
                if (s.negated()) {
                    rest.add("!");
                }
                rest.addAll(List.of("--match-set", name, s.side().shortName()));
            } else if (m instanceof Match.Ports ports) {
                List<Protocol> protocols = new ArrayList<>(candidates);
                List<PortAlternative> alternatives = portAlternatives(ports, protocols);
                if (!ports.negated()) {
                    if (alternatives.isEmpty()) {
                        return Result.skip("port match with no port for its protocol: can never match");
                    }
                    if (singleProtocol && alternatives.size() == 1) {
                        rest.addAll(alternatives.get(0).positive());
                    } else {
                        blocks.add(new Block(false, withProtocol(alternatives)));
                        positivePortBlock = true;
                    }
                } else if (!alternatives.isEmpty()) {
                    if (singleProtocol) {
                        for (PortAlternative a : alternatives) {
                            rest.addAll(a.negated());
                        }
                    } else {
                        blocks.add(new Block(true, withProtocol(alternatives)));
                    }
                }
            } else if (m instanceof Match.Icmp icmp) {
                List<String> typeCode = List.of(
                        "--icmp-type",
                        icmp.code() == null ? Integer.toString(icmp.type()) : icmp.type() + "/" + icmp.code());
                if (!icmp.negated()) {
                    rest.addAll(List.of("-m", "icmp"));
                    rest.addAll(typeCode);
                } else if (candidates != null && !candidates.contains(Protocol.ICMP)) {
                    continue; // not ICMP, so "not this ICMP type" holds
                } else if (singleProtocol) {
                    rest.addAll(List.of("-m", "icmp", "!"));
                    rest.addAll(typeCode);
                } else {
                    List<String> alternative = new ArrayList<>(List.of("-p", "icmp", "-m", "icmp"));
                    alternative.addAll(typeCode);
                    blocks.add(new Block(true, List.of(alternative)));
                }
            }
        }
        if (candidates != null && candidates.size() > 1 && !positivePortBlock) {
            List<List<String>> alternatives = new ArrayList<>();
            for (Protocol p : candidates) {
                alternatives.add(List.of("-p", protocolName(p)));
            }
            blocks.add(new Block(false, alternatives));
        }

        List<String> inline = new ArrayList<>();
        List<List<String>> pre = matchBlocks(blocks);
        if (!pre.isEmpty()) {
            inline.addAll(List.of("-m", "mark", "--mark", mark(scratch0, scratch0)));
        }
        inline.addAll(protocolArgs);
        inline.addAll(sourceArgs);
        inline.addAll(destinationArgs);
        inline.addAll(rest);
        return new Result(pre, inline, null);
    }

    private String cidrs(Match.Cidrs c, List<String> sourceArgs, List<String> destinationArgs, List<String> rest) {
        List<Cidr> v4 = new ArrayList<>();
        boolean catchAll = false;
        for (Cidr cidr : c.cidrs()) {
            if (!cidr.isV6()) {
                v4.add(cidr);
                catchAll |= cidr.prefixLength() == 0;
            }
        }
        v4.sort(Comparator.naturalOrder());
        if (!c.negated()) {
            if (catchAll) {
                return null;
            }
            if (v4.isEmpty()) {
                return "its " + c.side().shortName() + " CIDRs are all IPv6: can never match IPv4";
            }
        } else {
            if (v4.isEmpty()) {
                return null;
            }
            if (catchAll) {
                return "it excludes 0.0.0.0/0 on " + c.side().shortName() + ": can never match IPv4";
            }
        }
        List<String> slot = c.side() == Side.SOURCE ? sourceArgs : destinationArgs;
        if (v4.size() == 1 && slot.isEmpty()) {
            if (c.negated()) {
                slot.add("!");
            }
            slot.add(c.side() == Side.SOURCE ? "-s" : "-d");
            slot.add(v4.get(0).toString());
            return null;
        }
        rest.addAll(List.of("-m", "set"));
        if (c.negated()) {
            rest.add("!");
        }
        rest.addAll(List.of("--match-set", sets.cidrSet(v4), c.side().shortName()));
        return null;
    }

    /** One way a port match can hold: a protocol and the arguments to say it (and to deny it). */
    private record PortAlternative(Protocol protocol, List<String> positive, List<String> negated) {}

    private List<PortAlternative> portAlternatives(Match.Ports ports, List<Protocol> protocols) {
        List<PortAlternative> out = new ArrayList<>();
        String flag = ports.side() == Side.SOURCE ? "--sports" : "--dports";
        List<List<PortSpec>> chunks = multiportChunks(ports.ranges());
        for (Protocol p : protocols) {
            for (List<PortSpec> chunk : chunks) {
                String list = portList(chunk);
                out.add(new PortAlternative(
                        p, List.of("-m", "multiport", flag, list), List.of("-m", "multiport", "!", flag, list)));
            }
            for (String id : ports.namedPortSetIds()) {
                String name = sets.setName(id);
                Protocol setProtocol = sets.namedPortProtocol(id);
                if (name == null || !p.equals(setProtocol)) {
                    continue; // an undefined set is empty; a set of another protocol never matches this one
                }
                String dims = ports.side() == Side.SOURCE ? "src,src" : "dst,dst";
                out.add(new PortAlternative(
                        p,
                        List.of("-m", "set", "--match-set", name, dims),
                        List.of("-m", "set", "!", "--match-set", name, dims)));
            }
        }
        return out;
    }

    private static List<List<String>> withProtocol(List<PortAlternative> alternatives) {
        List<List<String>> out = new ArrayList<>();
        for (PortAlternative a : alternatives) {
            List<String> args = new ArrayList<>(List.of("-p", protocolName(a.protocol())));
            args.addAll(a.positive());
            out.add(args);
        }
        return out;
    }

    /** Splits port ranges into multiport lists of at most 15 slots; a range takes two. */
    static List<List<PortSpec>> multiportChunks(List<PortSpec> ranges) {
        List<List<PortSpec>> out = new ArrayList<>();
        List<PortSpec> current = new ArrayList<>();
        int used = 0;
        for (PortSpec r : ranges) {
            int cost = r.min() == r.max() ? 1 : 2;
            if (used + cost > MULTIPORT_SLOTS) {
                out.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(r);
            used += cost;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static String portList(List<PortSpec> chunk) {
        StringBuilder sb = new StringBuilder();
        for (PortSpec r : chunk) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r.min() == r.max() ? Integer.toString(r.min()) : r.min() + ":" + r.max());
        }
        return sb.toString();
    }

    /** The rules that leave scratch0 set exactly when every block holds (positive blocks first). */
    private List<List<String>> matchBlocks(List<Block> blocks) {
        List<List<String>> pre = new ArrayList<>();
        if (blocks.isEmpty()) {
            return pre;
        }
        List<Block> ordered = new ArrayList<>();
        blocks.stream().filter(b -> !b.negated()).forEach(ordered::add);
        blocks.stream().filter(Block::negated).forEach(ordered::add);
        int start = 0;
        if (!ordered.get(0).negated()) {
            pre.add(setMark(0, scratch0));
            for (List<String> alternative : ordered.get(0).alternatives()) {
                pre.add(concat(alternative, setMark(scratch0, scratch0)));
            }
            start = 1;
        } else {
            pre.add(setMark(scratch0, scratch0));
        }
        for (Block b : ordered.subList(start, ordered.size())) {
            if (!b.negated()) {
                pre.add(setMark(0, scratch1));
                for (List<String> alternative : b.alternatives()) {
                    pre.add(concat(alternative, setMark(scratch1, scratch1)));
                }
                pre.add(concat(List.of("-m", "mark", "--mark", mark(0, scratch1)), setMark(0, scratch0)));
            } else {
                for (List<String> alternative : b.alternatives()) {
                    pre.add(concat(alternative, setMark(0, scratch0)));
                }
            }
        }
        return pre;
    }

    private static List<String> setMark(int value, int mask) {
        return List.of("-j", "MARK", "--set-xmark", mark(value, mask));
    }

    static String mark(int value, int mask) {
        return String.format("0x%x/0x%x", value, mask);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<Protocol> intersect(Set<Protocol> current, Set<Protocol> with) {
        Set<Protocol> out = new TreeSet<>(with);
        if (current != null) {
            out.retainAll(current);
        }
        return out;
    }

    /** iptables' protocol spelling: names for the common ones, the number otherwise. */
    static String protocolName(Protocol p) {
        switch (p.number()) {
            case 1:
                return "icmp";
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 132:
                return "sctp";
            case 136:
                return "udplite";
            default:
                return Integer.toString(p.number());
        }
    }
}
