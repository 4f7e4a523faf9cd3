package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeyInUrlTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsKeyInQueryStringOncePerKeyPerHour() {
        fixture.register("key-1", Registry.entry().build(), minute(0));
        for (int m = 0; m < 65; m += 4) {
            fixture.sendMinute("key-1", minute(m), 10, (event, i) -> inQuery(event));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.KEY_IN_URL);
        assertThat(alerts).extracting(Alert::windowStart).containsExactly(T0, T0.plus(Duration.ofHours(1)));
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.KEY_IN_URL, "key-1", T0));
        assertThat(alert.summary()).contains("query string");
        assertThat(alert.evidence()).containsEntry("credentialLocation", "QUERY").containsEntry("path", "/v1/invoices");
    }

    @Test
    void staysQuietForKeysInHeadersAndWhenSwitchedOffForTheKey() {
        fixture.register("legacy", Registry.entry().threshold("keyInUrl.enabled", 0).build(), minute(0));
        fixture.send(fixture.event("key-1", minute(0)).withDetails(5, null, true, CredentialLocation.HEADER));
        fixture.send(inQuery(fixture.event("legacy", minute(0))));

        assertThat(fixture.readAlerts(AlertRule.KEY_IN_URL)).isEmpty();
    }

    private static UsageEvent inQuery(UsageEvent event) {
        return event.withDetails(5, null, true, CredentialLocation.QUERY);
    }
}
