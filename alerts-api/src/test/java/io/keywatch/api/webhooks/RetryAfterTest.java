package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    /** 1994-11-06T08:49:00Z: RFC 9110's example dates are 37 s later. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("1994-11-06T08:49:00Z"), ZoneOffset.UTC);

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parse("120", CLOCK)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void clampsAbsurdlyLargeDeltaSecondsInsteadOfOverflowing() {
        assertThat(RetryAfter.parse("99999999999999999999999", CLOCK)).contains(Duration.ofDays(365));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Sun, 06 Nov 1994 08:49:37 GMT",   // IMF-fixdate
            "Sunday, 06-Nov-94 08:49:37 GMT",  // obsolete RFC 850
            "Sun Nov  6 08:49:37 1994"         // obsolete asctime
    })
    void readsAllThreeHttpDateForms(String header) {
        assertThat(RetryAfter.parse(header, CLOCK)).contains(Duration.ofSeconds(37));
    }

    @Test
    void anRfc850YearMoreThanFiftyYearsAheadIsInThePastCentury() {
        Clock in2026 = Clock.fixed(Instant.parse("2026-11-27T19:00:00Z"), ZoneOffset.UTC);

        // "27-Nov-26" is 2026, not 1926
        assertThat(RetryAfter.parse("Friday, 27-Nov-26 19:01:00 GMT", in2026)).contains(Duration.ofMinutes(1));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Sat, 05 Nov 1994 08:49:37 GMT", CLOCK)).contains(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "soon", "-5", "1.5", "12s", "Sun, 06 Nov 1994 08:49:37",
            "Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 25:49:37 GMT"})
    void ignoresGarbage(String header) {
        assertThat(RetryAfter.parse(header, CLOCK)).isEmpty();
    }

    @Test
    void ignoresAMissingHeader() {
        assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
    }
}
