package io.keywatch.tools.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.RejectCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The hostile records the soak mixes into normal traffic, each with what keywatch should do with it: the target
 * behaviour of issue #10, stated once here and checked by the ledger. A record "dead-lettered" must appear in the
 * usage-event dead-letter topic exactly once, with the reason code {@link #expectedCode()} and a reason;
 * "processed" must not appear there.
 */
public enum HostileKind {
    NUL_IN_KEY_ID(Expectation.DEAD_LETTERED, "field-invalid", "keyId containing \\u0000 (PostgreSQL cannot store it)"),
    TIMESTAMP_OVERFLOW(Expectation.DEAD_LETTERED, "timestamp-out-of-range",
            "timestamp in year +1000000000: epoch-millisecond arithmetic overflows"),
    TIMESTAMP_BEFORE_1970(Expectation.DEAD_LETTERED, "timestamp-out-of-range",
            "timestamp in 1969, before the contract's earliest instant (2000-01-01)"),
    TRAILING_BYTES(Expectation.DEAD_LETTERED, "trailing-data", "a valid JSON object followed by more bytes"),
    OVERLONG_UTF8(Expectation.DEAD_LETTERED, "not-utf8", "overlong UTF-8 encoding of '/' in a field"),
    UTF16_JSON(Expectation.DEAD_LETTERED, "not-utf8", "a valid event encoded as UTF-16"),
    HUGE_KEY_ID(Expectation.DEAD_LETTERED, "too-large", "a 200,000-character keyId (over the 64 KiB record limit)"),
    KEY_ID_257(Expectation.DEAD_LETTERED, "field-invalid",
            "a 257-character keyId: one over the field's limit, within the record's"),
    CONTROL_CHARS(Expectation.DEAD_LETTERED, "field-invalid",
            "ANSI escape sequences and CR/LF in keyId, userAgent and path"),
    DUPLICATE_FIELD(Expectation.DEAD_LETTERED, "duplicate-field",
            "the field keyId twice (parsers disagree on which one wins)"),
    DEEP_NESTING(Expectation.DEAD_LETTERED, "too-large", "an unknown field nested 64 arrays deep (the limit is 16)"),
    SECRET_STRIPE(Expectation.PROCESSED_REDACTED, null, "a Stripe live secret key (sk_live_...) as keyId"),
    SECRET_GITHUB(Expectation.PROCESSED_REDACTED, null, "a GitHub personal access token (ghp_...) as keyId"),
    SECRET_IN_PATH(Expectation.PROCESSED_REDACTED, null, "a Stripe live secret key in the path's query string"),
    LATE(Expectation.DEAD_LETTERED, "late", "an event six hours older than stream time"),
    // must be processed and must not move stream time on: were it to, the next real events would count as late
    FUTURE_WITHIN_SKEW(Expectation.PROCESSED, null, "an event 50 minutes ahead of the clock, within the allowed skew"),
    NOT_JSON(Expectation.DEAD_LETTERED, "invalid-json", "plain text"),
    JSON_ARRAY(Expectation.DEAD_LETTERED, "not-an-object", "a JSON array holding a valid event"),
    MISSING_FIELD(Expectation.DEAD_LETTERED, "missing-field", "required field authResult missing"),
    WRONG_TYPE(Expectation.DEAD_LETTERED, "wrong-type", "status as a string, tls as a number"),
    STATUS_OUT_OF_RANGE(Expectation.DEAD_LETTERED, "field-invalid", "HTTP status 99999"),
    BAD_IP(Expectation.DEAD_LETTERED, "field-invalid", "clientIp 999.300.1.1"),
    BAD_COUNTRY(Expectation.DEAD_LETTERED, "field-invalid", "country that is not ISO 3166-1 alpha-2"),
    EMPTY_VALUE(Expectation.DEAD_LETTERED, "empty", "a zero-byte value"),
    NULL_VALUE(Expectation.DEAD_LETTERED, "empty", "a null value (tombstone)"),
    // the topology re-keys every event by its keyId (a repartition for null or different record keys): a null
    // record key with a valid event is tolerated by design, not an error
    NULL_KEY(Expectation.PROCESSED, null, "a valid event with a null record key");

    /** What keywatch should do with one record of a kind. */
    public enum Expectation {
        /** In the dead-letter topic exactly once, with a reason and a reason code. */
        DEAD_LETTERED,
        /** Not dead-lettered. */
        PROCESSED,
        /**
         * Not dead-lettered, the secret never shown in clear (API, dead letters, logs); a secret as key id also
         * raises a SECRET_IN_TELEMETRY alert.
         */
        PROCESSED_REDACTED
    }

    /** The key id the valid-looking hostile records use (unregistered: UNKNOWN_KEY, once a day). */
    public static final String HOSTILE_KEY_ID = "soak-hostile";

    /** How far ahead of the clock FUTURE_WITHIN_SKEW is: within the streams' default skew of an hour. */
    public static final java.time.Duration FUTURE_OFFSET = java.time.Duration.ofMinutes(50);

    /**
     * Reason codes that mean keywatch failed rather than the record: a hostile record must never be dead-lettered
     * with one of these (the ledger fails on any of them).
     */
    public static final java.util.Set<String> FAILURE_CODES =
            java.util.Set.of(RejectCode.PROCESSING_ERROR.code(), RejectCode.DESERIALIZATION_ERROR.code(),
                    RejectCode.SERIALIZATION_ERROR.code());

    private final Expectation expectation;
    private final String expectedCode;
    private final String description;

    HostileKind(Expectation expectation, String expectedCode, String description) {
        this.expectation = expectation;
        this.expectedCode = expectedCode;
        this.description = description;
    }

    public Expectation expectation() {
        return expectation;
    }

    /** The reason code ({@code io.keywatch.events.RejectCode}) a dead-lettered kind must carry; empty otherwise. */
    public java.util.Optional<String> expectedCode() {
        return java.util.Optional.ofNullable(expectedCode);
    }

    public String description() {
        return description;
    }

    /** One hostile record: its record key and value as raw bytes (either may be null), and the secret it carries. */
    public record Record(HostileKind kind, byte[] key, byte[] value, String secret) {
    }

    /**
     * Builds one record of this kind from {@code template}, a valid event as a JSON object (copied, not changed),
     * stamped {@code now}. Secrets are built at run time from random characters, never written in the source.
     */
    public Record build(ObjectNode template, Instant now, SplittableRandom rng) {
        ObjectNode event = template.deepCopy();
        event.put("keyId", HOSTILE_KEY_ID);
        event.put("timestamp", now.toString());
        String keyId = HOSTILE_KEY_ID;
        byte[] value;
        String secret = null;
        switch (this) {
            case NUL_IN_KEY_ID -> {
                keyId = "soak\u0000nul";
                event.put("keyId", keyId);
                value = utf8(event.toString());
            }
            case TIMESTAMP_OVERFLOW -> value = utf8(event.put("timestamp", "+1000000000-01-01T00:00:00Z").toString());
            case TIMESTAMP_BEFORE_1970 -> value = utf8(event.put("timestamp", "1969-07-20T20:17:40Z").toString());
            case TRAILING_BYTES -> value = utf8(event + " {\"keyId\":\"x\"} trailing");
            case OVERLONG_UTF8 -> {
                event.put("path", "PLACEHOLDER");
                String json = event.toString();
                int at = json.indexOf("PLACEHOLDER");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8(json.substring(0, at)));
                out.writeBytes(new byte[] {'.', '.', (byte) 0xC0, (byte) 0xAF, 'e', 't', 'c'}); // "../etc", '/' overlong
                out.writeBytes(utf8(json.substring(at + "PLACEHOLDER".length())));
                value = out.toByteArray();
            }
            case UTF16_JSON -> value = event.toString().getBytes(StandardCharsets.UTF_16);
            case HUGE_KEY_ID -> {
                keyId = "k".repeat(200_000);
                event.put("keyId", keyId);
                value = utf8(event.toString());
            }
            case KEY_ID_257 -> {
                keyId = "k".repeat(257);
                event.put("keyId", keyId);
                value = utf8(event.toString());
            }
            case DUPLICATE_FIELD -> {
                String json = event.toString();
                value = utf8(json.substring(0, json.length() - 1) + ",\"keyId\":\"soak-other\"}");
            }
            case DEEP_NESTING -> {
                String json = event.toString();
                value = utf8(json.substring(0, json.length() - 1) + ",\"deep\":" + "[".repeat(64) + "]".repeat(64)
                        + "}");
            }
            case SECRET_IN_PATH -> {
                secret = "sk_" + "live_" + alphanumeric(rng, 24);
                value = utf8(event.put("path", "/v1/charges?api_key=" + secret).toString());
            }
            case FUTURE_WITHIN_SKEW ->
                    value = utf8(event.put("timestamp", now.plus(FUTURE_OFFSET).toString()).toString());
            case CONTROL_CHARS -> {
                keyId = "soak\u001b[2J\u001b]0;pwned\u0007";
                event.put("keyId", keyId);
                event.put("userAgent", "curl\u001b[31m\r\nX-Injected: 1");
                event.put("path", "/v1/\r\n\u001b[0m");
                value = utf8(event.toString());
            }
            case SECRET_STRIPE -> {
                secret = "sk_" + "live_" + alphanumeric(rng, 24);
                keyId = secret;
                value = utf8(event.put("keyId", secret).toString());
            }
            case SECRET_GITHUB -> {
                secret = "gh" + "p_" + alphanumeric(rng, 36);
                keyId = secret;
                value = utf8(event.put("keyId", secret).toString());
            }
            case LATE -> value = utf8(event.put("timestamp", now.minusSeconds(6 * 3600).toString()).toString());
            case NOT_JSON -> value = utf8("GET /v1/invoices HTTP/1.1 from 10.0.0.1");
            case JSON_ARRAY -> value = utf8("[" + event + "]");
            case MISSING_FIELD -> {
                event.remove("authResult");
                value = utf8(event.toString());
            }
            case WRONG_TYPE -> value = utf8(event.put("status", "two hundred").put("tls", 1).toString());
            case STATUS_OUT_OF_RANGE -> value = utf8(event.put("status", 99_999).toString());
            case BAD_IP -> value = utf8(event.put("clientIp", "999.300.1.1").toString());
            case BAD_COUNTRY -> value = utf8(event.put("country", "Q1\u00e9").toString());
            case EMPTY_VALUE -> value = new byte[0];
            case NULL_VALUE -> value = null;
            case NULL_KEY -> {
                return new Record(this, null, utf8(event.toString()), null);
            }
            default -> throw new IllegalStateException("no builder for " + this);
        }
        return new Record(this, utf8(keyId), value, secret);
    }

    private static String alphanumeric(SplittableRandom rng, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
