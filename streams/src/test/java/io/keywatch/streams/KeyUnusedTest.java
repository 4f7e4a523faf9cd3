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

class KeyUnusedTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsRegisteredKeysNotUsedForThirtyDays() {
        Instant created = T0.minus(Duration.ofDays(60));
        fixture.register("never", Registry.entry().createdAt(created).build(), T0);
        fixture.register("stopped", Registry.entry().createdAt(created).build(), T0);
        fixture.register("busy", Registry.entry().createdAt(created).build(), T0);
        fixture.send(fixture.event("stopped", T0));
        fixture.sendLater(fixture.event("busy", T0.plus(Duration.ofDays(25))));
        tick(T0.plus(Duration.ofDays(29)));
        assertThat(fixture.readAlerts(AlertRule.KEY_UNUSED)).isEmpty();

        Instant later = T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(1));
        tick(later);
        tick(later.plus(Duration.ofMinutes(30)));

        List<Alert> alerts = fixture.readAlerts(AlertRule.KEY_UNUSED);
        assertThat(alerts).extracting(Alert::keyId).containsExactlyInAnyOrder("never", "stopped");
        Alert never = alerts.stream().filter(alert -> alert.keyId().equals("never")).findFirst().orElseThrow();
        assertThat(never.severity()).isEqualTo(Severity.LOW);
        assertThat(never.windowStart()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(never.summary()).contains("never been used");
        assertThat(never.evidence()).containsEntry("lastSeen", "never").containsEntry("thresholdDays", 30);
        assertThat(never.observed()).isEqualTo(90.0);
        Alert stopped = alerts.stream().filter(alert -> alert.keyId().equals("stopped")).findFirst().orElseThrow();
        assertThat(stopped.evidence()).containsEntry("lastSeen", T0.toString());
        assertThat(stopped.observed()).isEqualTo(30.0);
    }

    @Test
    void neverCallsACanaryUnused() {
        Instant created = T0.minus(Duration.ofDays(60));
        fixture.register("pk_live_decoy", Registry.entry().createdAt(created).canary("laptop-7").build(), T0);
        fixture.register("pk_live_real", Registry.entry().createdAt(created).build(), T0);
        Instant later = T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(1));
        tick(later);
        tick(later.plus(Duration.ofMinutes(30)));

        assertThat(fixture.readAlerts()).extracting(Alert::keyId).contains("pk_live_real")
                .doesNotContain("pk_live_decoy");
    }

    @Test
    void waitsForThirtyDaysOfObservationBeforeCallingAKeyUnused() {
        // a fresh deployment (or a backtest) knows nothing about use before it started
        fixture.register("old", Registry.entry().createdAt(T0.minus(Duration.ofDays(300))).build(), T0);
        tick(T0);
        tick(T0.plus(Duration.ofDays(10)));

        assertThat(fixture.readAlerts(AlertRule.KEY_UNUSED)).isEmpty();
    }

    @Test
    void respectsPerKeyAndGlobalDays() {
        fixture.restart(Map.of("KEYWATCH_DETECT_UNUSED_DAYS", "5"));
        fixture.register("global", Registry.entry().createdAt(T0.minus(Duration.ofDays(60))).build(), T0);
        fixture.register("patient", Registry.entry().createdAt(T0.minus(Duration.ofDays(60)))
                .threshold("unused.days", 10).build(), T0);
        tick(T0);
        tick(T0.plus(Duration.ofDays(6)));

        assertThat(fixture.readAlerts(AlertRule.KEY_UNUSED)).extracting(Alert::keyId).containsExactly("global");
    }

    private void tick(Instant at) {
        fixture.sendLater(fixture.event("clock", at));
    }
}
