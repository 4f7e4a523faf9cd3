package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.UsageEvent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MixedDayTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    /** Quiet keys keep a whole day of 24 keys to a few hundred thousand events. */
    private static final SimulatorSettings SETTINGS = SimulatorSettings.DEFAULTS.withKeys(24).withSeed(7).withRates(2, 20);

    @Test
    void containsOneIncidentOfEveryKindEachOnItsOwnKeyAtSpreadOutTimes() {
        MixedDay day = new MixedDay(SETTINGS, DAY);

        List<Incident> incidents = day.incidents();
        assertThat(incidents).extracting(Incident::kind).containsExactlyInAnyOrder(IncidentKind.values());
        assertThat(incidents).extracting(Incident::keyId).doesNotHaveDuplicates();
        assertThat(incidents).isSortedAccordingTo((a, b) -> a.start().compareTo(b.start()));
        assertThat(incidents).allSatisfy(i -> {
            assertThat(i.start()).isAfterOrEqualTo(START.plus(MixedDay.WARM_UP));
            assertThat(i.end()).isBefore(day.end());
            assertThat(i.count()).isPositive();
        });
        for (int i = 1; i < incidents.size(); i++) {
            assertThat(Duration.between(incidents.get(i - 1).end(), incidents.get(i).start()))
                    .isGreaterThan(Duration.ofMinutes(60));
        }
        assertThat(day.plans()).extracting(IncidentPlan::kind)
                .containsExactlyElementsOf(incidents.stream().map(Incident::kind).toList());
    }

    @Test
    void incidentsHitKeysThatMakeThemMeaningful() {
        MixedDay day = new MixedDay(SETTINGS, DAY);
        TrafficModel model = day.model();
        Map<IncidentKind, Incident> byKind = day.incidentsByKind();
        Set<String> registered = day.registry().stream().map(KeyState::keyId).collect(Collectors.toSet());

        KeyProfile dormant = model.key(byKind.get(IncidentKind.DORMANT_KEY_REACTIVATION).keyId()).orElseThrow();
        assertThat(dormant.lifecycle()).isEqualTo(KeyLifecycle.DORMANT);
        KeyProfile expired = model.key(byKind.get(IncidentKind.EXPIRED_KEY_USE).keyId()).orElseThrow();
        assertThat(expired.lifecycle()).isEqualTo(KeyLifecycle.EXPIRED);
        assertThat(expired.metadata().expiresAt()).isBefore(byKind.get(IncidentKind.EXPIRED_KEY_USE).start());
        assertThat(registered).doesNotContain(byKind.get(IncidentKind.UNKNOWN_KEY).keyId());
        byKind.values().stream().filter(i -> i.kind() != IncidentKind.UNKNOWN_KEY)
                .forEach(i -> assertThat(registered).contains(i.keyId()));
        KeyProfile newCountry = model.key(byKind.get(IncidentKind.NEW_COUNTRY).keyId()).orElseThrow();
        assertThat(newCountry.metadata().allowedCountries()).isNotEmpty();
        List<UsageEvent> newCountryEvents = IncidentFactory.create(day.plans().stream()
                .filter(p -> p.kind() == IncidentKind.NEW_COUNTRY).findFirst().orElseThrow(), newCountry, 7).events();
        assertThat(newCountryEvents).allSatisfy(e ->
                assertThat(newCountry.metadata().allowedCountries()).doesNotContain(e.country()));
        Incident rateLimit = byKind.get(IncidentKind.RATE_LIMIT_ABUSE);
        assertThat(rateLimit.start()).isEqualTo(rateLimit.start().truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        assertThat(rateLimit.count()).isEqualTo(12 * model.key(rateLimit.keyId()).orElseThrow().rateLimitPerMinute());
    }

    @Test
    void theReuseOfARevokedKeyComesWithItsRevocationInTheKeyStateFeed() {
        MixedDay day = new MixedDay(SETTINGS, DAY);
        Incident reuse = day.incidentsByKind().get(IncidentKind.REVOKED_KEY_REUSE);

        assertThat(day.keyStateChanges()).singleElement().satisfies(change -> {
            assertThat(change.keyId()).isEqualTo(reuse.keyId());
            assertThat(change.status()).isEqualTo(KeyStatus.REVOKED);
            assertThat(change.changedAt()).isBefore(reuse.start()).isAfter(day.start());
            assertThat(change.metadata()).isNotNull();
        });
        assertThat(day.revokedSince()).containsEntry(reuse.keyId(), day.keyStateChanges().get(0).changedAt());
        List<KeyState> feed = day.keyStateFeed();
        assertThat(feed).hasSize(day.registry().size() + 1).isSortedAccordingTo((a, b) -> a.changedAt().compareTo(b.changedAt()));
        assertThat(feed.get(feed.size() - 1)).isEqualTo(day.keyStateChanges().get(0));
    }

    @Test
    void listsTheRegistryFindingsThatAreNotIncidents() {
        MixedDay day = new MixedDay(SETTINGS, DAY);

        assertThat(day.housekeeping()).extracting(MixedDay.HousekeepingFinding::rule)
                .contains(AlertRule.KEY_UNUSED, AlertRule.KEY_EXPIRING);
        assertThat(day.housekeeping()).filteredOn(f -> f.rule() == AlertRule.KEY_UNUSED)
                .extracting(MixedDay.HousekeepingFinding::keyId)
                .containsExactlyInAnyOrderElementsOf(day.model().keys(KeyLifecycle.DORMANT).stream()
                        .map(KeyProfile::keyId).toList());
    }

    @Test
    void theDayIsDeterministicInTimeOrderAndNormalTrafficIsClean() {
        MixedDay day = new MixedDay(SETTINGS, DAY);
        Scan first = scan(day);
        Scan second = scan(new MixedDay(SETTINGS, DAY));

        assertThat(second.digest).isEqualTo(first.digest);
        assertThat(second.count).isEqualTo(first.count).isGreaterThan(100_000);
        assertThat(new MixedDay(SETTINGS.withSeed(8), DAY).incidents()).isNotEqualTo(day.incidents());
        assertThat(first.generated.incidents()).isEqualTo(day.incidents());
        assertThat(first.generated.events()).isEqualTo(first.count);
        // each incident's events are all there
        for (Incident incident : day.incidents()) {
            assertThat(first.incidentEvents.getOrDefault(incident.kind(), 0)).as("events of %s", incident.kind())
                    .isEqualTo(incident.count());
        }
        // no tls=false, key-in-URL, unheld scope or unknown key outside the incidents
        assertThat(first.suspiciousOutsideIncidents).isEmpty();
        // the silent keys' history comes first, at least 30 days back for the dormant ones
        assertThat(day.historyEvents()).isNotEmpty();
        assertThat(first.firstEvent).isEqualTo(day.historyEvents().get(0).timestamp());
        Set<String> dormant = day.model().keys(KeyLifecycle.DORMANT).stream().map(KeyProfile::keyId)
                .collect(Collectors.toSet());
        assertThat(day.historyEvents()).filteredOn(e -> dormant.contains(e.keyId()))
                .isNotEmpty().allSatisfy(e -> assertThat(e.timestamp()).isBefore(START.minus(Duration.ofDays(30))));
    }

    @Test
    void rejectsTooFewKeys() {
        assertThatThrownBy(() -> MixedDay.of(1, 10, DAY)).hasMessageContaining("16");
    }

    private record Scan(String digest, long count, GeneratedTraffic generated, Map<IncidentKind, Integer> incidentEvents,
                        List<String> suspiciousOutsideIncidents, Instant firstEvent) {
    }

    private static Scan scan(MixedDay day) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        JsonSerde<UsageEvent> serde = new JsonSerde<>(UsageEvent.class);
        Map<String, KeyProfile> keys = day.model().keys().stream()
                .collect(Collectors.toMap(KeyProfile::keyId, Function.identity()));
        Set<String> incidentEventIds = new HashSet<>();
        Map<IncidentKind, Integer> perKind = new HashMap<>();
        for (IncidentPlan plan : day.plans()) {
            IncidentFactory.create(plan, day.model().profileOf(plan.keyId()), day.settings().seed()).events()
                    .forEach(e -> incidentEventIds.add(e.eventId()));
        }
        Map<String, IncidentKind> kindOfKey = day.incidents().stream()
                .collect(Collectors.toMap(Incident::keyId, Incident::kind));
        List<String> suspicious = new ArrayList<>();
        long[] count = {0};
        Instant[] previous = {Instant.MIN};
        Instant[] first = {null};
        GeneratedTraffic generated = day.generate(e -> {
            digest.update(serde.toBytes(e));
            count[0]++;
            assertThat(e.timestamp()).isAfterOrEqualTo(previous[0]);
            previous[0] = e.timestamp();
            if (first[0] == null) {
                first[0] = e.timestamp();
            }
            if (incidentEventIds.contains(e.eventId())) {
                perKind.merge(kindOfKey.get(e.keyId()), 1, Integer::sum);
                return;
            }
            KeyProfile key = keys.get(e.keyId());
            if (key == null || !Boolean.TRUE.equals(e.tls()) || e.credentialLocation() != CredentialLocation.HEADER
                    || !key.metadata().scopes().contains(e.scope())
                    || (e.timestamp().isAfter(day.start()) && !key.lifecycle().makesTraffic())
                    || (e.authResult() == AuthResult.OK && day.revokedSince().containsKey(e.keyId())
                        && !e.timestamp().isBefore(day.revokedSince().get(e.keyId())))) {
                suspicious.add(e.toString());
            }
        });
        return new Scan(HexFormat.of().formatHex(digest.digest()), count[0], generated, perKind, suspicious, first[0]);
    }

    @SuppressWarnings("unused")
    private static List<IncidentKind> kinds() {
        return Arrays.asList(IncidentKind.values());
    }
}
