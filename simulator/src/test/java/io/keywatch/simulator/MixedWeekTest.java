package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.UsageEvent;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MixedWeekTest {

    /** A Monday. */
    private static final LocalDate MONDAY = LocalDate.parse("2026-11-16");
    private static final SimulatorSettings SETTINGS = SimulatorSettings.DEFAULTS.withKeys(20).withSeed(7)
            .withRates(0.2, 20);

    @Test
    void weekendsAreQuietAndMondayMorningRampsUpPastANormalWeekday() {
        WeeklyRhythm rhythm = new WeeklyRhythm(0.25, 1.4);
        Instant monday = MONDAY.atStartOfDay(ZoneOffset.UTC).toInstant();

        assertThat(rhythm.factorAt(monday.plus(Duration.ofDays(5)).plusSeconds(3600))).isEqualTo(0.25); // Saturday
        assertThat(rhythm.factorAt(monday.plus(Duration.ofDays(6)).plusSeconds(80_000))).isEqualTo(0.25); // Sunday
        assertThat(rhythm.factorAt(monday.plus(Duration.ofHours(3)))).isEqualTo(0.25);
        assertThat(rhythm.factorAt(monday.plus(Duration.ofHours(9)))).isEqualTo(1.4);
        assertThat(rhythm.factorAt(monday.plus(Duration.ofMinutes(7 * 60 + 30)))).isBetween(0.25, 1.4);
        assertThat(rhythm.factorAt(monday.plus(Duration.ofHours(14)))).isEqualTo(1.0);
        assertThat(rhythm.factorAt(monday.plus(Duration.ofDays(2)))).isEqualTo(1.0); // Wednesday
        assertThatThrownBy(() -> new WeeklyRhythm(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placesEveryScenarioOnItsOwnKeyWithALeakOnAWeekdayAndOneOnTheWeekend() {
        MixedWeek week = new MixedWeek(SETTINGS, MONDAY, 7);

        List<WeekIncident> incidents = week.incidents();
        assertThat(incidents).hasSize(6);
        assertThat(incidents.stream().map(WeekIncident::keyId).distinct()).hasSize(6);
        Map<WeekScenario, List<WeekIncident>> byScenario = incidents.stream()
                .collect(Collectors.groupingBy(WeekIncident::scenario));
        assertThat(byScenario.get(WeekScenario.LEAKED_KEY)).hasSize(2);
        assertThat(byScenario.get(WeekScenario.SMALL_KEY_LEAKED)).hasSize(2)
                .extracting(i -> dayOfWeek(i.start())).contains(DayOfWeek.SATURDAY);
        assertThat(byScenario.get(WeekScenario.LEAKED_KEY))
                .extracting(i -> dayOfWeek(i.start())).contains(DayOfWeek.TUESDAY, DayOfWeek.SATURDAY);
        for (WeekIncident small : byScenario.get(WeekScenario.SMALL_KEY_LEAKED)) {
            KeyProfile key = week.model().key(small.keyId()).orElseThrow();
            assertThat(key.meanRatePerMinute()).as(small.detail()).isBetween(1.0, 12.0);
            assertThat(small.events()).isEqualTo(30 * 60);
            assertThat(Duration.between(small.start(), small.end())).isEqualTo(Duration.ofMinutes(30));
        }
        for (WeekIncident shift : byScenario.get(WeekScenario.LEVEL_SHIFT)) {
            KeyProfile key = week.model().key(shift.keyId()).orElseThrow();
            Instant before = shift.start().minusSeconds(60);
            Instant after = shift.start().plusSeconds(60);
            assertThat(week.ratePerMinuteAt(key, after) / week.ratePerMinuteAt(key, before)).isCloseTo(3.0,
                    org.assertj.core.data.Offset.offset(0.05));
            assertThat(shift.end()).isEqualTo(week.end());
        }
    }

    @Test
    void generatesTheSameEventsInTimeOrderWithTheScraperFromOneIp() {
        MixedWeek week = new MixedWeek(SETTINGS.withRates(0.2, 3), MONDAY, 3);
        List<UsageEvent> first = new ArrayList<>();
        List<UsageEvent> second = new ArrayList<>();

        long count = week.generate(first::add);
        new MixedWeek(SETTINGS.withRates(0.2, 3), MONDAY, 3).generate(second::add);

        assertThat(count).isEqualTo(first.size());
        assertThat(first).isEqualTo(second);
        for (int i = 1; i < first.size(); i++) {
            assertThat(first.get(i).timestamp()).isAfterOrEqualTo(first.get(i - 1).timestamp());
        }
        assertThat(first.get(0).timestamp()).isAfterOrEqualTo(week.start());
        assertThat(first.get(first.size() - 1).timestamp()).isBefore(week.end());
        WeekIncident small = week.incidents().stream().filter(i -> i.scenario() == WeekScenario.SMALL_KEY_LEAKED)
                .findFirst().orElseThrow();
        List<UsageEvent> during = first.stream().filter(e -> e.keyId().equals(small.keyId())
                && !e.timestamp().isBefore(small.start()) && e.timestamp().isBefore(small.end())).toList();
        Map<String, Long> byIp = during.stream().collect(Collectors.groupingBy(UsageEvent::clientIp,
                Collectors.counting()));
        assertThat(byIp.values().stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(1800);
    }

    @Test
    void aKeyThatExpiresDuringTheWeekStopsAtItsExpiryAndGetsNoScenario() {
        MixedWeek week = new MixedWeek(SETTINGS.withKeys(50).withSeed(42), MONDAY, 7); // the default week
        List<KeyProfile> expiring = week.model().activeKeys().stream()
                .filter(k -> k.metadata().expiresAt() != null && k.metadata().expiresAt().isBefore(week.end()))
                .toList();

        assertThat(expiring).isNotEmpty();
        for (KeyProfile key : expiring) {
            Instant expiry = key.metadata().expiresAt();
            assertThat(week.ratePerMinuteAt(key, expiry.minusSeconds(3600))).isPositive();
            assertThat(week.ratePerMinuteAt(key, expiry.minusSeconds(30))).isZero();
            assertThat(week.ratePerMinuteAt(key, expiry.plusSeconds(86_400))).isZero();
            assertThat(week.incidents()).noneMatch(i -> i.keyId().equals(key.keyId()));
        }
    }

    @Test
    void refusesTooFewDaysOrKeys() {
        assertThatThrownBy(() -> new MixedWeek(SETTINGS, MONDAY, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MixedWeek(SETTINGS.withKeys(4), MONDAY, 7))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static DayOfWeek dayOfWeek(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).getDayOfWeek();
    }
}
