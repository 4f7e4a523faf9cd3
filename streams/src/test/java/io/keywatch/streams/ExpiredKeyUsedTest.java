package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static io.keywatch.streams.TopologyFixture.withOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExpiredKeyUsedTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsSuccessfulUseAtOrAfterExpiry() {
        fixture.register("key-1", Registry.entry().expiresAt(minute(0).plusSeconds(30)).build(), minute(0));
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(29)));
        assertThat(fixture.readAlerts(AlertRule.EXPIRED_KEY_USED)).isEmpty();

        UsageEvent use = fixture.event("key-1", minute(0).plusSeconds(30));
        fixture.send(use);

        List<Alert> alerts = fixture.readAlerts(AlertRule.EXPIRED_KEY_USED);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.EXPIRED_KEY_USED, "key-1", minute(0)));
        assertThat(alert.triggeredAt()).isEqualTo(use.timestamp());
        assertThat(alert.summary()).contains("key-1").contains("expired at " + minute(0).plusSeconds(30));
        assertThat(alert.evidence())
                .containsEntry("expiresAt", minute(0).plusSeconds(30).toString())
                .containsEntry("secondsAfterExpiry", 0)
                .containsEntry("eventId", use.eventId());
    }

    @Test
    void flagsOncePerMinuteAndStaysQuietForRejectedUses() {
        fixture.register("key-1", Registry.entry().expiresAt(minute(0)).build(), minute(0));
        fixture.send(withOutcome(fixture.event("key-1", minute(0).plusSeconds(1)), AuthResult.EXPIRED, 401));
        fixture.send(withOutcome(fixture.event("key-1", minute(0).plusSeconds(2)), AuthResult.OK, 401));
        assertThat(fixture.readAlerts(AlertRule.EXPIRED_KEY_USED)).isEmpty();

        fixture.steadyTraffic("key-1", 1, 3, 10);

        assertThat(fixture.readAlerts(AlertRule.EXPIRED_KEY_USED)).extracting(Alert::windowStart)
                .containsExactly(minute(1), minute(2));
    }

    @Test
    void staysQuietForKeysWithoutExpiry() {
        fixture.register("key-1", Registry.entry().build(), minute(0));
        fixture.steadyTraffic("key-1", 0, 2, 10);

        assertThat(fixture.readAlerts()).isEmpty();
    }

    @Test
    void respectsAPerKeyGraceOverTheGlobalOne() {
        fixture.restart(Map.of("KEYWATCH_DETECT_EXPIRED_GRACE_SECONDS", "60"));
        fixture.register("global", Registry.entry().expiresAt(minute(0)).build(), minute(0));
        fixture.register("strict", Registry.entry().expiresAt(minute(0))
                .threshold("expired.graceSeconds", 0).build(), minute(0));
        fixture.send(fixture.event("global", minute(0).plusSeconds(30)));
        fixture.send(fixture.event("strict", minute(0).plusSeconds(30)));
        fixture.send(fixture.event("global", minute(1).plusSeconds(1)));

        List<Alert> alerts = fixture.readAlerts(AlertRule.EXPIRED_KEY_USED);
        assertThat(alerts).extracting(Alert::keyId).containsExactly("strict", "global");
        assertThat(alerts.get(1).evidence()).containsEntry("graceSeconds", 60);
    }
}
