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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScopeViolationTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @BeforeEach
    void registerReadOnlyKey() {
        fixture.register("key-1", Registry.entry().scopes("billing:read").build(), minute(0));
    }

    @Test
    void flagsAnAcceptedCallOutsideTheHeldScopesAtOnce() {
        fixture.send(scoped(fixture.event("key-1", minute(0).plusSeconds(1)), "billing:read"));
        assertThat(fixture.readAlerts(AlertRule.SCOPE_VIOLATION)).isEmpty();

        UsageEvent write = scoped(fixture.event("key-1", minute(0).plusSeconds(2)), "billing:write");
        fixture.send(write);

        List<Alert> alerts = fixture.readAlerts(AlertRule.SCOPE_VIOLATION);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.SCOPE_VIOLATION, "key-1", minute(0)));
        assertThat(alert.summary()).contains("billing:write").contains("billing:read").contains("accepted");
        assertThat(alert.evidence())
                .containsEntry("scopesRequested", Map.of("billing:write", 1))
                .containsEntry("scopesHeld", List.of("billing:read"))
                .containsEntry("violationsAccepted", 1);
    }

    @Test
    void flagsABurstOfDeniedScopesOncePerMinute() {
        for (int i = 0; i < 30; i++) {
            String scope = i % 2 == 0 ? "admin:write" : "billing:refund";
            fixture.send(withOutcome(scoped(fixture.event("key-1", minute(0).plusMillis(i * 100L)), scope),
                    AuthResult.SCOPE_DENIED, 403));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.SCOPE_VIOLATION);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.observed()).isEqualTo(10.0);
        assertThat(alert.threshold()).isEqualTo(10.0);
        assertThat(alert.evidence())
                .containsEntry("scopesRequested", Map.of("admin:write", 5, "billing:refund", 5))
                .containsEntry("scopeDenied", 10)
                .containsEntry("violationsAccepted", 0);
    }

    @Test
    void staysQuietForOccasionalDenialsAmongNormalTraffic() {
        // 9 denials a minute: below the count; 12 denials among 400 requests: below 5 % (the share is judged on
        // the minute so far, so honest denials spread over the minute, as they come, never reach it)
        for (int m = 0; m < 2; m++) {
            int every = m == 0 ? 44 : 33;
            fixture.sendMinute("key-1", minute(m), 400, (event, i) -> i % every == every - 1
                    ? withOutcome(scoped(event, "billing:write"), AuthResult.SCOPE_DENIED, 403)
                    : scoped(event, "billing:read"));
        }

        assertThat(fixture.readAlerts(AlertRule.SCOPE_VIOLATION)).isEmpty();
    }

    @Test
    void escalatesFromMediumToHighWithinTheMinute() {
        for (int i = 0; i < 10; i++) {
            fixture.send(withOutcome(scoped(fixture.event("key-1", minute(0).plusMillis(i * 100L)), "admin"),
                    AuthResult.SCOPE_DENIED, 403));
        }
        fixture.send(scoped(fixture.event("key-1", minute(0).plusSeconds(5)), "admin"));

        assertThat(fixture.readAlerts(AlertRule.SCOPE_VIOLATION)).extracting(Alert::severity)
                .containsExactly(Severity.MEDIUM, Severity.HIGH);
    }

    @Test
    void respectsPerKeyAndGlobalThresholds() {
        fixture.register("strict", Registry.entry().scopes("a").threshold("scope.minDenied", 2).build(), minute(0));
        for (int i = 0; i < 3; i++) {
            fixture.send(withOutcome(scoped(fixture.event("strict", minute(0).plusMillis(i * 100L)), "b"),
                    AuthResult.SCOPE_DENIED, 403));
            fixture.send(withOutcome(scoped(fixture.event("key-1", minute(0).plusMillis(i * 100L)), "b"),
                    AuthResult.SCOPE_DENIED, 403));
        }

        assertThat(fixture.readAlerts(AlertRule.SCOPE_VIOLATION)).extracting(Alert::keyId).containsExactly("strict");
    }

    @Test
    void keysWithoutRegisteredScopesAreNotRestricted() {
        fixture.register("open", Registry.entry().build(), minute(0));
        fixture.send(scoped(fixture.event("open", minute(0).plusSeconds(1)), "anything:write"));
        fixture.send(scoped(fixture.event("unregistered", minute(0).plusSeconds(1)), "anything:write"));

        assertThat(fixture.readAlerts(AlertRule.SCOPE_VIOLATION)).isEmpty();
    }

    private static UsageEvent scoped(UsageEvent event, String scope) {
        return event.withDetails(12, scope, true, null);
    }
}
