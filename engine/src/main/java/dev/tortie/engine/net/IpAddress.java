package dev.tortie.engine.net;

import java.util.Objects;

/**
 * An IPv4 or IPv6 address held as two longs, so comparisons and CIDR tests never allocate.
 *
 * <p>IPv4 addresses live in the low 32 bits of {@code low}; {@code high} is zero.
 */
public final class IpAddress implements Comparable<IpAddress> {
    private final boolean v6;
    private final long high;
    private final long low;

    private IpAddress(boolean v6, long high, long low) {
        this.v6 = v6;
        this.high = high;
        this.low = low;
    }

    public static IpAddress ofV4(int bits) {
        return new IpAddress(false, 0, bits & 0xffffffffL);
    }

    public static IpAddress ofV6(long high, long low) {
        return new IpAddress(true, high, low);
    }

    /** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 address; throws {@link IllegalArgumentException}. */
    public static IpAddress parse(String text) {
        Objects.requireNonNull(text, "text == null");
        IpAddress parsed = tryParse(text);
        if (parsed == null) {
            throw new IllegalArgumentException("invalid IP address '" + text + "'");
        }
        return parsed;
    }

    /** Returns null when {@code text} is not an IP address. */
    public static IpAddress tryParse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    private static IpAddress parseV4(String text) {
        long value = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                if (octet > 255 || i - start >= 3) {
                    return null;
                }
                i++;
            }
            if (i == start) {
                return null;
            }
            // A leading zero would make the octet ambiguous (octal in some parsers): reject like Go's net.ParseIP.
            if (i - start > 1 && text.charAt(start) == '0') {
                return null;
            }
            value = (value << 8) | octet;
            octets++;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != '.' || octets == 4) {
                return null;
            }
            i++;
        }
        return octets == 4 ? new IpAddress(false, 0, value) : null;
    }

    private static IpAddress parseV6(String text) {
        int[] groups = new int[8];
        int count = 0;
        int doubleColonAt = -1;
        int i = 0;
        int n = text.length();
        if (text.startsWith("::")) {
            doubleColonAt = 0;
            i = 2;
            if (i == n) {
                return new IpAddress(true, 0, 0);
            }
        } else if (text.startsWith(":")) {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && Character.digit(text.charAt(i), 16) >= 0 && i - start < 4) {
                value = (value << 4) | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < n && text.charAt(i) == '.') {
                // Embedded IPv4 tail, e.g. ::ffff:10.0.0.1
                IpAddress v4 = parseV4(text.substring(start));
                if (v4 == null || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4.low >>> 16);
                groups[count++] = (int) (v4.low & 0xffff);
                i = n;
                break;
            }
            if (i == start) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (doubleColonAt >= 0) {
                    return null;
                }
                doubleColonAt = count;
                i++;
            } else if (i == n) {
                return null;
            }
        }
        if (doubleColonAt >= 0) {
            if (count == 8) {
                return null;
            }
            int missing = 8 - count;
            int[] full = new int[8];
            System.arraycopy(groups, 0, full, 0, doubleColonAt);
            System.arraycopy(groups, doubleColonAt, full, doubleColonAt + missing, count - doubleColonAt);
            groups = full;
        } else if (count != 8) {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | groups[g];
            low = (low << 16) | groups[g + 4];
        }
        return new IpAddress(true, high, low);
    }

    public boolean isV6() {
        return v6;
    }

    public int family() {
        return v6 ? 6 : 4;
    }

    public int bitLength() {
        return v6 ? 128 : 32;
    }

    public long high() {
        return high;
    }

    public long low() {
        return low;
    }

    /** The IPv4 address as an int (network byte order value). */
    public int v4Bits() {
        return (int) low;
    }

    /** The address with every bit past {@code prefixLength} cleared. */
    public IpAddress masked(int prefixLength) {
        if (!v6) {
            long mask = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
            return new IpAddress(false, 0, low & mask);
        }
        long highMask = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
        long lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return new IpAddress(true, high & highMask, low & lowMask);
    }

    /** The bytes in network order (4 or 16). */
    public byte[] toBytes() {
        if (!v6) {
            return new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (high >>> (56 - 8 * i));
            out[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return out;
    }

    @Override
    public int compareTo(IpAddress other) {
        if (v6 != other.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(high, other.high);
        return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && v6 == other.v6 && high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) ^ (v6 ? 0x5bd1e995 : 0);
    }

    /** Canonical text: dotted quad, or RFC 5952 compressed IPv6. */
    @Override
    public String toString() {
        if (!v6) {
            return ((low >>> 24) & 0xff) + "." + ((low >>> 16) & 0xff) + "." + ((low >>> 8) & 0xff) + "."
                    + (low & 0xff);
        }
        int[] groups = new int[8];
        for (int g = 0; g < 4; g++) {
            groups[g] = (int) ((high >>> (48 - 16 * g)) & 0xffff);
            groups[g + 4] = (int) ((low >>> (48 - 16 * g)) & 0xffff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; ) {
            if (groups[g] != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && groups[g] == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[g]));
        }
        return sb.toString();
    }
}
