package io.keywatch.events;

import java.time.Duration;
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
        if (raw.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return raw.strip();
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

    /**
     * A port number. Its range (0 to 65535) is left to the settings record, which must check it anyway for the
     * values its with-methods take.
     */
    public int port(String name, int fallback) {
        return read(name, fallback, Integer::parseInt, "a port number");
    }

    /** A whole number of minutes from 0 to {@code maxMinutes}; {@code zeroMeans} says what 0 does, e.g. "off". */
    public Duration minutes(String name, Duration fallback, long maxMinutes, String zeroMeans) {
        return read(name, fallback, text -> {
            long minutes = Long.parseLong(text);
            if (minutes < 0 || minutes > maxMinutes) {
                throw new IllegalArgumentException("out of range");
            }
            return Duration.ofMinutes(minutes);
        }, "a number of minutes from 0 (" + zeroMeans + ") to " + maxMinutes);
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
            throw new IllegalArgumentException(name + " must be " + expected + ", got '" + raw + "'", e);
        }
    }

    private boolean isUnset(String raw) {
        return raw == null || blankIsUnset && raw.isBlank();
    }
}
