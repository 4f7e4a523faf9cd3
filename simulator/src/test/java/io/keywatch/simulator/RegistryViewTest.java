package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.CredentialLocation;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RegistryViewTest {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private final TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(200), DAY.plusSeconds(3600));

    @Test
    void theRegistryHasOneActiveStateWithMetadataPerKey() {
        List<KeyState> registry = model.registry();

        assertThat(model.registryAnchor()).isEqualTo(DAY);
        assertThat(registry).extracting(KeyState::keyId)
                .containsExactlyElementsOf(model.keys().stream().map(KeyProfile::keyId).toList());
        Map<String, KeyProfile> keys = model.keys().stream()
                .collect(Collectors.toMap(KeyProfile::keyId, Function.identity()));
        assertThat(registry).allSatisfy(state -> {
            KeyProfile key = keys.get(state.keyId());
            KeyMetadata m = state.metadata();
            assertThat(state.status()).isEqualTo(KeyStatus.ACTIVE);
            assertThat(state.changedAt()).isEqualTo(m.createdAt());
            assertThat(m).isEqualTo(key.metadata());
            assertThat(m.owner()).isEqualTo(key.owner());
            assertThat(m.service()).isEqualTo(key.service());
            assertThat(m.scopes()).containsExactlyInAnyOrderElementsOf(key.routes().stream()
                    .map(r -> RequestFactory.scope(key.service(), r)).distinct().toList());
            assertThat(m.createdAt()).isBetween(DAY.minus(Duration.ofDays(89)), DAY);
            assertThat(m.rateLimitPerMinute()).isGreaterThanOrEqualTo(60)
                    .isGreaterThanOrEqualTo((int) (3 * key.meanRatePerMinute() * (1 + key.rhythm().amplitude())));
            assertThat(m.autoRevoke()).isTrue();
            if (m.allowedCountries() != null) {
                assertThat(m.allowedCountries()).containsAll(key.clients().stream().map(ClientEndpoint::country).toList());
            }
        });
        assertThat(registry.stream().filter(s -> s.metadata().allowedCountries() == null).count())
                .isGreaterThan(registry.size() * 8 / 10);
    }

    @Test
    void someKeysAreDormantExpiredOrExpiringSoon() {
        List<KeyProfile> dormant = model.keys(KeyLifecycle.DORMANT);
        List<KeyProfile> expired = model.keys(KeyLifecycle.EXPIRED);

        assertThat(dormant).isNotEmpty().allSatisfy(k -> {
            assertThat(k.lastUsedAt()).isBefore(DAY.minus(Duration.ofDays(30))).isAfter(k.metadata().createdAt());
            assertThat(k.ratePerSecondAt(DAY)).isZero();
        });
        assertThat(expired).isNotEmpty().allSatisfy(k -> {
            assertThat(k.metadata().expiresAt()).isBefore(DAY);
            assertThat(k.lastUsedAt()).isBefore(k.metadata().expiresAt());
        });
        assertThat(model.keys()).filteredOn(k -> k.lifecycle() == KeyLifecycle.ACTIVE && k.metadata().expiresAt() != null
                        && k.metadata().expiresAt().isBefore(DAY.plus(Duration.ofDays(14))))
                .isNotEmpty()
                .allSatisfy(k -> assertThat(k.metadata().expiresAt()).isAfter(DAY));
        assertThat(model.activeKeys().size()).isGreaterThan(model.keys().size() * 8 / 10);
    }

    @Test
    void theAnchorChangesNoOrdinaryEvent() {
        TrafficModel other = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(200), DAY.minus(Duration.ofDays(40)));

        Instant second = DAY.plusSeconds(12 * 3600);
        assertThat(other.secondOfTraffic(second, Map.of())).isEqualTo(model.secondOfTraffic(second, Map.of()));
    }

    @Test
    void ordinaryTrafficStaysWithinTheRegistry() {
        TrafficModel small = new TrafficModel(SimulatorSettings.DEFAULTS, DAY);
        Map<String, KeyProfile> keys = small.keys().stream()
                .collect(Collectors.toMap(KeyProfile::keyId, Function.identity()));
        Map<String, Integer> perKeyMinute = new HashMap<>();
        Instant from = DAY.plus(Duration.ofHours(12));
        new TrafficGenerator(small).generate(from, from.plus(Duration.ofHours(2)), (UsageEvent e) -> {
            KeyProfile key = keys.get(e.keyId());
            assertThat(key.lifecycle()).isEqualTo(KeyLifecycle.ACTIVE);
            assertThat(e.tls()).isTrue();
            assertThat(e.credentialLocation()).isEqualTo(CredentialLocation.HEADER);
            assertThat(key.metadata().scopes()).contains(e.scope());
            if (key.metadata().allowedCountries() != null) {
                assertThat(key.metadata().allowedCountries()).contains(e.country());
            }
            perKeyMinute.merge(e.keyId() + "@" + e.timestamp().truncatedTo(ChronoUnit.MINUTES), 1, Integer::sum);
        });
        perKeyMinute.forEach((keyMinute, count) -> assertThat(count).as(keyMinute)
                .isLessThan(keys.get(keyMinute.substring(0, keyMinute.indexOf('@'))).rateLimitPerMinute()));
    }
}
