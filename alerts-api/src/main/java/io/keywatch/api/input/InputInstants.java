package io.keywatch.api.input;

import io.keywatch.api.errors.InvalidInputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Instants an API client sends: ISO-8601 ({@code 2026-11-27T19:00:00Z}, another offset accepted), from 1970-01-01
 * to 9999-12-31 UTC. Java parses years up to ±999,999,999, PostgreSQL's timestamptz stops at 4713 BC and
 * 294276 AD, and Kafka timestamps start in 1970: this range is one all of them store, compare and print alike.
 */
public final class InputInstants {

    public static final Instant MIN = Instant.EPOCH;
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** Longer than any ISO-8601 instant with an offset and nanoseconds. */
    private static final int MAX_LENGTH = 64;

    private InputInstants() {
    }

    /** The instant, or null when {@code text} is not one in range; never throws. */
    public static Instant parseOrNull(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException | ArithmeticException e2) {
                return null;
            }
        }
        return inRange(instant) ? instant : null;
    }

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    /** The instant in {@code text}; a 400 naming {@code field} when it is not one or lies outside the range. */
    public static Instant require(String field, String text) {
        Instant instant = parseOrNull(text);
        if (instant == null) {
            throw new InvalidInputException(field + " must be an ISO-8601 instant between 1970-01-01T00:00:00Z and "
                    + "9999-12-31T23:59:59Z such as 2026-11-27T19:00:00Z, got " + InputText.quote(text));
        }
        return instant;
    }
}
