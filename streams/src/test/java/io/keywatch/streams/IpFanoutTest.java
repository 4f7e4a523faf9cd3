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

class IpFanoutTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsFarMoreClientIpsThanTheKeysBaseline() {
        usualTraffic("key-1", 10);
        assertThat(fixture.readAlerts(AlertRule.IP_FANOUT)).isEmpty();

        // 30 requests from 15 IPs: the floor (10 IPs) is the threshold for a key that uses 2
        fixture.sendMinute("key-1", minute(10), 30, (event, i) -> event.withClient("198.51.100." + (i % 15), "DE",
                "curl/8"));

        List<Alert> alerts = fixture.readAlerts(AlertRule.IP_FANOUT);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.IP_FANOUT, "key-1", minute(10)));
        assertThat(alert.observed()).isEqualTo(10.0);
        assertThat(alert.threshold()).isEqualTo(10.0);
        assertThat(alert.baseline()).isEqualTo(2.0);
        assertThat(alert.summary()).contains("10 distinct client IPs").contains("2.0 per minute");
        @SuppressWarnings("unchecked")
        Map<String, Integer> ips = (Map<String, Integer>) alert.evidence().get("clientIps");
        assertThat(ips).hasSize(10).containsKey("198.51.100.9");
    }

    @Test
    void staysQuietForTheKeysUsualIpsAndWhileWarmingUp() {
        // a fan-out in the first minutes: nothing learnt yet
        fixture.sendMinute("key-1", minute(0), 30, (event, i) -> event.withClient("198.51.100." + i, "DE", "x"));
        usualTraffic("key-1", 12);
        // a few more IPs than usual, but below the floor
        fixture.sendMinute("key-1", minute(12), 30, (event, i) -> event.withClient("198.51.100." + (i % 9), "DE",
                "x"));

        assertThat(fixture.readAlerts(AlertRule.IP_FANOUT)).isEmpty();
    }

    @Test
    void learnsAKeyThatNormallyUsesManyIps() {
        for (int m = 0; m < 10; m++) {
            fixture.sendMinute("key-1", minute(m), 40, (event, i) -> event.withClient("203.0.113." + (i % 20), "DE",
                    "x"));
        }
        fixture.sendMinute("key-1", minute(10), 60, (event, i) -> event.withClient("203.0.113." + (i % 60), "DE",
                "x"));
        assertThat(fixture.readAlerts(AlertRule.IP_FANOUT)).isEmpty();

        fixture.sendMinute("key-1", minute(11), 200, (event, i) -> event.withClient("192.0.2." + (i % 150), "DE",
                "x"));
        assertThat(fixture.readAlerts(AlertRule.IP_FANOUT)).singleElement()
                .satisfies(alert -> assertThat(alert.threshold()).isGreaterThanOrEqualTo(100.0));
    }

    @Test
    void respectsPerKeyAndGlobalFloors() {
        fixture.restart(Map.of("KEYWATCH_DETECT_IP_FANOUT_FLOOR", "20"));
        fixture.register("sensitive", Registry.entry().threshold("ipFanout.floor", 6).build(), minute(0));
        usualTraffic("sensitive", 10);
        usualTraffic("other", 10);
        for (String key : List.of("sensitive", "other")) {
            fixture.sendMinute(key, minute(10), 30, (event, i) -> event.withClient("198.51.100." + (i % 15), "DE",
                    "x"));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.IP_FANOUT);
        assertThat(alerts).extracting(Alert::keyId).containsExactly("sensitive");
        assertThat(alerts.get(0).threshold()).isEqualTo(10.0);
    }

    /** Minutes {@code [0, minutes)} of 10 requests from the key's two usual IPs. */
    private void usualTraffic(String keyId, int minutes) {
        for (int m = 0; m < minutes; m++) {
            fixture.sendMinute(keyId, minute(m), 10, (event, i) -> event.withClient("10.0.0." + (i % 2), "DE",
                    "curl/8"));
        }
    }
}
