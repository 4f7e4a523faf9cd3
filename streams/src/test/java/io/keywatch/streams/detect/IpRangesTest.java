package io.keywatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpRangesTest {

    @Test
    void matchesIpv4AndIpv6Ranges() {
        assertThat(IpRanges.contains("10.0.0.0/8", IpRanges.parse("10.255.1.2"))).isTrue();
        assertThat(IpRanges.contains("10.0.0.0/8", IpRanges.parse("11.0.0.1"))).isFalse();
        assertThat(IpRanges.contains("192.168.1.128/25", IpRanges.parse("192.168.1.200"))).isTrue();
        assertThat(IpRanges.contains("192.168.1.128/25", IpRanges.parse("192.168.1.100"))).isFalse();
        assertThat(IpRanges.contains("203.0.113.7", IpRanges.parse("203.0.113.7"))).isTrue();
        assertThat(IpRanges.contains("0.0.0.0/0", IpRanges.parse("8.8.8.8"))).isTrue();
        assertThat(IpRanges.contains("2001:db8::/32", IpRanges.parse("2001:db8:1::5"))).isTrue();
        assertThat(IpRanges.contains("2001:db8::/32", IpRanges.parse("2001:db9::5"))).isFalse();
        assertThat(IpRanges.contains("2001:db8::/32", IpRanges.parse("10.0.0.1"))).isFalse();
    }

    @Test
    void parsesOnlyLiteralsNeverHostNames() {
        assertThat(IpRanges.parse("example.com")).isNull();
        assertThat(IpRanges.parse("256.1.1.1")).isNull();
        assertThat(IpRanges.parse("1.2.3")).isNull();
        assertThat(IpRanges.parse("::g")).isNull();
        assertThat(IpRanges.contains("10.0.0.0/33", IpRanges.parse("10.0.0.1"))).isNull();
        assertThat(IpRanges.contains("nonsense/8", IpRanges.parse("10.0.0.1"))).isNull();
    }
}
