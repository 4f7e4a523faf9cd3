package io.keywatch.api.leastprivilege;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyIds;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import io.keywatch.events.UsageEventLimits;
import io.keywatch.events.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a record of the key-scopes topic into a {@link KeyScopeUsage} the store may take, or refuses it: keywatch
 * acts only on what keywatch signed ({@link RecordSignatures}, over topic, key and value), and even a signed record
 * must be a sane one (a bug or a leaked signing key must not put rubbish in the report): the key is a valid key id and
 * the value's keyId, at most {@link KeyScopeUsage#MAX_SCOPES} scopes each of which passes the usage-event contract for
 * a scope, and every day between {@link #EARLIEST} and tomorrow (UTC; a day of clock skew).
 */
public final class KeyScopeRecords {

    /** keywatch did not exist before; an earlier day is a bug or a forgery. */
    public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    /** 116 scopes of 256 characters (at most 3 UTF-8 bytes each; JSON escapes only quote and backslash here) fit. */
    public static final int MAX_VALUE_BYTES = 128 * 1024;

    private final RecordSignatures signatures;
    private final JsonSerde<KeyScopeUsage> serde = new JsonSerde<>(KeywatchJson.newMapper(), KeyScopeUsage.class);
    private final Clock clock;

    public KeyScopeRecords(RecordSignatures signatures, Clock clock) {
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The record's usage; {@link RefusedRecordException} when it is not to be stored. */
    public KeyScopeUsage parse(String topic, byte[] key, byte[] value, Headers headers) {
        RecordSignatures.Verdict verdict = signatures.verify(topic, key, value, headers);
        if (!verdict.valid()) {
            throw new RefusedRecordException(verdict.reasonCode(), verdict.reason());
        }
        if (key == null || !SafeText.isValidUtf8(key, key.length)) {
            throw new RefusedRecordException("bad-key", "the record's key is missing or not UTF-8");
        }
        String keyId = new String(key, StandardCharsets.UTF_8);
        String problem = KeyIds.problem(keyId);
        if (problem != null) {
            throw new RefusedRecordException("bad-key", "the record's key " + problem);
        }
        if (value == null) {
            throw new RefusedRecordException("no-value", "the record has no value");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new RefusedRecordException("too-large", "the value has " + value.length + " bytes, more than "
                    + MAX_VALUE_BYTES);
        }
        KeyScopeUsage usage;
        try {
            usage = serde.fromBytes(value);
        } catch (SerializationException e) {
            // the cause's message may quote the value: say only what kind of failure it was
            throw new RefusedRecordException("not-key-scope-usage", "the value is not a KeyScopeUsage JSON object ("
                    + (e.getCause() == null ? "unreadable" : e.getCause().getClass().getSimpleName()) + ")");
        }
        if (usage == null) {
            throw new RefusedRecordException("not-key-scope-usage", "the value is JSON null");
        }
        if (!keyId.equals(usage.keyId())) {
            throw new RefusedRecordException("key-mismatch", "the keyId in the value is not the record key");
        }
        return validated(usage);
    }

    private KeyScopeUsage validated(KeyScopeUsage usage) {
        LocalDate latest = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1);
        checkDay("firstSeen", usage.firstSeen(), latest);
        int index = 0;
        for (Map.Entry<String, LocalDate> entry : usage.lastUsed().entrySet()) {
            String scope = entry.getKey();
            String problem = scopeProblem(scope);
            if (problem != null) {
                throw new RefusedRecordException("bad-scope", "scope #" + index + " " + problem);
            }
            if (entry.getValue() == null) {
                throw new RefusedRecordException("bad-date", "scope #" + index + " has no last-used day");
            }
            checkDay("lastUsed of scope #" + index, entry.getValue(), latest);
            index++;
        }
        return usage;
    }

    private static void checkDay(String field, LocalDate day, LocalDate latest) {
        if (day.isBefore(EARLIEST) || day.isAfter(latest)) {
            throw new RefusedRecordException("bad-date", field + " is " + SafeText.escape(day.toString(), 20)
                    + ", outside " + EARLIEST + " to " + latest);
        }
    }

    /**
     * Null when {@code scope} is one a usage event may carry (the events' rule: 1 to 256 characters, no control,
     * format or separator character, no unpaired surrogate).
     */
    static String scopeProblem(String scope) {
        if (scope.isEmpty() || scope.length() > UsageEventLimits.MAX_SCOPE_CHARS) {
            return "has " + scope.length() + " characters (1 to " + UsageEventLimits.MAX_SCOPE_CHARS + " allowed)";
        }
        for (int i = 0; i < scope.length(); ) {
            int c = scope.codePointAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return "has U+" + String.format(java.util.Locale.ROOT, "%04X", c) + " at index " + i;
            }
            i += Character.charCount(c);
        }
        return null;
    }
}
