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
}
