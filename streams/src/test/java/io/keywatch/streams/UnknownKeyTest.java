package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UnknownKeyTest {

    private static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsUnregisteredKeyOncePerUtcDay() {
        fixture.steadyTraffic("stray", 0, 90, 2);
        fixture.sendLater(fixture.event("stray", T0.plus(Duration.ofHours(14))));

        List<Alert> alerts = fixture.readAlerts(AlertRule.UNKNOWN_KEY);
        assertThat(alerts).extracting(Alert::windowStart).containsExactly(DAY, DAY.plus(Duration.ofDays(1)));
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.LOW);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.UNKNOWN_KEY, "stray", DAY));
        assertThat(alert.windowEnd()).isEqualTo(DAY.plus(Duration.ofDays(1)));
        assertThat(alert.triggeredAt()).isEqualTo(T0);
        assertThat(alert.summary()).contains("not in the key registry");
        assertThat(alert.evidence()).containsEntry("registered", false).containsEntry("keyStatus", "UNKNOWN");
    }

    @Test
    void flagsKeysWithAStateButNoRegistryEntry() {
        fixture.keyState("key-1", KeyStatus.ACTIVE, minute(0), "created by hand");
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(1)));

        assertThat(fixture.readAlerts(AlertRule.UNKNOWN_KEY)).singleElement()
                .satisfies(alert -> assertThat(alert.evidence()).containsEntry("keyStatus", "ACTIVE"));
    }

    @Test
    void staysQuietForRegisteredKeysAndWhenSwitchedOff() {
        fixture.restart(Map.of("KEYWATCH_DETECT_DISABLED_RULES", "unknown_key, KEY_IN_URL"));
        fixture.register("known", Registry.entry().build(), minute(0));
        fixture.send(fixture.event("known", minute(0).plusSeconds(1)));
        fixture.send(fixture.event("stray", minute(0).plusSeconds(1)));

        assertThat(fixture.readAlerts()).isEmpty();
    }

    @Test
    void forgetsTheProfilesOfUnregisteredKeysAfterAWeekWithoutUse() {
        fixture.register("known", Registry.entry().build(), minute(0));
        fixture.send(fixture.event("stray", minute(0)));
        fixture.send(fixture.event("known", minute(0)));
        KeyValueStore<String, ?> profiles = fixture.driver.getKeyValueStore(KeywatchTopology.PROFILE_STORE);
        assertThat(profiles.get("stray")).isNotNull();

        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofDays(8))));

        assertThat(profiles.get("stray")).isNull();
        assertThat(profiles.get("known")).isNotNull();
    }

    @Test
    void forgetsAFloodOfStrayProfilesInSlicesSoThatNoPunctuationHoldsTheThreadLong() {
        // more strays than one step of the daily clean-up looks at (10,000): in one go, a million keys' share held the
        // stream thread for seconds (the million-key bench), past the exactly-once transaction timeout
        int strays = 12_000;
        fixture.register("known", Registry.entry().build(), minute(0));
        for (int i = 0; i < strays; i++) {
            fixture.send(fixture.event(String.format(java.util.Locale.ROOT, "stray-%05d", i),
                    minute(0).plusMillis(i)));
        }
        fixture.send(fixture.event("known", minute(0).plusSeconds(20)));
        KeyValueStore<String, ?> profiles = fixture.driver.getKeyValueStore(KeywatchTopology.PROFILE_STORE);

        Instant later = T0.plus(Duration.ofDays(8));
        fixture.sendLater(fixture.event("clock", later));
        long left = countStrays(profiles);
        assertThat(left).as("the first step forgets one slice").isPositive().isLessThan(strays);

        fixture.sendLater(fixture.event("clock", later.plusSeconds(10)));
        assertThat(countStrays(profiles)).as("the next step forgets the rest").isZero();
        assertThat(profiles.get("known")).isNotNull();
    }

    private static long countStrays(KeyValueStore<String, ?> profiles) {
        long count = 0;
        try (var all = profiles.range("stray-", "stray-~")) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
