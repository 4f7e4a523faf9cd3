package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeyRotationDueTest {

    private static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsKeysOlderThanTheRotationPolicyOncePerUtcDay() {
        fixture.register("old", Registry.entry().createdAt(T0.minus(Duration.ofDays(100))).build(), T0);
        fixture.register("young", Registry.entry().createdAt(T0.minus(Duration.ofDays(89))).build(), T0);
        fixture.register("undated", Registry.entry().build(), T0);
        tick(T0);
        tick(T0.plus(Duration.ofHours(1)));

        List<Alert> alerts = fixture.readAlerts(AlertRule.KEY_ROTATION_DUE);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.keyId()).isEqualTo("old");
        assertThat(alert.severity()).isEqualTo(Severity.LOW);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.KEY_ROTATION_DUE, "old", DAY));
        assertThat(alert.observed()).isEqualTo(100.0);
        assertThat(alert.threshold()).isEqualTo(90.0);
        assertThat(alert.summary()).contains("100.0 days ago").contains("every 90 days");
        assertThat(alert.evidence()).containsEntry("createdAt", T0.minus(Duration.ofDays(100)).toString());

        tick(T0.plus(Duration.ofDays(1)));
        assertThat(fixture.readAlerts(AlertRule.KEY_ROTATION_DUE)).extracting(Alert::keyId)
                .containsExactly("old", "young");
    }

    @Test
    void respectsPerKeyAndGlobalPolicy() {
        fixture.restart(Map.of("KEYWATCH_DETECT_ROTATION_DAYS", "30"));
        fixture.register("global", Registry.entry().createdAt(T0.minus(Duration.ofDays(40))).build(), T0);
        fixture.register("lenient", Registry.entry().createdAt(T0.minus(Duration.ofDays(40)))
                .threshold("rotation.days", 365).build(), T0);
        tick(T0);

        assertThat(fixture.readAlerts(AlertRule.KEY_ROTATION_DUE)).extracting(Alert::keyId).containsExactly("global");
    }

    private void tick(Instant at) {
        fixture.sendLater(fixture.event("clock", at));
    }
}
