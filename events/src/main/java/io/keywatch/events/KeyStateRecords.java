package io.keywatch.events;

import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads one record of the compacted key-state topic the way every reader must (the streams' global store,
 * {@code KeyStatusCache}): a record keywatch did not write, or wrote wrong, is skipped with a reason, never applied,
 * and never thrown past the reader. What is refused: no key, a key that breaks the key-id rule, a value over
 * {@link #MAX_VALUE_BYTES}, a value that is not a key state, another key's state under this key, and instants a
 * reader's arithmetic cannot handle (before year 1 or after 9999: {@code toEpochMilli} overflows near year 292
 * million, and a hygiene scan stopped at such a key would skip every key after it).
 */
public final class KeyStateRecords {

    /** A key's state with its registry entry is a few KiB; anything far beyond is not keywatch's. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final JsonSerde<KeyState> json;

    public KeyStateRecords(JsonSerde<KeyState> json) {
        this.json = json;
    }

    public KeyStateRecords() {
        this(new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class));
    }

    /** What to do with one record. */
    public sealed interface Read permits Apply, Delete, Skip {
    }

    public record Apply(String keyId, KeyState state) implements Read {
    }

    /** A tombstone: the key's state is gone. */
    public record Delete(String keyId) implements Read {
    }

    /** @param why what is wrong, safe to log (no value quoted but escaped and cut) */
    public record Skip(String why) implements Read {
    }

    public Read read(String key, byte[] value) {
        if (key == null) {
            return new Skip("the record has no key");
        }
        String keyProblem = KeyIds.problem(key);
        if (keyProblem != null) {
            // no key keywatch manages breaks the key-id rule (every entry point enforces it): a forged record
            return new Skip("the record key " + keyProblem);
        }
        if (value == null) {
            return new Delete(key);
        }
        if (value.length > MAX_VALUE_BYTES) {
            return new Skip("the value is " + value.length + " bytes, more than " + MAX_VALUE_BYTES);
        }
        KeyState state;
        try {
            state = json.fromBytes(value);
        } catch (SerializationException e) {
            return new Skip(SafeText.escape(String.valueOf(e.getMessage()), 300));
        }
        if (state == null) {
            return new Skip("the value is JSON null, not a key state (a tombstone has no value at all)");
        }
        if (!key.equals(state.keyId())) {
            // compaction keeps one value per record key: another key's state under it is forged or a bug
            return new Skip("the value is the state of key " + SafeText.quote(state.keyId()));
        }
        String instantProblem = instantProblem(state);
        if (instantProblem != null) {
            return new Skip(instantProblem);
        }
        return new Apply(key, state);
    }

    private static String instantProblem(KeyState state) {
        String problem = outOfRange("changedAt", state.changedAt());
        if (problem == null && state.metadata() != null) {
            problem = outOfRange("createdAt", state.metadata().createdAt());
            if (problem == null) {
                problem = outOfRange("expiresAt", state.metadata().expiresAt());
            }
        }
        return problem;
    }

    private static String outOfRange(String field, Instant instant) {
        return instant != null && (instant.isBefore(EARLIEST) || instant.isAfter(LATEST))
                ? field + " " + instant + " is outside the years 1 to 9999" : null;
    }
}
