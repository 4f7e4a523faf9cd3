package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final AuthThrottle throttle = new AuthThrottle(3, 100, clock);

    @Test
    void refusesAnAddressAfterItsLimitUntilItsWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refusedFor("10.0.0.1")).isEmpty();
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.refusedFor("10.0.0.1")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(45));
        assertThat(throttle.refusedFor("10.0.0.1")).contains(Duration.ofSeconds(15));
        clock.advance(Duration.ofSeconds(15));
        assertThat(throttle.refusedFor("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.refusedFor("10.0.0.1")).as("a new window starts from one").isEmpty();
    }

    @Test
    void addressesAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
        }
        throttle.failed("10.0.0.2");
        assertThat(throttle.refusedFor("10.0.0.1")).isPresent();
        assertThat(throttle.refusedFor("10.0.0.2")).isEmpty();
    }

    @Test
    void sprayedAddressesNeverGrowItsMemoryPastItsCapacity() {
        for (int i = 0; i < 100_000; i++) {
            throttle.failed("198.51." + (i >> 8 & 0xff) + "." + (i & 0xff) + "/" + i);
        }
        assertThat(throttle.trackedAddresses()).isEqualTo(100);
    }

    @Test
    void zeroTurnsItOff() {
        AuthThrottle off = new AuthThrottle(0, 10, clock);
        for (int i = 0; i < 50; i++) {
            off.failed("10.0.0.1");
        }
        assertThat(off.refusedFor("10.0.0.1")).isEmpty();
        assertThat(off.trackedAddresses()).isZero();
    }
}
