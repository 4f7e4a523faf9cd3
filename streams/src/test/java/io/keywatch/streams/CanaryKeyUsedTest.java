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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CanaryKeyUsedTest {

    private static final String PLANTED = "github.com/acme/old-infra/.env";

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void theFirstEventOfACanaryIsCriticalAtOnceWithWhereItWasPlantedAndWhoUsedIt() {
        fixture.register("pk_live_decoy", Registry.entry().canary(PLANTED).build(), minute(0));
        UsageEvent use = withOutcome(fixture.event("pk_live_decoy", minute(0).plusSeconds(5)),
                AuthResult.INVALID_SECRET, 401);
        fixture.send(use);

        List<Alert> alerts = fixture.readAlerts();
        assertThat(alerts).extracting(Alert::rule).startsWith(AlertRule.CANARY_KEY_USED)
                .doesNotContain(AlertRule.UNKNOWN_KEY);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.CANARY_KEY_USED, "pk_live_decoy", minute(0)));
        assertThat(alert.summary()).startsWith("Canary: decoy key pk_live_decoy planted at " + PLANTED
                + " was used from 10.0.0.1 (DE)");
        assertThat(alert.evidence())
                .containsEntry("canary", true)
                .containsEntry("plantedAt", PLANTED)
                .containsEntry("timestamp", use.timestamp().toString())
                .containsEntry("clientIp", "10.0.0.1")
                .containsEntry("country", "DE")
                .containsEntry("userAgent", "curl/8")
                .containsEntry("method", "GET")
                .containsEntry("path", "/v1/invoices")
                .containsEntry("authResult", "INVALID_SECRET");
    }

    @Test
    void aHundredEventsInAMinuteRaiseOneAlertAndTheNextMinuteAnother() {
        fixture.register("pk_live_decoy", Registry.entry().canary(PLANTED).build(), minute(0));
        fixture.sendMinute("pk_live_decoy", minute(0), 100, (event, i) -> event);
        fixture.send(fixture.event("pk_live_decoy", minute(1).plusSeconds(1)));

        assertThat(fixture.readAlerts(AlertRule.CANARY_KEY_USED)).extracting(Alert::windowStart)
                .containsExactly(minute(0), minute(1));
    }

    @Test
    void aRealKeyIsUnaffected() {
        fixture.register("pk_live_real", Registry.entry().build(), minute(0));
        fixture.sendMinute("pk_live_real", minute(0), 20, (event, i) -> event);
        fixture.send(fixture.event("pk_live_unregistered", minute(0).plusSeconds(3)));

        assertThat(fixture.readAlerts(AlertRule.CANARY_KEY_USED)).isEmpty();
    }
}
