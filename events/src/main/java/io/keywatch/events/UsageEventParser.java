package io.keywatch.events;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one validation boundary of usage events: reads one record value and returns either an event whose every field
 * is within {@link UsageEventLimits}, or a {@link RejectCode} and a reason saying which field is wrong and why. The
 * reason goes with the record to the dead-letter topic, where the team that produced it will read it; values from
 * the record appear in it only escaped and cut ({@link SafeText}). Never throws.
 *
 * <p>The value must be exactly one JSON object in strict UTF-8 ({@link StrictUtf8}): nothing after it, no duplicate
 * field names (parsers disagree on which one wins), at most {@link UsageEventLimits#MAX_RECORD_BYTES}. Strict on
 * types (a string is not a number), lenient on unknown fields, which are skipped (within the nesting and length
 * limits). Reads with Jackson's streaming parser, so a valid event costs its strings and the event, no tree.
 */
public final class UsageEventParser {

    private final JsonFactory factory;

    public UsageEventParser() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(UsageEventLimits.MAX_RECORD_BYTES)
                        .maxStringLength(UsageEventLimits.MAX_RECORD_BYTES)
                        .maxNestingDepth(UsageEventLimits.MAX_NESTING_DEPTH)
                        .maxNameLength(UsageEventLimits.MAX_NAME_CHARS)
                        .maxNumberLength(UsageEventLimits.MAX_NUMBER_CHARS)
                        .build())
                // Jackson's messages quote the offending token ("Unrecognized token 'sk_live_...'"): at most as much
                // of it as any reason quotes, and SafeText then replaces whatever looks like a secret
                .errorReportConfiguration(ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(SafeText.ECHO_CHARS)
                        .maxRawContentLength(SafeText.ECHO_CHARS)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // attacker-chosen names must not go into the JVM's string table
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /** The outcome of parsing one record: either an event or the reason it was rejected. */
    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(UsageEvent event) implements Result {
    }

    /** A rejected record: the reason's kind (for the reason-code header) and the reason in words. */
    public record Invalid(RejectCode code, String reason) implements Result {
    }

    public Result parse(byte[] value) {
        if (value == null || value.length == 0) {
            return new Invalid(RejectCode.EMPTY, "empty record value");
        }
        if (value.length > UsageEventLimits.MAX_RECORD_BYTES) {
            return new Invalid(RejectCode.TOO_LARGE, "record value of " + value.length + " bytes is larger than "
                    + UsageEventLimits.MAX_RECORD_BYTES + " bytes");
        }
        String encoding = StrictUtf8.problem(value);
        if (encoding != null) {
            return new Invalid(RejectCode.NOT_UTF8, "not strict UTF-8: " + encoding);
        }
        try (JsonParser parser = factory.createParser(value)) {
            return read(parser);
        } catch (Reject e) {
            return new Invalid(e.code, e.getMessage());
        } catch (StreamConstraintsException e) {
            return new Invalid(RejectCode.TOO_LARGE, "beyond the parser's limits: " + jacksonMessage(e));
        } catch (JsonParseException e) {
            // Jackson's only signal for a duplicate name is its message
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                return new Invalid(RejectCode.DUPLICATE_FIELD, "duplicate field name: " + jacksonMessage(e));
            }
            return new Invalid(RejectCode.INVALID_JSON, "not valid JSON: " + jacksonMessage(e));
        } catch (IOException | RuntimeException e) {
            return new Invalid(RejectCode.INVALID_JSON, "not valid JSON: " + SafeText.escape(
                    e.getClass().getSimpleName() + ": " + e.getMessage(), 200));
        }
    }

    /** Parses a string, for callers that have text (files, HTTP bodies). */
    public Result parse(String value) {
        return parse(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private Result read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new Reject(RejectCode.NOT_AN_OBJECT, "expected a JSON object, got " + describe(parser, first));
        }
        String eventId = null;
        String keyId = null;
        String timestamp = null;
        String service = null;
        String method = null;
        String path = null;
        Integer status = null;
        String authResult = null;
        String clientIp = null;
        String userAgent = null;
        String country = null;
        Integer latencyMs = null;
        String scope = null;
        Boolean tls = null;
        String credentialLocation = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            switch (name) {
                case "eventId" -> eventId = text(parser, valueToken, name);
                case "keyId" -> keyId = text(parser, valueToken, name);
                case "timestamp" -> timestamp = text(parser, valueToken, name);
                case "service" -> service = text(parser, valueToken, name);
                case "method" -> method = text(parser, valueToken, name);
                case "path" -> path = text(parser, valueToken, name);
                case "status" -> status = integer(parser, valueToken, name);
                case "authResult" -> authResult = text(parser, valueToken, name);
                case "clientIp" -> clientIp = text(parser, valueToken, name);
                case "userAgent" -> userAgent = text(parser, valueToken, name);
                case "country" -> country = text(parser, valueToken, name);
                case "latencyMs" -> latencyMs = integer(parser, valueToken, name);
                case "scope" -> scope = text(parser, valueToken, name);
                case "tls" -> tls = bool(parser, valueToken, name);
                case "credentialLocation" -> credentialLocation = text(parser, valueToken, name);
                default -> parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new Reject(RejectCode.INVALID_JSON, "not valid JSON: object not closed");
        }
        requireNoTrailingData(parser);

        UsageEvent event = new UsageEvent(
                FieldCheck.identifier("eventId", required("eventId", eventId), UsageEventLimits.MAX_EVENT_ID_CHARS),
                FieldCheck.keyId(required("keyId", keyId)),
                timestamp(required("timestamp", timestamp)),
                FieldCheck.identifier("service", required("service", service), UsageEventLimits.MAX_SERVICE_CHARS),
                FieldCheck.method(method),
                FieldCheck.text("path", path, UsageEventLimits.MAX_PATH_CHARS),
                FieldCheck.range("status", status, UsageEventLimits.MIN_STATUS, UsageEventLimits.MAX_STATUS),
                enumValue("authResult", required("authResult", authResult), AuthResult.class),
                FieldCheck.clientIp(clientIp),
                FieldCheck.text("userAgent", userAgent, UsageEventLimits.MAX_USER_AGENT_CHARS),
                FieldCheck.country(country),
                FieldCheck.range("latencyMs", latencyMs, 0, UsageEventLimits.MAX_LATENCY_MS),
                FieldCheck.text("scope", scope, UsageEventLimits.MAX_SCOPE_CHARS),
                tls,
                credentialLocation == null ? null
                        : enumValue("credentialLocation", credentialLocation, CredentialLocation.class));
        return new Valid(event);
    }

    private static void requireNoTrailingData(JsonParser parser) throws IOException {
        JsonToken next;
        try {
            next = parser.nextToken();
        } catch (IOException e) {
            throw new Reject(RejectCode.TRAILING_DATA, "unreadable data after the JSON object: " + jacksonMessage(e));
        }
        if (next != null) {
            throw new Reject(RejectCode.TRAILING_DATA, "data after the JSON object: " + describe(parser, next));
        }
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw new Reject(RejectCode.MISSING_FIELD, "missing required field '" + field + "'");
        }
        return value;
    }

    private static String text(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw wrongType(parser, token, field, "a string");
        }
        return parser.getText();
    }

    private static Integer integer(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(parser, token, field, "an integer");
        }
        if (parser.getNumberType() != JsonParser.NumberType.INT) {
            throw new Reject(RejectCode.FIELD_INVALID, "field '" + field + "' is out of range, got "
                    + SafeText.escape(parser.getText(), SafeText.ECHO_CHARS));
        }
        return parser.getIntValue();
    }

    private static Boolean bool(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw wrongType(parser, token, field, "a boolean");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static Instant timestamp(String text) {
        if (text.length() > UsageEventLimits.MAX_TIMESTAMP_CHARS) {
            throw new Reject(RejectCode.FIELD_INVALID, "field 'timestamp' is longer than "
                    + UsageEventLimits.MAX_TIMESTAMP_CHARS + " characters");
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Reject(RejectCode.FIELD_INVALID, "field 'timestamp' must be an ISO-8601 UTC instant such as "
                    + "2026-11-27T19:00:00.123Z, got " + SafeText.quote(text));
        }
        if (instant.isBefore(UsageEventLimits.EARLIEST) || !instant.isBefore(UsageEventLimits.LATEST)) {
            throw new Reject(RejectCode.TIMESTAMP_OUT_OF_RANGE, "field 'timestamp' " + SafeText.quote(text)
                    + " is outside " + UsageEventLimits.EARLIEST + " .. " + UsageEventLimits.LATEST);
        }
        return instant;
    }

    private static <E extends Enum<E>> E enumValue(String field, String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        throw new Reject(RejectCode.FIELD_INVALID, "field '" + field + "' has unknown value " + SafeText.quote(text)
                + ", expected one of " + Arrays.toString(type.getEnumConstants()));
    }

    private static Reject wrongType(JsonParser parser, JsonToken token, String field, String expected)
            throws IOException {
        return new Reject(RejectCode.WRONG_TYPE, "field '" + field + "' must be " + expected + ", got "
                + describe(parser, token));
    }

    /** The JSON type of the current token, and its text when it is a scalar (escaped, cut). */
    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "string " + SafeText.quote(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + SafeText.escape(parser.getText(), SafeText.ECHO_CHARS);
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + parser.getText();
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String jacksonMessage(JsonProcessingException e) {
        return SafeText.escape(String.valueOf(e.getOriginalMessage()), 200);
    }

    private static String jacksonMessage(IOException e) {
        return e instanceof JsonProcessingException json ? jacksonMessage(json)
                : SafeText.escape(String.valueOf(e.getMessage()), 200);
    }

    /** Control flow inside the parser only; never escapes it. */
    static final class Reject extends RuntimeException {
        final RejectCode code;

        Reject(RejectCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
