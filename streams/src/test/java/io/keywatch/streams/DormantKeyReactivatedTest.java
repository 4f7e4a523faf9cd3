package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DormantKeyReactivatedTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsFirstUseAfterThirtyDaysOfSilenceOnce() {
        fixture.register("key-1", Registry.entry().build(), minute(0));
        fixture.steadyTraffic("key-1", 0, 2, 5);

        Instant back = minute(1).plus(Duration.ofDays(30));
        UsageEvent first = fixture.event("key-1", back.plusSeconds(5));
        fixture.sendLater(first);
        fixture.send(fixture.event("key-1", back.plusSeconds(6)));
        fixture.send(fixture.event("key-1", back.plusSeconds(65)));

        List<Alert> alerts = fixture.readAlerts(AlertRule.DORMANT_KEY_REACTIVATED);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.DORMANT_KEY_REACTIVATED, "key-1", back));
        assertThat(alert.triggeredAt()).isEqualTo(first.timestamp());
        assertThat(alert.summary()).contains("30.0 days without any use");
        assertThat(alert.evidence())
                .containsEntry("lastSeen", minute(1).toString())
                .containsEntry("dormantDays", 30);
    }

    @Test
    void staysQuietAfterShorterSilencesAndForNewKeys() {
        fixture.steadyTraffic("key-1", 0, 1, 5);
        fixture.sendLater(fixture.event("key-1", T0.plus(Duration.ofDays(29))));
        // a key keywatch never saw is new, not dormant
        fixture.sendLater(fixture.event("key-2", T0.plus(Duration.ofDays(60))));

        assertThat(fixture.readAlerts(AlertRule.DORMANT_KEY_REACTIVATED)).isEmpty();
    }

    @Test
    void respectsPerKeyAndGlobalSilence() {
        fixture.restart(Map.of("KEYWATCH_DETECT_DORMANT_DAYS", "10"));
        fixture.register("patient", Registry.entry().threshold("dormant.days", 20).build(), minute(0));
        fixture.register("global", Registry.entry().build(), minute(0));
        fixture.send(fixture.event("patient", minute(0)));
        fixture.send(fixture.event("global", minute(0)));
        fixture.sendLater(fixture.event("patient", T0.plus(Duration.ofDays(15))));
        fixture.send(fixture.event("global", T0.plus(Duration.ofDays(15))));

        assertThat(fixture.readAlerts(AlertRule.DORMANT_KEY_REACTIVATED)).extracting(Alert::keyId)
                .containsExactly("global");
    }
}
