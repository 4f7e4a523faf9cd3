package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.UsageEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AlertIdTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void replayingTheSameInputYieldsTheSameAlertIds() {
        List<String> ids = run();
        fixture.restart(); // the replay runs on a fresh topology, from empty state
        List<String> replayed = run();

        // REVOKED_KEY_USED, then AUTH_FAILURE_BURST HIGH and its CRITICAL escalation under the same id
        assertThat(ids).hasSize(3).containsSubsequence(
                Alert.idFor(AlertRule.REVOKED_KEY_USED, "key-1", minute(0)),
                Alert.idFor(AlertRule.AUTH_FAILURE_BURST, "key-2", minute(0)),
                Alert.idFor(AlertRule.AUTH_FAILURE_BURST, "key-2", minute(0)));
        assertThat(replayed).isEqualTo(ids);
    }

    @Test
    void alertsAreKeyedByKeyId() {
        fixture.keyState("key-9", KeyStatus.REVOKED, minute(0), "rotated");
        fixture.send(fixture.event("key-9", minute(0).plusSeconds(1)));

        assertThat(fixture.alerts.readKeyValue().key).isEqualTo("key-9");
    }

    private List<String> run() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(1)));
        for (int i = 0; i < 120; i++) {
            UsageEvent event = fixture.event("key-2", minute(0).plusMillis(i * 100L));
            fixture.send(new UsageEvent(event.eventId(), "key-2", event.timestamp(), "billing", "POST",
                    "/login", 401, AuthResult.INVALID_SECRET, "198.51.100.7", null, "NL", null, null, null,
                    null));
        }
        // both keys are unregistered: their UNKNOWN_KEY alerts are left out here (UnknownKeyTest covers them)
        return fixture.readAlerts().stream().filter(alert -> alert.rule() != AlertRule.UNKNOWN_KEY)
                .map(Alert::id).toList();
    }
}
