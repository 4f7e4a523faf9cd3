package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InsecureTransportTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsPlainHttpOncePerKeyPerHour() {
        fixture.register("key-1", Registry.entry().build(), minute(0));
        // a misconfigured client: every request in clear text, for 75 minutes
        for (int m = 0; m < 75; m += 5) {
            fixture.sendMinute("key-1", minute(m), 20, (event, i) -> plain(event));
        }
        fixture.send(fixture.event("key-1", minute(76)).withDetails(5, null, null, null));

        List<Alert> alerts = fixture.readAlerts(AlertRule.INSECURE_TRANSPORT);
        assertThat(alerts).extracting(Alert::windowStart)
                .containsExactly(T0, T0.plus(Duration.ofHours(1)));
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.INSECURE_TRANSPORT, "key-1", T0));
        assertThat(alert.windowEnd()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(alert.summary()).contains("without TLS");
        assertThat(alert.evidence()).containsEntry("tls", false).containsEntry("clientIp", "10.0.0.1");
    }

    @Test
    void staysQuietForTlsAndForEventsThatDoNotSay() {
        fixture.sendMinute("key-1", minute(0), 10,
                (event, i) -> event.withDetails(5, null, i % 2 == 0 ? Boolean.TRUE : null, null));

        assertThat(fixture.readAlerts(AlertRule.INSECURE_TRANSPORT)).isEmpty();
    }

    @Test
    void respectsPerKeyPeriodAndSwitchAndGlobalPeriod() {
        fixture.restart(Map.of("KEYWATCH_DETECT_INSECURE_PERIOD_HOURS", "24"));
        fixture.register("hourly", Registry.entry().threshold("insecure.periodHours", 1).build(), minute(0));
        fixture.register("internal", Registry.entry().threshold("insecureTransport.enabled", 0).build(), minute(0));
        fixture.register("daily", Registry.entry().build(), minute(0));
        for (int m : new int[] {0, 70, 130}) {
            fixture.clock(minute(m));
            for (String key : List.of("hourly", "internal", "daily")) {
                fixture.send(plain(fixture.event(key, minute(m))));
            }
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.INSECURE_TRANSPORT);
        assertThat(alerts).extracting(Alert::keyId).containsExactly("hourly", "daily", "hourly", "hourly");
        assertThat(alerts.get(1).windowStart()).isEqualTo(T0.minus(Duration.ofHours(10)));
    }

    private static UsageEvent plain(UsageEvent event) {
        return event.withDetails(5, null, false, null);
    }
}
