package dev.tortie.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.net.IpAddress;
import org.junit.jupiter.api.Test;

class IpAllocatorTest {
    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @Test
    void allocatesInOrderSkippingTheNetworkAddress() {
        IpAllocator a = new IpAllocator(Cidr.parse("10.65.0.0/16"));
        assertThat(a.allocate()).isEqualTo(ip("10.65.0.1"));
        assertThat(a.allocate()).isEqualTo(ip("10.65.0.2"));
        a.reserve(ip("10.65.0.3"));
        assertThat(a.allocate()).isEqualTo(ip("10.65.0.4"));
        assertThat(a.usedCount()).isEqualTo(4);
    }

    @Test
    void crossesOctetBoundaries() {
        IpAllocator a = new IpAllocator(Cidr.parse("10.65.0.0/16"));
        for (int i = 0; i < 255; i++) {
            a.allocate();
        }
        assertThat(a.allocate()).isEqualTo(ip("10.65.1.0"));
    }

    @Test
    void releasedAddressesComeBackOnlyAfterWrapping() {
        IpAllocator a = new IpAllocator(Cidr.parse("10.65.0.0/29")); // .1 - .6 usable
        for (int i = 1; i <= 6; i++) {
            assertThat(a.allocate()).isEqualTo(ip("10.65.0." + i));
        }
        assertThatThrownBy(a::allocate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exhausted");
        a.release(ip("10.65.0.2"));
        assertThat(a.inUse(ip("10.65.0.2"))).isFalse();
        assertThat(a.allocate()).isEqualTo(ip("10.65.0.2"));
    }

    @Test
    void reserveChecksCidrBoundariesAndDuplicates() {
        IpAllocator a = new IpAllocator(Cidr.parse("10.65.0.0/24"));
        assertThatThrownBy(() -> a.reserve(ip("10.66.0.1"))).hasMessageContaining("outside the lab's pod CIDR");
        assertThatThrownBy(() -> a.reserve(ip("10.65.0.0"))).hasMessageContaining("network or broadcast");
        assertThatThrownBy(() -> a.reserve(ip("10.65.0.255"))).hasMessageContaining("network or broadcast");
        a.reserve(ip("10.65.0.9"));
        assertThatThrownBy(() -> a.reserve(ip("10.65.0.9"))).hasMessageContaining("already in use");
    }

    @Test
    void rejectsUnusableCidrs() {
        assertThatThrownBy(() -> new IpAllocator(Cidr.parse("fd00::/64"))).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new IpAllocator(Cidr.parse("10.0.0.0/31"))).hasMessageContaining("too small");
        assertThatThrownBy(() -> new IpAllocator(Cidr.parse("169.254.0.0/16"))).hasMessageContaining("gateway");
    }
}
