package dev.tortie.shell.command;

import dev.tortie.engine.model.Protocol;
import dev.tortie.shell.session.TortieException;
import java.util.List;
import java.util.Locale;

/**
 * {@code SRC -> DST:PORT[/PROTO]} or {@code SRC -> DST/ICMP}, as typed. The port may be a number or a named port
 * (resolved against each destination pod's declared ports).
 */
public record FlowSpec(String source, String destination, String port, Protocol protocol) {
    /** Joins the positional words (so both {@code a -> b:80} and {@code a->b:80} work) and parses them. */
    public static FlowSpec parse(List<String> words) {
        String text = String.join(" ", words).trim();
        int arrow = text.indexOf("->");
        if (arrow < 0) {
            throw TortieException.usage("expected SRC -> DST:PORT[/PROTO], got '" + text + "'");
        }
        String src = text.substring(0, arrow).trim();
        String dst = text.substring(arrow + 2).trim();
        if (src.isEmpty()) {
            throw TortieException.usage("missing source before '->' in '" + text + "'");
        }
        if (dst.isEmpty()) {
            throw TortieException.usage("missing destination after '->' in '" + text + "'");
        }
        return parseDestination(src, dst);
    }

    private static FlowSpec parseDestination(String src, String dst) {
        int slash = dst.lastIndexOf('/');
        if (slash > 0 && dst.lastIndexOf(':') < 0) {
            Protocol icmp = icmpProtocol(dst.substring(slash + 1));
            if (icmp != null) {
                return new FlowSpec(src, dst.substring(0, slash), null, icmp);
            }
        }
        int colon = lastColonOutsideBrackets(dst);
        if (colon < 0) {
            throw TortieException.usage("destination '" + dst + "' needs a port: DST:PORT[/PROTO] (or DST/ICMP)");
        }
        String host = dst.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portPart = dst.substring(colon + 1);
        Protocol protocol = Protocol.TCP;
        int protoSlash = portPart.indexOf('/');
        if (protoSlash >= 0) {
            String protoText = portPart.substring(protoSlash + 1);
            protocol = Protocol.tryParse(protoText);
            if (protocol == null) {
                throw TortieException.usage(
                        "unknown protocol '" + protoText + "' in '" + dst + "': use TCP, UDP, SCTP, ICMP or a number");
            }
            portPart = portPart.substring(0, protoSlash);
        }
        if (portPart.isEmpty()) {
            throw TortieException.usage("empty port in '" + dst + "'");
        }
        if (Character.isDigit(portPart.charAt(0))) {
            int port;
            try {
                port = Integer.parseInt(portPart);
            } catch (NumberFormatException e) {
                throw TortieException.usage("invalid port '" + portPart + "' in '" + dst + "'");
            }
            if (port < 1 || port > 65535) {
                throw TortieException.usage("port " + port + " is out of range 1-65535");
            }
        }
        if (!protocol.supportsPorts()) {
            throw TortieException.usage("protocol " + protocol + " has no ports: write DST/" + protocol);
        }
        return new FlowSpec(src, host, portPart, protocol);
    }

    private static Protocol icmpProtocol(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.equals("ICMP")) {
            return Protocol.ICMP;
        }
        if (upper.equals("ICMPV6")) {
            return Protocol.ICMPV6;
        }
        return null;
    }

    private static int lastColonOutsideBrackets(String s) {
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close > 0 && close + 1 < s.length() && s.charAt(close + 1) == ':' ? close + 1 : -1;
        }
        int first = s.indexOf(':');
        int last = s.lastIndexOf(':');
        // A bare IPv6 address has several colons; it needs brackets to carry a port.
        if (first != last && s.indexOf('.') < 0) {
            return -1;
        }
        return last;
    }

    /** The port as a number, or -1 when it is a named port. */
    public int numericPort() {
        if (port == null || !Character.isDigit(port.charAt(0))) {
            return -1;
        }
        return Integer.parseInt(port);
    }

    public boolean isNamedPort() {
        return port != null && !Character.isDigit(port.charAt(0));
    }
}
