package dev.tortie.engine.net;

import java.util.Objects;

/** A network: an address with its host bits cleared and a prefix length. */
public final class Cidr implements Comparable<Cidr> {
    private final IpAddress network;
    private final int prefixLength;

    private Cidr(IpAddress network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    public static Cidr of(IpAddress address, int prefixLength) {
        Objects.requireNonNull(address, "address == null");
        if (prefixLength < 0 || prefixLength > address.bitLength()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
        }
        return new Cidr(address.masked(prefixLength), prefixLength);
    }

    /** A single-address network (/32 or /128). */
    public static Cidr host(IpAddress address) {
        return new Cidr(address, address.bitLength());
    }

    /** Parses {@code a.b.c.d/n} or {@code x::y/n}; the host bits are cleared, as Calico normalises nets. */
    public static Cidr parse(String text) {
        Cidr parsed = tryParse(text, false);
        if (parsed == null) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "'");
        }
        return parsed;
    }

    /** Like {@link #parse} but also accepts a bare address as a host network (network sets allow that). */
    public static Cidr parseCidrOrIp(String text) {
        Cidr parsed = tryParse(text, true);
        if (parsed == null) {
            throw new IllegalArgumentException("invalid CIDR or IP address '" + text + "'");
        }
        return parsed;
    }

    /** Returns null when {@code text} does not parse. */
    public static Cidr tryParse(String text, boolean allowBareAddress) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            if (!allowBareAddress) {
                return null;
            }
            IpAddress address = IpAddress.tryParse(text);
            return address == null ? null : host(address);
        }
        IpAddress address = IpAddress.tryParse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (address == null || prefix.isEmpty() || prefix.length() > 3) {
            return null;
        }
        int length = 0;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            length = length * 10 + (c - '0');
        }
        if (prefix.length() > 1 && prefix.charAt(0) == '0') {
            return null;
        }
        if (length > address.bitLength()) {
            return null;
        }
        return new Cidr(address.masked(length), length);
    }

    public IpAddress network() {
        return network;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isV6() {
        return network.isV6();
    }

    public boolean isHost() {
        return prefixLength == network.bitLength();
    }

    /** True for 0.0.0.0/0 and ::/0. */
    public boolean isCatchAll() {
        return prefixLength == 0;
    }

    public boolean contains(IpAddress address) {
        return address.isV6() == network.isV6() && address.masked(prefixLength).equals(network);
    }

    /** True when every address of {@code other} is in this network. */
    public boolean contains(Cidr other) {
        return other.isV6() == isV6() && other.prefixLength >= prefixLength && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    @Override
    public int compareTo(Cidr other) {
        int c = network.compareTo(other.network);
        return c != 0 ? c : Integer.compare(prefixLength, other.prefixLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && network.equals(other.network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
