package io.keywatch.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a usage event from the wire and says precisely what is wrong when it cannot: the reason goes with the
 * record to the dead-letter topic, where the team that produced it will read it. Strict on types (a string is
 * not a number), lenient on unknown fields.
 */
public final class UsageEventParser {

    private final ObjectMapper mapper;

    public UsageEventParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public UsageEventParser() {
        this(KeywatchJson.newMapper());
    }

    /** The outcome of parsing one record: either an event or the reason it was rejected. */
    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(UsageEvent event) implements Result {
    }

    public record Invalid(String reason) implements Result {
    }

    public Result parse(byte[] value) {
        if (value == null || value.length == 0) {
            return new Invalid("empty record value");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            return new Invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Invalid("unreadable value: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return new Invalid("expected a JSON object, got " + (root == null ? "nothing" : describe(root)));
        }
        try {
            UsageEvent event = new UsageEvent(
                    requiredText(root, "eventId"),
                    requiredText(root, "keyId"),
                    requiredTimestamp(root),
                    requiredText(root, "service"),
                    optionalText(root, "method"),
                    optionalText(root, "path"),
                    optionalInt(root, "status"),
                    requiredEnum(root, "authResult", AuthResult.class),
                    optionalText(root, "clientIp"),
                    optionalText(root, "userAgent"),
                    optionalText(root, "country"),
                    optionalInt(root, "latencyMs"),
                    optionalText(root, "scope"),
                    optionalBoolean(root, "tls"),
                    optionalEnum(root, "credentialLocation", CredentialLocation.class));
            return new Valid(event);
        } catch (InvalidField e) {
            return new Invalid(e.getMessage());
        }
    }

    /** Parses a string, for callers that have text (files, HTTP bodies). */
    public Result parse(String value) {
        return parse(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String requiredText(JsonNode root, String field) {
        String text = optionalText(root, field);
        if (text == null) {
            throw new InvalidField("missing required field '" + field + "'");
        }
        if (text.isBlank()) {
            throw new InvalidField("field '" + field + "' must not be blank");
        }
        return text;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        return node.textValue();
    }

    private static Integer optionalInt(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(field, "an integer", node);
        }
        return node.intValue();
    }

    private static Boolean optionalBoolean(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw wrongType(field, "a boolean", node);
        }
        return node.booleanValue();
    }

    private static Instant requiredTimestamp(JsonNode root) {
        String text = requiredText(root, "timestamp");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidField("field 'timestamp' must be an ISO-8601 UTC instant such as "
                    + "2026-11-27T19:00:00.123Z, got '" + text + "'");
        }
    }

    private static <E extends Enum<E>> E requiredEnum(JsonNode root, String field, Class<E> type) {
        E value = optionalEnum(root, field, type);
        if (value == null) {
            throw new InvalidField("missing required field '" + field + "'");
        }
        return value;
    }

    private static <E extends Enum<E>> E optionalEnum(JsonNode root, String field, Class<E> type) {
        String text = optionalText(root, field);
        if (text == null) {
            return null;
        }
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> constant.name().equals(text))
                .findFirst()
                .orElseThrow(() -> new InvalidField("field '" + field + "' has unknown value '" + text
                        + "', expected one of " + Arrays.toString(type.getEnumConstants())));
    }

    private static InvalidField wrongType(String field, String expected, JsonNode node) {
        return new InvalidField("field '" + field + "' must be " + expected + ", got " + describe(node));
    }

    private static String describe(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        String shown = node.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 37) + "...";
        }
        return type.name().toLowerCase(Locale.ROOT) + " " + shown;
    }

    /** Control flow inside the parser only; never escapes it. */
    private static final class InvalidField extends RuntimeException {
        InvalidField(String message) {
            super(message, null, false, false);
        }
    }
}
