package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VOLUME_DROP: off by default; a busy key that stops, or falls improbably low, alerts once per streak. */
class VolumeDropTest {

    private static final Map<String, String> DROP_ON = Map.of("KEYWATCH_DETECT_ENABLED_RULES", "VOLUME_DROP");

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    /** A 200/min key for 15 minutes that then stops, while another key's events move stream time on. */
    private void busyKeyStops(int silentUntil) {
        for (int m = 0; m < silentUntil; m++) {
            if (m < 15) {
                fixture.steadyTraffic("busy", m, m + 1, 200);
            }
            fixture.steadyTraffic("other", m, m + 1, 3);
        }
    }

    @Test
    void isOffByDefault() {
        busyKeyStops(30);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_DROP)).isEmpty();
    }

    @Test
    void aBusyKeyThatStopsEntirelyAlertsOnceFromStreamTime() {
        fixture.restart(DROP_ON);
        fixture.register("busy", Registry.entry().build(), minute(0));
        busyKeyStops(30);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_DROP);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.keyId()).isEqualTo("busy");
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.VOLUME_DROP, "busy", minute(15)));
        assertThat(alert.windowStart()).isEqualTo(minute(15));
        // noticed once drop.minutes (5) silent minutes were complete
        assertThat(alert.windowEnd()).isEqualTo(minute(20));
        assertThat(alert.summary()).contains("busy").contains("no requests at all").contains("200.0");
        assertThat(alert.evidence()).containsEntry("expectedRequestsPerMinute", 200.0)
                .containsEntry("countModel", "poisson");

        // the key comes back: its first event shows the same silence, which already alerted
        fixture.steadyTraffic("busy", 30, 31, 200);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_DROP)).isEmpty();
    }

    @Test
    void onlyRegisteredKeysAreWatchedForSilence() {
        fixture.restart(DROP_ON);
        // made-up key ids must not fill the task's list of busy keys (and evict the registered ones from it)
        busyKeyStops(30);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_DROP)).isEmpty();
    }

    @Test
    void aKeyCanSwitchItOnForItself() {
        fixture.register("busy", Registry.entry().threshold("drop.enabled", 1).build(), minute(0));
        busyKeyStops(30);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_DROP)).extracting(Alert::keyId).containsExactly("busy");
    }

    @Test
    void theDisabledListWinsOverTheEnabledOne() {
        fixture.restart(Map.of("KEYWATCH_DETECT_ENABLED_RULES", "volume_drop",
                "KEYWATCH_DETECT_DISABLED_RULES", "VOLUME_DROP"));
        busyKeyStops(30);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_DROP)).isEmpty();
    }

    @Test
    void aBusyKeyFallingImprobablyLowAlertsOnceWhenItsMinutesShowIt() {
        fixture.restart(DROP_ON);
        fixture.steadyTraffic("busy", 0, 15, 200);
        // a tenth of its traffic for ten minutes: the sixth minute's first event completes five low minutes
        fixture.steadyTraffic("busy", 15, 25, 20);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_DROP);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).windowStart()).isEqualTo(minute(15));
        assertThat(alerts.get(0).summary()).contains("improbably low");
    }

    @Test
    void aQuietKeyIsNeverADrop() {
        fixture.restart(DROP_ON);
        // below drop.minExpected (20/min): its silences are nobody's business
        for (int m = 0; m < 30; m++) {
            if (m < 15) {
                fixture.steadyTraffic("quiet", m, m + 1, 10);
            }
            fixture.steadyTraffic("other", m, m + 1, 3);
        }
        fixture.steadyTraffic("quiet", 30, 31, 10);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_DROP)).isEmpty();
    }
}
