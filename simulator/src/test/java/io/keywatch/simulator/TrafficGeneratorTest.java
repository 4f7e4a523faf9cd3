package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static final Instant NOON = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void theSameSeedGivesTheSameEvents() {
        List<UsageEvent> first = generate(SimulatorSettings.DEFAULTS, NOON, NOON.plusSeconds(120));
        List<UsageEvent> second = generate(SimulatorSettings.DEFAULTS, NOON, NOON.plusSeconds(120));

        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    @Test
    void anotherSeedGivesOtherKeysAndEvents() {
        List<UsageEvent> first = generate(SimulatorSettings.DEFAULTS, NOON, NOON.plusSeconds(60));
        List<UsageEvent> other = generate(SimulatorSettings.DEFAULTS.withSeed(7), NOON, NOON.plusSeconds(60));

        assertThat(new TrafficModel(SimulatorSettings.DEFAULTS).keys())
                .isNotEqualTo(new TrafficModel(SimulatorSettings.DEFAULTS.withSeed(7)).keys());
        assertThat(first).isNotEqualTo(other);
    }

    @Test
    void generatingInPiecesGivesTheSameEventsAsOneRun() {
        Instant middle = NOON.plusMillis(61_500); // not on a second boundary
        Instant end = NOON.plusSeconds(150);
        List<UsageEvent> pieces = new ArrayList<>(generate(SimulatorSettings.DEFAULTS, NOON, middle));
        pieces.addAll(generate(SimulatorSettings.DEFAULTS, middle, end));

        assertThat(pieces).isEqualTo(generate(SimulatorSettings.DEFAULTS, NOON, end));
    }

    @Test
    void eventsComeInTimeOrderWithinThePeriodWithUniqueIds() {
        Instant from = NOON.plusMillis(250);
        Instant to = NOON.plusSeconds(300).plusMillis(700);
        List<UsageEvent> events = generate(SimulatorSettings.DEFAULTS, from, to);

        assertThat(events).isSortedAccordingTo(TrafficModel.BY_TIME);
        assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).isBetween(from, to.minusNanos(1)));
        assertThat(events.stream().map(UsageEvent::eventId).distinct().count()).isEqualTo(events.size());
    }

    @Test
    void everyGeneratedEventSurvivesTheWireFormatUnchanged() {
        JsonSerde<UsageEvent> serde = new JsonSerde<>(UsageEvent.class);
        UsageEventParser parser = new UsageEventParser();
        List<UsageEvent> events = generate(SimulatorSettings.DEFAULTS, NOON, NOON.plusSeconds(600));

        assertThat(events).allSatisfy(e ->
                assertThat(parser.parse(serde.toBytes(e))).isEqualTo(new UsageEventParser.Valid(e)));
    }

    @Test
    void eventsLookLikeRealRequests() {
        TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS);
        Map<String, KeyProfile> keys = model.keys().stream()
                .collect(Collectors.toMap(KeyProfile::keyId, Function.identity()));
        List<UsageEvent> events = generate(SimulatorSettings.DEFAULTS, NOON, NOON.plus(Duration.ofMinutes(30)));

        assertThat(events).allSatisfy(e -> {
            KeyProfile key = keys.get(e.keyId());
            assertThat(key).isNotNull();
            assertThat(e.service()).isEqualTo(key.service());
            assertThat(key.routes()).extracting(Route::path).contains(e.path());
            assertThat(key.clients()).extracting(ClientEndpoint::ip).contains(e.clientIp());
            assertThat(e.tls()).isTrue();
            assertThat(e.credentialLocation()).isEqualTo(CredentialLocation.HEADER);
            assertThat(e.latencyMs()).isPositive();
            assertThat(e.userAgent()).isNotBlank();
            assertThat(e.scope()).startsWith(e.service() + ":");
        });
        double total = events.size();
        double successes = events.stream().filter(e -> e.status() < 300).count() / total;
        double clientErrors = events.stream().filter(e -> e.status() >= 400 && e.status() < 500).count() / total;
        double serverErrors = events.stream().filter(e -> e.status() >= 500).count() / total;
        double invalidSecrets = events.stream().filter(e -> e.authResult() == AuthResult.INVALID_SECRET).count() / total;
        assertThat(successes).isBetween(0.9, 0.97);
        assertThat(clientErrors).isBetween(0.03, 0.1);
        assertThat(serverErrors).isBetween(0.0005, 0.01);
        assertThat(invalidSecrets).isBetween(0.0005, 0.01);
    }

    @Test
    void keysHaveFewClientsInTheirHomeCountryAndRatesWithinTheConfiguredRange() {
        List<KeyProfile> keys = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(500)).keys();

        assertThat(keys).hasSize(500);
        assertThat(keys).extracting(KeyProfile::keyId).doesNotHaveDuplicates();
        assertThat(keys).allSatisfy(k -> {
            assertThat(k.meanRatePerMinute()).isBetween(2.0, 120.0);
            assertThat(k.clients()).hasSizeBetween(1, 6);
        });
        long oneToFour = keys.stream().filter(k -> k.clients().size() <= 4).count();
        assertThat(oneToFour).isGreaterThan(450);
        long homeClients = keys.stream().flatMap(k -> k.clients().stream().map(c -> c.country().equals(k.homeCountry())))
                .filter(b -> b).count();
        long allClients = keys.stream().mapToLong(k -> k.clients().size()).sum();
        assertThat((double) homeClients / allClients).isGreaterThan(0.8);
        // log-normal spread: both quiet and busy keys exist, the typical one in between
        assertThat(keys).anyMatch(k -> k.meanRatePerMinute() < 5).anyMatch(k -> k.meanRatePerMinute() > 60);
        double medianRate = keys.stream().mapToDouble(KeyProfile::meanRatePerMinute).sorted().skip(250).findFirst()
                .orElseThrow();
        assertThat(medianRate).isBetween(10.0, 25.0);
    }

    @Test
    void eachKeysHourlyVolumeMatchesItsConfiguredRate() {
        SimulatorSettings settings = SimulatorSettings.DEFAULTS.withKeys(20);
        TrafficModel model = new TrafficModel(settings);
        Instant from = NOON;
        Instant to = NOON.plus(Duration.ofHours(1));
        Map<String, Integer> counts = new HashMap<>();
        new TrafficGenerator(model).generate(from, to, e -> counts.merge(e.keyId(), 1, Integer::sum));

        for (KeyProfile key : model.keys()) {
            double expected = 0;
            for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
                expected += key.ratePerSecondAt(t.plusSeconds(30)) * 60;
            }
            int actual = counts.getOrDefault(key.keyId(), 0);
            // Poisson: allow 4 standard deviations, plus a little for the rhythm's per-second sampling
            assertThat((double) actual).as("requests of %s in one hour", key.keyId())
                    .isCloseTo(expected, within(4 * Math.sqrt(expected) + 0.02 * expected + 2));
        }
    }

    @Test
    void rateScaleMultipliesTraffic() {
        int base = generate(SimulatorSettings.DEFAULTS, NOON, NOON.plusSeconds(600)).size();
        int doubled = generate(SimulatorSettings.DEFAULTS.withRateScale(2), NOON, NOON.plusSeconds(600)).size();

        assertThat((double) doubled / base).isCloseTo(2.0, within(0.1));
    }

    @Test
    void theDailyRhythmMakesEachKeysPeakHourBusierThanItsNight() {
        SimulatorSettings settings = SimulatorSettings.DEFAULTS.withKeys(6).withRates(30, 120);
        TrafficModel model = new TrafficModel(settings);
        Instant midnight = Instant.parse("2026-11-27T00:00:00Z");
        Map<String, int[]> hourly = new HashMap<>();
        new TrafficGenerator(model).generate(midnight, midnight.plus(Duration.ofDays(1)),
                e -> hourly.computeIfAbsent(e.keyId(), k -> new int[24])[(int) ((e.timestamp().getEpochSecond()
                        - midnight.getEpochSecond()) / 3600)]++);

        for (KeyProfile key : model.keys()) {
            int peakHour = (int) Math.floor(key.rhythm().peakHourUtc());
            int nightHour = (peakHour + 12) % 24;
            int[] counts = hourly.get(key.keyId());
            assertThat(counts[peakHour]).as("peak hour of %s vs its night", key.keyId())
                    .isGreaterThan(2 * counts[nightHour]);
        }
    }

    static List<UsageEvent> generate(SimulatorSettings settings, Instant from, Instant to) {
        List<UsageEvent> events = new ArrayList<>();
        new TrafficGenerator(new TrafficModel(settings)).generate(from, to, events::add);
        return events;
    }
}
