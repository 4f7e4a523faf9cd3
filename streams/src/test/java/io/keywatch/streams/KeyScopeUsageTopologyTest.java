package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which scopes each registered key used: recorded, bounded, published signed on the key-scopes topic per change. */
class KeyScopeUsageTopologyTest {

    private static final JsonSerde<KeyScopeUsage> JSON = new JsonSerde<>(KeywatchJson.newMapper(), KeyScopeUsage.class);
    private static final LocalDate DAY0 = LocalDate.of(2026, 3, 2);

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void publishesAKeysWholeScopeUsageOncePerScopeAndDaySigned() {
        fixture.register("k1", Registry.entry().scopes("orders:read", "orders:write", "admin").build(), T0);
        for (int i = 0; i < 5; i++) {
            fixture.send(scoped("k1", T0.plusSeconds(i), "orders:read"));
        }
        fixture.send(scoped("k1", T0.plusSeconds(10), "orders:write"));
        fixture.send(scoped("k1", T0.plusSeconds(11), "orders:read"));
        Instant nextDay = T0.plus(Duration.ofDays(1));
        fixture.sendLater(scoped("k1", nextDay, "orders:read"));
        fixture.sendLater(scoped("k1", nextDay.plusSeconds(1), "orders:read"));
        fixture.sendLater(scoped("k1", nextDay.plusSeconds(2), "orders:write"));

        List<TestRecord<String, byte[]>> records = fixture.keyScopes.readRecordsToList();

        assertThat(records).extracting(TestRecord::key).containsOnly("k1");
        assertThat(records).extracting(record -> JSON.fromBytes(record.value())).containsExactly(
                new KeyScopeUsage("k1", DAY0, Map.of("orders:read", DAY0), false),
                new KeyScopeUsage("k1", DAY0, Map.of("orders:read", DAY0, "orders:write", DAY0), false),
                new KeyScopeUsage("k1", DAY0, Map.of("orders:read", DAY0.plusDays(1), "orders:write", DAY0), false),
                new KeyScopeUsage("k1", DAY0,
                        Map.of("orders:read", DAY0.plusDays(1), "orders:write", DAY0.plusDays(1)), false));
        for (TestRecord<String, byte[]> record : records) {
            var verdict = TopologyFixture.SIGNATURES.verify(fixture.settings.topics().keyScopes(),
                    record.key().getBytes(StandardCharsets.UTF_8), record.value(), record.headers());
            assertThat(verdict.valid()).as("%s", verdict).isTrue();
        }
        assertThat(scopeStore().get("k1")).isEqualTo(JSON.fromBytes(records.get(3).value()));
    }

    @Test
    void theDailyCleanUpForgetsTheScopeUsageOfAKeyNoLongerRegistered() {
        fixture.register("k1", Registry.entry().scopes("orders:read").build(), T0);
        fixture.register("k2", Registry.entry().scopes("orders:read").build(), T0);
        fixture.send(scoped("k1", T0, "orders:read"));
        fixture.send(scoped("k2", T0, "orders:read"));
        assertThat(scopeStore().get("k1")).isNotNull();

        // k1 leaves the registry (a state without metadata); the next day's clean-up drops what it left behind
        fixture.keyState("k1", KeyStatus.ACTIVE, T0.plusSeconds(30), "deregistered");
        fixture.sendLater(scoped("k2", T0.plus(Duration.ofDays(1)).plusSeconds(5), "orders:read"));

        assertThat(scopeStore().get("k1")).isNull();
        assertThat(scopeStore().get("k2")).isNotNull();
    }

    @Test
    void countsOnlyScopesTheServiceGrantedWithoutASecretForRegisteredKeys() {
        fixture.register("k1", Registry.entry().scopes("orders:read").build(), T0);
        fixture.register("decoy", Registry.entry().scopes("orders:read").canary("laptop-7").build(), T0);
        String secret = "sk_" + "live_" + random(24);
        fixture.send(TopologyFixture.withOutcome(scoped("k1", T0, "denied"), AuthResult.SCOPE_DENIED, 403));
        fixture.send(TopologyFixture.withOutcome(scoped("k1", T0, "guessed"), AuthResult.INVALID_SECRET, 401));
        fixture.send(TopologyFixture.withOutcome(scoped("k1", T0, "refused"), AuthResult.OK, 403));
        fixture.send(TopologyFixture.withOutcome(scoped("k1", T0, "expired"), AuthResult.EXPIRED, 401));
        fixture.send(scoped("k1", T0, "read token=" + secret));
        fixture.send(scoped("k1", T0, null));
        fixture.send(scoped("unregistered", T0, "orders:read"));
        fixture.send(scoped("decoy", T0, "orders:read"));

        assertThat(fixture.keyScopes.readRecordsToList()).isEmpty();
        assertThat(scopeStore().approximateNumEntries()).isZero();

        fixture.send(TopologyFixture.withOutcome(scoped("k1", T0, "orders:read"), AuthResult.OK, null));
        assertThat(fixture.keyScopes.readValuesToList()).extracting(JSON::fromBytes)
                .containsExactly(new KeyScopeUsage("k1", DAY0, Map.of("orders:read", DAY0), false));
    }

    @Test
    void keepsTheRegisteredScopesAndTheMostRecentlyUsedUnregisteredOnesAndSaysTruncated() {
        fixture.register("k1", Registry.entry().scopes("orders:read").build(), T0);
        fixture.send(scoped("k1", T0, "orders:read"));
        fixture.send(scoped("k1", T0, "a-first"));
        Instant nextDay = T0.plus(Duration.ofDays(1));
        fixture.clock(nextDay.plusSeconds(60));
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES; i++) {
            fixture.send(scoped("k1", nextDay.plusMillis(i), String.format("s%02d", i)));
        }

        KeyScopeUsage stored = scopeStore().get("k1");
        assertThat(stored.truncated()).isTrue();
        assertThat(stored.lastUsed()).hasSize(1 + KeyScopeUsage.MAX_UNREGISTERED_SCOPES).doesNotContainKey("a-first")
                .containsEntry("orders:read", DAY0).containsEntry("s00", DAY0.plusDays(1))
                .containsEntry("s15", DAY0.plusDays(1));
        assertThat(stored.firstSeen()).isEqualTo(DAY0);
        List<KeyScopeUsage> published = fixture.keyScopes.readValuesToList().stream().map(JSON::fromBytes).toList();
        assertThat(published).hasSize(2 + KeyScopeUsage.MAX_UNREGISTERED_SCOPES);
        assertThat(published.get(published.size() - 1)).isEqualTo(stored);
    }

    @Test
    void madeUpScopesAtMidnightDoNotKeepTheRealScopeOut() {
        fixture.register("k1", Registry.entry().scopes("orders:read").build(), T0);
        Instant midnight = T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        for (int i = 0; i < 64; i++) {
            fixture.send(scoped("k1", midnight.plusMillis(i), String.format("zz-made-up-%02d", i)));
        }
        fixture.send(scoped("k1", T0, "orders:read"));

        assertThat(scopeStore().get("k1").lastUsed()).containsEntry("orders:read", DAY0);
    }

    private KeyValueStore<String, KeyScopeUsage> scopeStore() {
        return fixture.driver.getKeyValueStore(KeywatchTopology.SCOPE_USAGE_STORE);
    }

    private UsageEvent scoped(String keyId, Instant at, String scope) {
        return fixture.event(keyId, at).withDetails(12, scope, true, CredentialLocation.HEADER);
    }

    private static String random(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SplittableRandom rng = new SplittableRandom(7);
        StringBuilder body = new StringBuilder("Qr7");
        while (body.length() < length) {
            body.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return body.toString();
    }
}
