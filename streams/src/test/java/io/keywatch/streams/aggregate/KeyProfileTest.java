package io.keywatch.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.keywatch.events.AlertRule;
import org.junit.jupiter.api.Test;

class KeyProfileTest {

    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * 60 * MINUTE;

    @Test
    void clipsAnOutlierMinuteBeforeLearningIt() {
        KeyProfile profile = steady(100, 20);
        profile.advanceTo(21 * MINUTE, 10_000, 1, 0.1, Double.NaN);

        // learnt as the count a steady 100 reaches with probability 1e-3 (about 132): the mean moves by about 3, not
        // by 990 (nor by 20, as the clip at 3 x expected alone would let it)
        double plausible = CountTail.criticalHigh(100, profile.dispersion(), KeyProfile.LEARN_PROBABILITY);
        assertThat(plausible).isBetween(120.0, 140.0);
        assertThat(profile.recentVolume()).isCloseTo(100 + 0.1 * (plausible - 100), within(1e-6));
    }

    @Test
    void learnsEachHourOfTheDayFromItsOwnMinutes() {
        KeyProfile profile = new KeyProfile();
        profile.advanceTo(0, 0, 0, 0.1, Double.NaN);
        long t = 0;
        // an hour's level counts once it was seen on three days
        for (int day = 0; day < 3; day++) {
            for (int m = 0; m < 24 * 60; m++) {
                long volume = m >= 9 * 60 && m < 10 * 60 ? 100 : 2;
                long next = day * DAY + (m + 1) * MINUTE;
                profile.advanceTo(next, volume, 1, 0.1, Double.NaN);
                t = next;
            }
        }

        assertThat(profile.hourVolume(9 * 60 * MINUTE)).isGreaterThan(50.0);
        assertThat(profile.hourVolume(3 * 60 * MINUTE)).isCloseTo(2.0, within(0.5));
        // at 09:00 the expectation is the hour's, though the recent average is low
        assertThat(profile.expectedVolume(t + 9 * 60 * MINUTE)).isGreaterThan(50.0);
        assertThat(profile.recentVolume()).isLessThan(5.0);
    }

    @Test
    void countsConsecutiveMinutesAboveTheRateLimit() {
        KeyProfile profile = new KeyProfile();
        profile.advanceTo(0, 0, 0, 0.1, 60);
        profile.advanceTo(MINUTE, 70, 1, 0.1, 60);
        profile.advanceTo(2 * MINUTE, 70, 1, 0.1, 60);
        assertThat(profile.rateStreakMinutes()).isEqualTo(2);
        assertThat(profile.rateStreakStart()).isZero();

        // a gap breaks the streak
        profile.advanceTo(5 * MINUTE, 70, 1, 0.1, 60);
        assertThat(profile.rateStreakMinutes()).isZero();
        profile.advanceTo(6 * MINUTE, 61, 1, 0.1, 60);
        assertThat(profile.rateStreakMinutes()).isEqualTo(1);
        assertThat(profile.rateStreakStart()).isEqualTo(5 * MINUTE);
    }

    @Test
    void staysBoundedAndSurvivesItsSerde() {
        KeyProfile profile = steady(50, 30);
        for (int i = 0; i < 100; i++) {
            profile.addCountry("C" + i);
        }
        profile.markAlerted(AlertRule.KEY_UNUSED, DAY);
        KeyProfileSerde serde = new KeyProfileSerde();

        byte[] bytes = serde.serializer().serialize("t", profile);
        KeyProfile read = serde.deserializer().deserialize("t", bytes);

        assertThat(bytes.length).isLessThan(1024);
        assertThat(read.countries()).hasSize(KeyProfile.MAX_COUNTRIES);
        assertThat(read.countriesSaturated()).isTrue();
        assertThat(read.alertedIn(AlertRule.KEY_UNUSED, DAY)).isTrue();
        assertThat(read.recentVolume()).isEqualTo(profile.recentVolume());
        assertThat(read.lastSeenMinute()).isEqualTo(profile.lastSeenMinute());
        assertThat(read.expectedVolume(30 * MINUTE)).isEqualTo(profile.expectedVolume(30 * MINUTE));
        assertThat(serde.serializer().serialize("t", read)).isEqualTo(bytes);
    }

    private static KeyProfile steady(long perMinute, int minutes) {
        KeyProfile profile = new KeyProfile();
        profile.advanceTo(0, 0, 0, 0.1, Double.NaN);
        for (int m = 1; m <= minutes; m++) {
            profile.advanceTo(m * MINUTE, perMinute, 2, 0.1, Double.NaN);
        }
        return profile;
    }
}
