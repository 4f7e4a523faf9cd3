package io.keywatch.api.webhooks;

import java.time.Clock;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delta-seconds ({@code 120}) or an HTTP-date,
 * which recipients must accept in all three forms of §5.6.7 — IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}),
 * the obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}).
 * Anything else is ignored. A date in the past means "now" (zero).
 */
public final class RetryAfter {

    /** Longer numbers are clamped rather than overflowing; a schedule caps what it honours anyway. */
    private static final long MAX_SECONDS = 365L * 24 * 3600;

    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendText(ChronoField.DAY_OF_WEEK, TextStyle.FULL)
            .appendLiteral(", ")
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT)
            .appendLiteral('-')
            .appendValue(ChronoField.YEAR_OF_ERA, 2) // two digits, resolved below
            .appendLiteral(' ')
            .appendPattern("HH:mm:ss")
            .appendLiteral(" GMT")
            .toFormatter(Locale.US); // English day and month names, whatever the JVM locale

    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendText(ChronoField.DAY_OF_WEEK, TextStyle.SHORT)
            .appendLiteral(' ')
            .appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT)
            .appendLiteral(' ')
            .padNext(2)
            .appendValue(ChronoField.DAY_OF_MONTH)
            .appendLiteral(' ')
            .appendPattern("HH:mm:ss")
            .appendLiteral(' ')
            .appendValue(ChronoField.YEAR, 4)
            .toFormatter(Locale.US); // English day and month names, whatever the JVM locale

    private RetryAfter() {
    }

    /** How long the header asks to wait from {@code clock}'s now; empty for a missing or unreadable header. */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long seconds = value.length() > 12 ? MAX_SECONDS : Math.min(Long.parseLong(value), MAX_SECONDS);
            return Optional.of(Duration.ofSeconds(seconds));
        }
        return httpDate(value, clock).map(at -> {
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        });
    }

    /** An HTTP-date in any of the three forms, as an instant. */
    static Optional<Instant> httpDate(String value, Clock clock) {
        try {
            // IMF-fixdate; RFC_1123_DATE_TIME also takes the GMT zone name the format requires
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(rfc850(value, clock));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(value, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }

    /**
     * RFC 850 dates have a two-digit year; RFC 9110 says one that appears to be more than 50 years in the future
     * is in the past century.
     */
    private static Instant rfc850(String value, Clock clock) {
        // unresolved: resolving would read the two-digit year as the year 94 and then reject the day of week
        ParsePosition position = new ParsePosition(0);
        TemporalAccessor parsed = RFC_850.parseUnresolved(value, position);
        if (parsed == null || position.getErrorIndex() >= 0 || position.getIndex() != value.length()) {
            throw new DateTimeParseException("not an RFC 850 date", value, 0);
        }
        int twoDigits = (int) parsed.getLong(ChronoField.YEAR_OF_ERA) % 100;
        int currentYear = clock.instant().atZone(ZoneOffset.UTC).getYear();
        int year = (currentYear / 100) * 100 + twoDigits;
        if (year > currentYear + 50) {
            year -= 100;
        }
        LocalDateTime time;
        try {
            time = LocalDateTime.of(year, (int) parsed.getLong(ChronoField.MONTH_OF_YEAR),
                    (int) parsed.getLong(ChronoField.DAY_OF_MONTH), (int) parsed.getLong(ChronoField.HOUR_OF_DAY),
                    (int) parsed.getLong(ChronoField.MINUTE_OF_HOUR), (int) parsed.getLong(ChronoField.SECOND_OF_MINUTE));
        } catch (DateTimeException e) {
            throw new DateTimeParseException("not a valid date: " + e.getMessage(), value, 0);
        }
        if (time.getDayOfWeek() != DayOfWeek.of((int) parsed.getLong(ChronoField.DAY_OF_WEEK))) {
            throw new DateTimeParseException("day of week does not match the date", value, 0);
        }
        return time.toInstant(ZoneOffset.UTC);
    }
}
