package dev.tortie.engine.model;

/**
 * One entry of a rule's ports list: a numeric range (a single port has min == max) or a named port that resolves
 * through the endpoints' declared container ports.
 */
public record PortSpec(int min, int max, String name) implements Comparable<PortSpec> {
    public PortSpec {
        if (name == null) {
            if (min < 0 || max > 65535 || min > max) {
                throw new IllegalArgumentException("invalid port range " + min + ":" + max);
            }
        } else if (min != 0 || max != 0) {
            throw new IllegalArgumentException("named port carries no numbers");
        }
    }

    public static PortSpec single(int port) {
        return new PortSpec(port, port, null);
    }

    public static PortSpec range(int min, int max) {
        return new PortSpec(min, max, null);
    }

    public static PortSpec named(String name) {
        return new PortSpec(0, 0, name);
    }

    public boolean isNamed() {
        return name != null;
    }

    public boolean contains(int port) {
        return name == null && port >= min && port <= max;
    }

    @Override
    public int compareTo(PortSpec other) {
        if (isNamed() != other.isNamed()) {
            return isNamed() ? 1 : -1;
        }
        if (isNamed()) {
            return name.compareTo(other.name);
        }
        int c = Integer.compare(min, other.min);
        return c != 0 ? c : Integer.compare(max, other.max);
    }

    /** Calico's text form: {@code 80}, {@code 8000:8080} or {@code http}. */
    @Override
    public String toString() {
        if (name != null) {
            return name;
        }
        return min == max ? Integer.toString(min) : min + ":" + max;
    }
}
