package io.keywatch.events;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Typed reads of environment variables for the settings classes. An absent variable keeps the default given; a
 * present one is stripped of surrounding whitespace and parsed. Every error is an {@link IllegalArgumentException}
 * whose message names the variable and the value it got, e.g. "KEYWATCH_SIM_KEYS must be a whole number, got 'many'".
 *
 * <p>Whether a blank value counts as unset depends on how the reader was made: {@link #of(Map)} treats it as unset,
 * {@link #strict(Map)} as a mistake.
 */
public final class Env {

    private final Map<String, String> variables;
    private final boolean blankIsUnset;

    private Env(Map<String, String> variables, boolean blankIsUnset) {
        this.variables = Objects.requireNonNull(variables, "variables");
        this.blankIsUnset = blankIsUnset;
    }

    /** A reader for which a blank value means unset (so {@code KEYWATCH_X=} in a compose file keeps the default). */
    public static Env of(Map<String, String> variables) {
        return new Env(variables, true);
    }

    /**
     * A reader for which only an absent variable is unset: a blank value is read like any other, so {@link #text}
     * rejects it ("must not be blank") and the numeric reads fail to parse it.
     */
    public static Env strict(Map<String, String> variables) {
        return new Env(variables, false);
    }

    /** The stripped value, or {@code fallback} when unset. */
    public String text(String name, String fallback) {
        String raw = variables.get(name);
        if (isUnset(raw)) {
            return fallback;
        }
        return requireText(raw, name).strip();
    }

    /** A whole number that fits an {@code int}. */
    public int integer(String name, int fallback) {
        return read(name, fallback, Integer::parseInt, "a whole number");
    }

    /** A whole number greater than 0. */
    public int positiveInteger(String name, int fallback) {
        int value = integer(name, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be greater than 0, got " + value);
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public int integer(String name, int fallback, int min, int max) {
        return read(name, fallback, text -> (int) within(text, min, max), "a whole number from " + min + " to " + max);
    }

    /**
     * A port number. Its range (0 to 65535) is left to the settings record, which must check it anyway for the
     * values its with-methods take.
     */
    public int port(String name, int fallback) {
        return read(name, fallback, Integer::parseInt, "a port number");
    }

    /** A whole number of minutes from 0 to {@code maxMinutes}; {@code zeroMeans} says what 0 does, e.g. "off". */
    public Duration minutes(String name, Duration fallback, long maxMinutes, String zeroMeans) {
        return read(name, fallback, text -> Duration.ofMinutes(within(text, 0, maxMinutes)),
                "a number of minutes from 0 (" + zeroMeans + ") to " + maxMinutes);
    }

    /**
     * A whole number of milliseconds greater than 0. A value that is not a number and one that is not positive get
     * different messages, so that "10s" is told it needs plain milliseconds.
     */
    public Duration positiveMillis(String name, Duration fallback) {
        Long millis = read(name, null, Long::parseLong, "a whole number of milliseconds");
        if (millis == null) {
            return fallback;
        }
        if (millis <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number of milliseconds, got " + millis);
        }
        return Duration.ofMillis(millis);
    }

    /** A switch: true, yes, 1 or on; false, no, 0 or off; in any case. */
    public boolean bool(String name, boolean fallback) {
        return read(name, fallback, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("not a switch");
        }, "true or false");
    }

    /**
     * Any other value: {@code parser} gets the stripped text and throws {@link IllegalArgumentException} (a
     * {@link NumberFormatException} included) for one it cannot use; the error then says the variable
     * "must be {@code expected}, got '...'".
     */
    public <T> T read(String name, T fallback, Function<String, T> parser, String expected) {
        String raw = variables.get(name);
        if (isUnset(raw)) {
            return fallback;
        }
        try {
            return parser.apply(raw.strip());
        } catch (IllegalArgumentException e) {
            // quoted escaped and cut: a pasted secret or a binary blob must not reach the start-up log as it is
            throw new IllegalArgumentException(name + " must be " + expected + ", got " + SafeText.quote(raw), e);
        }
    }

    /**
     * Like {@link #read}, for a secret (a key, a password): the error says the variable "must be {@code expected}" and
     * why, but never quotes the value it got. The parser's exception message is the "why": it must not quote the value.
     */
    public <T> T secret(String name, T fallback, Function<String, T> parser, String expected) {
        String raw = variables.get(name);
        if (isUnset(raw)) {
            return fallback;
        }
        try {
            return parser.apply(raw.strip());
        } catch (IllegalArgumentException e) {
            // the cause's message may quote the value: only the parser's own reason text is passed on, no cause
            throw new IllegalArgumentException(name + " must be " + expected + " (the value, not shown, is "
                    + e.getMessage() + ")");
        }
    }

    /** The number in {@code text}; a {@link NumberFormatException} when it is not one or lies outside [min, max]. */
    private static long within(String text, long min, long max) {
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new NumberFormatException("out of range");
        }
        return value;
    }

    /**
     * A settings record's own check of a text field, however it was set (from the environment, a factory or a
     * with-method): {@code value}, or an error naming the field when it is null or blank.
     */
    public static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    private boolean isUnset(String raw) {
        return raw == null || blankIsUnset && raw.isBlank();
    }
}
