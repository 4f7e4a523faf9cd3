package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthFailureBurstTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void staysQuietBelowTheThreshold() {
        sendFailures("key-1", minute(0), 19);
        // other failures are not brute force
        for (int i = 0; i < 50; i++) {
            fixture.send(withAuth(fixture.event("key-1", minute(0).plusMillis(40_000 + i)), AuthResult.SCOPE_DENIED));
        }

        assertThat(fixture.readAlerts(AlertRule.AUTH_FAILURE_BURST)).isEmpty();
        assertThat(fixture.usageAt("key-1", minute(0)).authFailures()).isEqualTo(19);
    }

    @Test
    void firesAtTheThresholdWithTheCrossingEvent() {
        sendFailures("key-1", minute(0), 20);

        List<Alert> alerts = fixture.readAlerts(AlertRule.AUTH_FAILURE_BURST);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.rule()).isEqualTo(AlertRule.AUTH_FAILURE_BURST);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.AUTH_FAILURE_BURST, "key-1", minute(0)));
        assertThat(alert.observed()).isEqualTo(20.0);
        assertThat(alert.threshold()).isEqualTo(20.0);
        assertThat(alert.baseline()).isNull();
        assertThat(alert.triggeredAt()).isEqualTo(minute(0).plusMillis(19 * 100L));
        assertThat(alert.summary()).contains("20 secret checks").contains("brute force");
        assertThat(alert.evidence())
                .containsEntry("authFailures", 20)
                .containsEntry("authResults", Map.of("INVALID_SECRET", 20))
                .containsEntry("distinctClientIps", 5);
    }

    @Test
    void firesOncePerMinuteAndAgainInTheNextMinute() {
        sendFailures("key-1", minute(0), 60);
        sendFailures("key-1", minute(1), 30);

        List<Alert> alerts = fixture.readAlerts(AlertRule.AUTH_FAILURE_BURST);
        assertThat(alerts).extracting(Alert::windowStart).containsExactly(minute(0), minute(1));
        assertThat(alerts).extracting(Alert::severity).containsOnly(Severity.HIGH);
    }

    @Test
    void escalatesToCriticalOnceUnderTheSameId() {
        sendFailures("key-1", minute(0), 250);

        List<Alert> alerts = fixture.readAlerts(AlertRule.AUTH_FAILURE_BURST);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.HIGH, Severity.CRITICAL);
        assertThat(alerts).extracting(Alert::id).containsOnly(
                Alert.idFor(AlertRule.AUTH_FAILURE_BURST, "key-1", minute(0)));
        assertThat(alerts.get(1).observed()).isEqualTo(100.0);
        assertThat(alerts.get(1).threshold()).isEqualTo(100.0);
    }

    @Test
    void countsFailuresPerKey() {
        for (int i = 0; i < 15; i++) {
            fixture.send(failure("key-1", minute(0).plusMillis(i * 100L), i));
            fixture.send(failure("key-2", minute(0).plusMillis(i * 100L), i));
        }

        assertThat(fixture.readAlerts(AlertRule.AUTH_FAILURE_BURST)).isEmpty();
    }

    private void sendFailures(String keyId, Instant from, int count) {
        for (int i = 0; i < count; i++) {
            fixture.send(failure(keyId, from.plusMillis(i * 100L), i));
        }
    }

    private UsageEvent failure(String keyId, Instant at, int i) {
        return withAuth(fixture.event(keyId, at), AuthResult.INVALID_SECRET)
                .withClient("198.51.100." + (i % 5), "NL", "hydra");
    }

    private static UsageEvent withAuth(UsageEvent event, AuthResult result) {
        return new UsageEvent(event.eventId(), event.keyId(), event.timestamp(), event.service(), event.method(),
                event.path(), 401, result, event.clientIp(), event.userAgent(), event.country(), event.latencyMs(),
                event.scope(), event.tls(), event.credentialLocation());
    }
}
