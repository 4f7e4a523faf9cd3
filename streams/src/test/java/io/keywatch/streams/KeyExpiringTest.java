package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeyExpiringTest {

    private static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsKeysExpiringWithinFourteenDaysOncePerUtcDay() {
        fixture.register("soon", Registry.entry().expiresAt(T0.plus(Duration.ofDays(10))).build(), T0);
        fixture.register("later", Registry.entry().expiresAt(T0.plus(Duration.ofDays(15))).build(), T0);
        fixture.register("gone", Registry.entry().expiresAt(T0.minus(Duration.ofDays(1))).build(), T0);
        fixture.state(new KeyState("revoked", KeyStatus.REVOKED, T0, "leaked", "api:admin",
                Registry.entry().expiresAt(T0.plus(Duration.ofDays(3))).build()));

        // stream time moves with any traffic: the scan runs with the first event, then every 10 minutes
        tick(T0);
        tick(T0.plus(Duration.ofMinutes(25)));
        tick(T0.plus(Duration.ofDays(1)));

        List<Alert> alerts = fixture.readAlerts(AlertRule.KEY_EXPIRING);
        // day 1: "soon" (10 days left); day 2: both, in the store's key order ("later" has 14 days left then)
        assertThat(alerts).extracting(Alert::keyId).containsExactly("soon", "later", "soon");
        assertThat(alerts).extracting(Alert::windowStart).containsExactly(DAY, DAY.plus(Duration.ofDays(1)),
                DAY.plus(Duration.ofDays(1)));
        Alert first = alerts.get(0);
        assertThat(first.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(first.id()).isEqualTo(Alert.idFor(AlertRule.KEY_EXPIRING, "soon", DAY));
        assertThat(first.windowEnd()).isEqualTo(DAY.plus(Duration.ofDays(1)));
        assertThat(first.triggeredAt()).isEqualTo(T0);
        assertThat(first.observed()).isEqualTo(10.0);
        assertThat(first.threshold()).isEqualTo(14.0);
        assertThat(first.summary()).contains("soon").contains("in 10.0 days");
        assertThat(first.evidence())
                .containsEntry("expiresAt", T0.plus(Duration.ofDays(10)).toString())
                .containsEntry("daysLeft", 10.0)
                .containsEntry("owner", "acme")
                .doesNotContainKey("requests");
        assertThat(alerts.get(2).observed()).isEqualTo(9.0);
    }

    @Test
    void respectsPerKeyAndGlobalWarningDays() {
        fixture.restart(Map.of("KEYWATCH_DETECT_EXPIRING_DAYS", "30"));
        fixture.register("global", Registry.entry().expiresAt(T0.plus(Duration.ofDays(20))).build(), T0);
        fixture.register("short", Registry.entry().expiresAt(T0.plus(Duration.ofDays(20)))
                .threshold("expiring.days", 7).build(), T0);
        fixture.register("off", Registry.entry().expiresAt(T0.plus(Duration.ofDays(2)))
                .threshold("expiring.enabled", 0).build(), T0);
        tick(T0);

        assertThat(fixture.readAlerts(AlertRule.KEY_EXPIRING)).extracting(Alert::keyId).containsExactly("global");
    }

    @Test
    void reportsEachKeyFromTheTaskOfItsPartitionOnly() {
        // the driver is partition 0 of a topic said to have 2 partitions: it owns about half the keys
        fixture.restart(Map.of("KEYWATCH_TOPIC_PARTITIONS", "2"));
        List<String> keys = IntStream.range(0, 20).mapToObj(i -> "key-" + i).toList();
        for (String key : keys) {
            fixture.register(key, Registry.entry().expiresAt(T0.plus(Duration.ofDays(5))).build(), T0);
        }
        tick(T0);

        List<String> own = keys.stream().filter(key ->
                Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2 == 0).toList();
        assertThat(own).isNotEmpty().hasSizeLessThan(keys.size());
        assertThat(fixture.readAlerts(AlertRule.KEY_EXPIRING)).extracting(Alert::keyId)
                .containsExactlyInAnyOrderElementsOf(own);
    }

    /** Moves stream time with an event of an unrelated key. */
    private void tick(Instant at) {
        fixture.sendLater(fixture.event("clock", at));
    }

}
