package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KEY_OVERPRIVILEGED: registered scopes a key has not used for 30 days, once keywatch has watched it that long; once
 * per key and ISO week. T0 is Monday 2026-03-02 10:00 UTC.
 */
class KeyOverprivilegedTest {

    private static final Instant CREATED = T0.minus(Duration.ofDays(400));

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void flagsRegisteredScopesUnusedForThirtyDaysWithTheNarrowerSetToGrant() {
        fixture.register("k1", Registry.entry().createdAt(CREATED)
                .scopes("orders:read", "orders:write", "admin").build(), T0);
        fixture.send(scoped("k1", T0, "orders:write"));
        usedEveryFiveDays("k1", "orders:read", 25);

        tick(T0.plus(Duration.ofDays(29)).plus(Duration.ofHours(13)));
        assertThat(fixture.readAlerts(AlertRule.KEY_OVERPRIVILEGED)).as("watched for 29 days only").isEmpty();

        // day 30: Wednesday 2026-04-01, in the ISO week that starts on Monday 2026-03-30
        fixture.sendLater(scoped("k1", T0.plus(Duration.ofDays(30)).plusSeconds(1), "orders:read"));
        tick(T0.plus(Duration.ofDays(30)).plus(Duration.ofMinutes(30)));

        List<Alert> alerts = fixture.readAlerts(AlertRule.KEY_OVERPRIVILEGED);
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.keyId()).isEqualTo("k1");
        assertThat(alert.severity()).isEqualTo(Severity.LOW);
        assertThat(alert.windowStart()).isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
        assertThat(alert.windowEnd()).isEqualTo(Instant.parse("2026-04-06T00:00:00Z"));
        assertThat(alert.evidence())
                .containsEntry("registeredScopes", List.of("orders:read", "orders:write", "admin"))
                .containsEntry("usedScopes", Map.of("orders:read", "2026-04-01"))
                .containsEntry("unusedScopes", List.of("orders:write", "admin"))
                .containsEntry("unusedScopesLastUsed", Map.of("orders:write", "2026-03-02"))
                .containsEntry("grant", List.of("orders:read"))
                .containsEntry("unusedDays", 30)
                .containsEntry("windowStart", "2026-03-03")
                .containsEntry("firstSeen", "2026-03-02");
        assertThat(alert.summary()).isEqualTo("Key k1 of acme holds 3 registered scopes and used 1 of them in the "
                + "last 30 days (watched since 2026-03-02); not used: orders:write, admin. Grant only orders:read.");
        assertThat(alert.observed()).isEqualTo(2.0);
    }

    @Test
    void raisesOncePerKeyAndIsoWeek() {
        fixture.register("k1", Registry.entry().createdAt(CREATED).scopes("orders:read", "admin").build(), T0);
        usedEveryFiveDays("k1", "orders:read", 30); // the last on Wednesday 2026-04-01: the first alert
        Instant day31 = T0.plus(Duration.ofDays(31)); // Thursday
        tick(day31);
        tick(day31.plus(Duration.ofDays(1))); // Friday
        tick(day31.plus(Duration.ofDays(3))); // Sunday 2026-04-05
        assertThat(fixture.readAlerts(AlertRule.KEY_OVERPRIVILEGED)).extracting(Alert::windowStart)
                .containsExactly(Instant.parse("2026-03-30T00:00:00Z"));

        tick(day31.plus(Duration.ofDays(4))); // Monday 2026-04-06
        tick(day31.plus(Duration.ofDays(4)).plus(Duration.ofMinutes(30)));

        assertThat(fixture.readAlerts(AlertRule.KEY_OVERPRIVILEGED)).extracting(Alert::windowStart)
                .containsExactly(Instant.parse("2026-04-06T00:00:00Z"));
    }

    @Test
    void neverForCanariesRevokedKeysUnusedKeysKeysWithoutScopesOrKeysThatUseAllTheirs() {
        fixture.register("decoy", Registry.entry().createdAt(CREATED).canary("laptop-7")
                .scopes("orders:read", "admin").build(), T0);
        fixture.register("revoked", Registry.entry().createdAt(CREATED).scopes("orders:read", "admin").build(), T0);
        fixture.register("unused", Registry.entry().createdAt(CREATED).scopes("orders:read", "admin").build(), T0);
        fixture.register("unscoped", Registry.entry().createdAt(CREATED).build(), T0);
        fixture.register("tidy", Registry.entry().createdAt(CREATED).scopes("orders:read").build(), T0);
        fixture.register("quiet", Registry.entry().createdAt(CREATED).scopes("orders:read", "admin").build(), T0);
        fixture.register("flagged", Registry.entry().createdAt(CREATED).scopes("orders:read", "admin").build(), T0);
        for (String key : List.of("decoy", "revoked", "unscoped", "tidy", "flagged")) {
            fixture.send(scoped(key, T0, "orders:read"));
        }
        fixture.send(fixture.event("quiet", T0)); // used, but its events never carry a scope
        fixture.sendLater(scoped("tidy", T0.plus(Duration.ofDays(20)), "orders:read"));
        KeyMetadata revoked = Registry.entry().createdAt(CREATED).scopes("orders:read", "admin").build();
        fixture.state(new KeyState("revoked", KeyStatus.REVOKED, T0.plusSeconds(5), "leaked", "api:admin", revoked));

        Instant day31 = T0.plus(Duration.ofDays(31));
        tick(day31);
        tick(day31.plus(Duration.ofMinutes(30)));

        assertThat(fixture.readAlerts(AlertRule.KEY_OVERPRIVILEGED)).extracting(Alert::keyId)
                .containsExactly("flagged");
    }

    @Test
    void respectsPerKeyAndGlobalDays() {
        fixture.restart(Map.of("KEYWATCH_DETECT_OVERPRIVILEGED_UNUSED_DAYS", "10"));
        fixture.register("global", Registry.entry().createdAt(CREATED).scopes("read", "admin").build(), T0);
        fixture.register("patient", Registry.entry().createdAt(CREATED).scopes("read", "admin")
                .threshold("overprivileged.unusedDays", 20).build(), T0);
        fixture.register("off", Registry.entry().createdAt(CREATED).scopes("read", "admin")
                .threshold("overprivileged.enabled", 0).build(), T0);
        for (String key : List.of("global", "patient", "off")) {
            fixture.send(scoped(key, T0, "read"));
        }
        tick(T0.plus(Duration.ofDays(11)));
        tick(T0.plus(Duration.ofDays(11)).plus(Duration.ofMinutes(30)));

        assertThat(fixture.readAlerts(AlertRule.KEY_OVERPRIVILEGED)).extracting(Alert::keyId)
                .containsExactly("global");
    }

    /** Uses the scope on day 0 and every fifth day up to {@code untilDay} (each event also moves stream time). */
    private void usedEveryFiveDays(String keyId, String scope, int untilDay) {
        for (int day = 0; day <= untilDay; day += 5) {
            fixture.sendLater(scoped(keyId, T0.plus(Duration.ofDays(day)).plusSeconds(1), scope));
        }
    }

    private UsageEvent scoped(String keyId, Instant at, String scope) {
        return fixture.event(keyId, at).withDetails(12, scope, true, CredentialLocation.HEADER);
    }

    private void tick(Instant at) {
        fixture.sendLater(fixture.event("clock", at));
    }
}
