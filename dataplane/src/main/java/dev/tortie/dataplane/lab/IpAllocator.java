package dev.tortie.dataplane.lab;

import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Hands out pod addresses from one IPv4 pod CIDR in order (.1, .2, ...), skipping the network and broadcast addresses
 * (a routed /32 would work with them, but they confuse readers of a matrix). A released address is handed out again
 * only after the allocator wraps around, so a removed pod's address is not instantly reused by the next one. Not
 * thread-safe; the lab guards it.
 */
public final class IpAllocator {
    private final Cidr cidr;
    private final long first;
    private final long last;
    private final Set<IpAddress> used = new HashSet<>();
    private long next;

    public IpAllocator(Cidr cidr) {
        Objects.requireNonNull(cidr, "cidr == null");
        if (cidr.isV6()) {
            throw new IllegalArgumentException("pod CIDR " + cidr + ": the lab supports IPv4 pod CIDRs only");
        }
        if (cidr.prefixLength() > 30) {
            throw new IllegalArgumentException("pod CIDR " + cidr + " is too small (at most /30)");
        }
        if (cidr.contains(LabNetwork.GATEWAY)) {
            throw new IllegalArgumentException(
                    "pod CIDR " + cidr + " contains the pods' gateway address " + LabNetwork.GATEWAY);
        }
        this.cidr = cidr;
        long network = cidr.network().v4Bits() & 0xffffffffL;
        long size = 1L << (32 - cidr.prefixLength());
        this.first = network + 1;
        this.last = network + size - 2;
        this.next = first;
    }

    public Cidr cidr() {
        return cidr;
    }

    /** The next free address; throws when the CIDR is exhausted. */
    public IpAddress allocate() {
        long capacity = last - first + 1;
        for (long tried = 0; tried < capacity; tried++) {
            IpAddress candidate = IpAddress.ofV4((int) next);
            next = next == last ? first : next + 1;
            if (used.add(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("pod CIDR " + cidr + " is exhausted (" + used.size() + " addresses in use)");
    }

    /** Marks an explicitly chosen address as used; it must be a usable address of the CIDR and free. */
    public IpAddress reserve(IpAddress ip) {
        Objects.requireNonNull(ip, "ip == null");
        if (!cidr.contains(ip)) {
            throw new IllegalArgumentException("pod IP " + ip + " is outside the lab's pod CIDR " + cidr);
        }
        long bits = ip.v4Bits() & 0xffffffffL;
        if (bits < first || bits > last) {
            throw new IllegalArgumentException(
                    "pod IP " + ip + " is the network or broadcast address of the pod CIDR " + cidr);
        }
        if (!used.add(ip)) {
            throw new IllegalArgumentException("pod IP " + ip + " is already in use");
        }
        return ip;
    }

    /** Returns an address to the pool (no-op when it was not in use). */
    public void release(IpAddress ip) {
        used.remove(ip);
    }

    public boolean inUse(IpAddress ip) {
        return used.contains(ip);
    }

    public int usedCount() {
        return used.size();
    }
}
