package dev.tortie.engine.model;

import java.util.Locale;

/** An IP protocol by number, with Calico's names for the common ones. */
public record Protocol(int number) implements Comparable<Protocol> {
    public static final Protocol ICMP = new Protocol(1);
    public static final Protocol TCP = new Protocol(6);
    public static final Protocol UDP = new Protocol(17);
    public static final Protocol ICMPV6 = new Protocol(58);
    public static final Protocol SCTP = new Protocol(132);
    public static final Protocol UDPLITE = new Protocol(136);

    public Protocol {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("protocol number " + number + " out of range 0-255");
        }
    }

    /**
     * Parses a protocol name (TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite; any case) or a number 1-255. Returns null when
     * the text is neither.
     */
    public static Protocol tryParse(String text) {
        if (text == null) {
            return null;
        }
        switch (text.toUpperCase(Locale.ROOT)) {
            case "TCP":
                return TCP;
            case "UDP":
                return UDP;
            case "ICMP":
                return ICMP;
            case "ICMPV6":
                return ICMPV6;
            case "SCTP":
                return SCTP;
            case "UDPLITE":
                return UDPLITE;
            default:
                break;
        }
        if (text.isEmpty() || text.length() > 3) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value >= 1 && value <= 255 ? new Protocol(value) : null;
    }

    /** Ports only mean something for TCP, UDP and SCTP (Calico's SupportsPorts). */
    public boolean supportsPorts() {
        return number == 6 || number == 17 || number == 132;
    }

    public boolean isIcmp() {
        return number == 1 || number == 58;
    }

    /** Calico's spelling: TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite, or the number. */
    public String displayName() {
        switch (number) {
            case 1:
                return "ICMP";
            case 6:
                return "TCP";
            case 17:
                return "UDP";
            case 58:
                return "ICMPv6";
            case 132:
                return "SCTP";
            case 136:
                return "UDPLite";
            default:
                return Integer.toString(number);
        }
    }

    /** Lower-case name as Felix and the kernel tools use it (tcp, udp, sctp, icmp, ...). */
    public String kernelName() {
        return displayName().toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(Protocol other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
