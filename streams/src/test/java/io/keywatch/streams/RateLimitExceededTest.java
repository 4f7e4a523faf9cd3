package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static io.keywatch.streams.TopologyFixture.withOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateLimitExceededTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsTheThirdConsecutiveMinuteAboveTheLimit() {
        fixture.register("key-1", Registry.entry().rateLimitPerMinute(60).build(), minute(0));
        fixture.steadyTraffic("key-1", 0, 2, 70);
        assertThat(fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED)).isEmpty();

        fixture.steadyTraffic("key-1", 2, 3, 70);

        List<Alert> alerts = fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        // the streak's id: its first minute
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.RATE_LIMIT_EXCEEDED, "key-1", minute(0)));
        assertThat(alert.windowStart()).isEqualTo(minute(0));
        assertThat(alert.windowEnd()).isEqualTo(minute(3));
        assertThat(alert.observed()).isEqualTo(61.0);
        assertThat(alert.threshold()).isEqualTo(60.0);
        assertThat(alert.evidence())
                .containsEntry("rateLimitPerMinute", 60)
                .containsEntry("consecutiveMinutes", 3)
                .containsEntry("requestsPerMinute", Map.of(minute(0).toString(), 70, minute(1).toString(), 70,
                        minute(2).toString(), 61));
    }

    @Test
    void staysQuietForBusyMinutesThatAreNotSustained() {
        fixture.register("key-1", Registry.entry().rateLimitPerMinute(60).build(), minute(0));
        int[] perMinute = {90, 90, 50, 90, 60, 90, 90};
        for (int m = 0; m < perMinute.length; m++) {
            fixture.steadyTraffic("key-1", m, m + 1, perMinute[m]);
        }
        // a quiet minute breaks a streak too
        fixture.steadyTraffic("key-1", 8, 10, 90);

        assertThat(fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED)).isEmpty();
    }

    @Test
    void alertsOncePerStreakAndAgainForTheNextStreak() {
        fixture.register("key-1", Registry.entry().rateLimitPerMinute(60).build(), minute(0));
        fixture.steadyTraffic("key-1", 0, 6, 70);
        fixture.steadyTraffic("key-1", 6, 7, 20);
        fixture.steadyTraffic("key-1", 7, 10, 70);

        assertThat(fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED)).extracting(Alert::windowStart)
                .containsExactly(minute(0), minute(7));
    }

    @Test
    void countsRateLimitedRequestsButNotBruteForce() {
        fixture.register("key-1", Registry.entry().rateLimitPerMinute(60).build(), minute(0));
        for (int m = 0; m < 3; m++) {
            fixture.sendMinute("key-1", minute(m), 100, (event, i) -> i < 50
                    ? withOutcome(event, AuthResult.INVALID_SECRET, 401) : event);
        }
        assertThat(fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED)).isEmpty();

        for (int m = 3; m < 6; m++) {
            fixture.sendMinute("key-1", minute(m), 100, (event, i) -> i >= 60
                    ? withOutcome(event, AuthResult.RATE_LIMITED, 429) : event);
        }
        List<Alert> alerts = fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).evidence()).containsEntry("rateLimited", 1);
    }

    @Test
    void respectsPerKeyAndGlobalMinutesAndTolerance() {
        fixture.restart(Map.of("KEYWATCH_DETECT_RATE_LIMIT_MINUTES", "2"));
        fixture.register("global", Registry.entry().rateLimitPerMinute(60).build(), minute(0));
        fixture.register("patient", Registry.entry().rateLimitPerMinute(60)
                .threshold("rateLimit.minutes", 3).build(), minute(0));
        fixture.register("tolerant", Registry.entry().rateLimitPerMinute(60)
                .threshold("rateLimit.tolerance", 1.5).build(), minute(0));
        for (int m = 0; m < 2; m++) {
            for (String key : List.of("global", "patient", "tolerant")) {
                fixture.steadyTraffic(key, m, m + 1, 80);
            }
        }

        assertThat(fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED)).extracting(Alert::keyId)
                .containsExactly("global");
    }

    @Test
    void ignoresKeysWithoutALimit() {
        fixture.register("key-1", Registry.entry().build(), minute(0));
        fixture.steadyTraffic("key-1", 0, 4, 80);

        assertThat(fixture.readAlerts(AlertRule.RATE_LIMIT_EXCEEDED)).isEmpty();
    }
}
