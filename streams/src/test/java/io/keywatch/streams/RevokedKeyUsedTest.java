package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RevokedKeyUsedTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsKeyUsedAfterRevocation() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0).plusSeconds(10), "leaked on a public repo");
        UsageEvent use = fixture.event("key-1", minute(0).plusSeconds(20));
        fixture.send(use);

        List<Alert> alerts = fixture.readAlerts(AlertRule.REVOKED_KEY_USED);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.rule()).isEqualTo(AlertRule.REVOKED_KEY_USED);
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.REVOKED_KEY_USED, "key-1", minute(0)));
        assertThat(alert.triggeredAt()).isEqualTo(use.timestamp());
        assertThat(alert.summary()).contains("key-1").contains("revoked").contains("leaked on a public repo");
        assertThat(alert.evidence())
                .containsEntry("revokedAt", minute(0).plusSeconds(10).toString())
                .containsEntry("revocationReason", "leaked on a public repo")
                .containsEntry("revokedBy", "security-team")
                .containsEntry("eventId", use.eventId())
                .containsEntry("clientIp", "10.0.0.1");
    }

    @Test
    void flagsOncePerMinute() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        for (int i = 0; i < 30; i++) {
            fixture.send(fixture.event("key-1", minute(0).plusSeconds(i)));
        }
        fixture.send(fixture.event("key-1", minute(1).plusSeconds(1)));

        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).extracting(Alert::windowStart).containsExactly(minute(0), minute(1));
    }

    @Test
    void staysQuietBeforeRevocationAndForActiveKeys() {
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(1)));
        fixture.keyState("key-1", KeyStatus.ACTIVE, minute(0).plusSeconds(2), "created");
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(3)));

        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).isEmpty();
    }

    @Test
    void staysQuietAfterReinstatement() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "suspected leak");
        fixture.keyState("key-1", KeyStatus.ACTIVE, minute(0).plusSeconds(5), "false alarm");
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(10)));

        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).isEmpty();
    }

    @Test
    void staysQuietForUsesTheServiceRejected() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        UsageEvent template = fixture.event("key-1", minute(0).plusSeconds(1));
        fixture.send(withOutcome(template, AuthResult.REVOKED, 401));
        fixture.send(withOutcome(fixture.event("key-1", minute(0).plusSeconds(2)), AuthResult.OK, 403));
        fixture.send(withOutcome(fixture.event("key-1", minute(0).plusSeconds(3)), AuthResult.INVALID_SECRET, 401));

        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).isEmpty();
        // and a use without a status still counts as accepted
        fixture.send(withOutcome(fixture.event("key-1", minute(0).plusSeconds(4)), AuthResult.OK, null));
        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).hasSize(1);
    }

    @Test
    void staysQuietForUsesMadeBeforeTheRevocation() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0).plusSeconds(30), "rotated");
        // in flight when the key was revoked: legitimate at the time it was made
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(29)));

        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).isEmpty();
    }

    @Test
    void ignoresMalformedKeyStatesAndHonoursTombstones() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        fixture.pipeSignedKeyState("key-1", "{not json".getBytes(StandardCharsets.UTF_8), minute(0).plusSeconds(1));
        fixture.pipeSignedKeyState("key-1", "{\"keyId\":\"key-1\"}".getBytes(StandardCharsets.UTF_8),
                minute(0).plusSeconds(1));
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(2)));
        // the malformed values did not erase the revocation
        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).hasSize(1);

        fixture.pipeSignedKeyState("key-1", (byte[]) null, minute(0).plusSeconds(3));
        fixture.send(fixture.event("key-1", minute(1).plusSeconds(4)));
        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).isEmpty();
    }

    @Test
    void onlyFlagsTheRevokedKey() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        fixture.send(fixture.event("key-2", minute(0).plusSeconds(1)));

        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).isEmpty();
    }

    private static UsageEvent withOutcome(UsageEvent event, AuthResult result, Integer status) {
        return new UsageEvent(event.eventId(), event.keyId(), event.timestamp(), event.service(), event.method(),
                event.path(), status, result, event.clientIp(), event.userAgent(), event.country(),
                event.latencyMs(), event.scope(), event.tls(), event.credentialLocation());
    }
}
