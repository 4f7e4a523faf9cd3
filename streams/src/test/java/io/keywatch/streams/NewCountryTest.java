package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NewCountryTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsUseFromCountryOutsideAllowList() {
        fixture.register("key-1", Registry.entry().allowedCountries("DE", "AT").build(), minute(0));
        fixture.send(from(fixture.event("key-1", minute(0).plusSeconds(1)), "10.0.0.1", "DE"));
        fixture.send(from(fixture.event("key-1", minute(0).plusSeconds(2)), "10.0.0.2", "AT"));
        assertThat(fixture.readAlerts(AlertRule.NEW_COUNTRY)).isEmpty();

        UsageEvent abroad = from(fixture.event("key-1", minute(0).plusSeconds(3)), "203.0.113.9", "BR");
        fixture.send(abroad);
        fixture.send(from(fixture.event("key-1", minute(0).plusSeconds(4)), "203.0.113.10", "RU"));

        List<Alert> alerts = fixture.readAlerts(AlertRule.NEW_COUNTRY);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.NEW_COUNTRY, "key-1", minute(0)));
        assertThat(alert.triggeredAt()).isEqualTo(abroad.timestamp());
        assertThat(alert.summary()).contains("BR").contains("allow-list");
        assertThat(alert.evidence())
                .containsEntry("allowedCountries", List.of("DE", "AT"))
                .containsEntry("country", "BR")
                .containsEntry("clientIp", "203.0.113.9");
    }

    @Test
    void flagsClientIpOutsideAllowedCidrs() {
        fixture.register("key-1", Registry.entry().allowedCidrs("10.0.0.0/8", "2001:db8::/32").build(), minute(0));
        fixture.send(from(fixture.event("key-1", minute(0).plusSeconds(1)), "10.20.30.40", "DE"));
        fixture.send(from(fixture.event("key-1", minute(0).plusSeconds(2)), "2001:db8::1", "DE"));
        assertThat(fixture.readAlerts(AlertRule.NEW_COUNTRY)).isEmpty();

        fixture.send(from(fixture.event("key-1", minute(0).plusSeconds(3)), "11.0.0.1", "DE"));

        assertThat(fixture.readAlerts(AlertRule.NEW_COUNTRY)).singleElement().satisfies(alert -> {
            assertThat(alert.severity()).isEqualTo(Severity.HIGH);
            assertThat(alert.summary()).contains("11.0.0.1").contains("outside the allowed ranges");
            assertThat(alert.evidence()).containsEntry("allowedCidrs", List.of("10.0.0.0/8", "2001:db8::/32"));
        });
    }

    @Test
    void flagsACountryNeverSeenAfterTheWarmUpOnce() {
        fixture.register("key-1", Registry.entry().build(), minute(0));
        // learning: the first day, two countries
        for (int m = 0; m < 12; m++) {
            String country = m % 2 == 0 ? "DE" : "FR";
            fixture.sendMinute("key-1", minute(m), 3, (event, i) -> from(event, "10.0.0.1", country));
        }
        assertThat(fixture.readAlerts(AlertRule.NEW_COUNTRY)).isEmpty();

        Instant nextDay = T0.plus(Duration.ofHours(25));
        fixture.clock(nextDay.plus(Duration.ofMinutes(5)));
        fixture.send(from(fixture.event("key-1", nextDay), "10.0.0.1", "FR"));
        UsageEvent brazil = from(fixture.event("key-1", nextDay.plusSeconds(61)), "203.0.113.5", "BR");
        fixture.send(brazil);
        fixture.send(from(fixture.event("key-1", nextDay.plusSeconds(125)), "203.0.113.5", "BR"));

        List<Alert> alerts = fixture.readAlerts(AlertRule.NEW_COUNTRY);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.triggeredAt()).isEqualTo(brazil.timestamp());
        assertThat(alert.summary()).contains("BR").contains("first time");
        assertThat(alert.evidence())
                .containsEntry("newCountry", "BR")
                .containsEntry("knownCountries", List.of("DE", "FR"));
    }

    @Test
    void respectsAPerKeyWarmUp() {
        fixture.register("eager", Registry.entry().threshold("country.warmupHours", 0)
                .threshold("country.warmupMinutes", 2).build(), minute(0));
        fixture.register("default", Registry.entry().build(), minute(0));
        for (String key : List.of("eager", "default")) {
            fixture.sendMinute(key, minute(0), 2, (event, i) -> from(event, "10.0.0.1", "DE"));
            fixture.sendMinute(key, minute(1), 2, (event, i) -> from(event, "10.0.0.1", "DE"));
            fixture.sendMinute(key, minute(2), 2, (event, i) -> from(event, "10.0.0.2", "US"));
        }

        assertThat(fixture.readAlerts(AlertRule.NEW_COUNTRY)).extracting(Alert::keyId).containsExactly("eager");
    }

    private static UsageEvent from(UsageEvent event, String ip, String country) {
        return event.withClient(ip, country, "curl/8");
    }
}
