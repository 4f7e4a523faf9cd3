package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A large registry is scanned in steps of bounded size, one per 10 s of stream time, and no key is missed. */
class HygieneScanStepsTest {

    private static final int KEYS = 5_000;

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void walksABigRegistryInStepsAndReportsEveryKeyOnce() {
        KeyMetadata expiringSoon = Registry.entry().expiresAt(T0.plus(Duration.ofDays(5))).build();
        for (int i = 0; i < KEYS; i++) {
            fixture.register("key-%05d".formatted(i), expiringSoon, T0);
        }

        fixture.sendLater(fixture.event("clock", T0));
        List<Alert> first = fixture.readAlerts(AlertRule.KEY_EXPIRING);
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofSeconds(5))));
        assertThat(fixture.readAlerts(AlertRule.KEY_EXPIRING)).as("no step before 10 s have passed").isEmpty();
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofSeconds(10))));
        List<Alert> second = fixture.readAlerts(AlertRule.KEY_EXPIRING);
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofSeconds(20))));
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofSeconds(30))));
        List<Alert> rest = fixture.readAlerts(AlertRule.KEY_EXPIRING);

        assertThat(first).hasSize(2_000);
        assertThat(first.get(0).keyId()).isEqualTo("key-00000");
        assertThat(second).hasSize(2_000);
        assertThat(second.get(0).keyId()).isEqualTo("key-02000");
        assertThat(rest).hasSize(1_000);
        assertThat(rest.get(rest.size() - 1).keyId()).isEqualTo("key-04999");

        // the pass is over; the next one is due ten minutes after it began and finds every key already reported today
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofMinutes(10))));
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofMinutes(11))));
        fixture.sendLater(fixture.event("clock", T0.plus(Duration.ofMinutes(12))));
        assertThat(fixture.readAlerts(AlertRule.KEY_EXPIRING)).isEmpty();
    }
}
