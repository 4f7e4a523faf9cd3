package io.keywatch.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** Reads JSON request bodies strictly: every wrong field is a 400 whose message names it. */
public final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * The body as a JSON object. An empty body is an empty object when {@code optional}, a 400 otherwise. Fields
     * outside {@code allowed} are refused, so that a typo (e.g. {@code autorevoke}) never passes silently.
     */
    public static ObjectNode object(Context ctx, ObjectMapper json, boolean optional, Set<String> allowed,
                                    String example) {
        String body = ctx.body();
        if (body == null || body.isBlank()) {
            if (optional) {
                return json.createObjectNode();
            }
            throw new BadRequestResponse("request body must be a JSON object, e.g. " + example);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestResponse("request body must be a JSON object, e.g. " + example);
        }
        ObjectNode object = (ObjectNode) root;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new BadRequestResponse("unknown field '" + name + "', expected some of "
                        + allowed.stream().sorted().toList());
            }
        }
        return object;
    }

    /** An optional string field: null when absent or JSON null; stripped; 400 when blank or too long. */
    public static String text(ObjectNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadRequestResponse(field + " must be a string, got " + node.getNodeType().name()
                    .toLowerCase(Locale.ROOT));
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw new BadRequestResponse(field + " must not be blank");
        }
        if (text.length() > maxLength) {
            throw new BadRequestResponse(field + " must be at most " + maxLength + " characters, got "
                    + text.length());
        }
        return text;
    }

    public static String requiredText(ObjectNode body, String field, int maxLength) {
        String text = text(body, field, maxLength);
        if (text == null) {
            throw new BadRequestResponse(field + " is required");
        }
        return text;
    }

    /** An optional ISO-8601 instant ({@code 2026-11-27T19:00:00Z}; another offset is accepted too). */
    public static Instant instant(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isTextual() ? node.textValue().strip() : null;
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException ignored) {
                    // falls through to the 400 below
                }
            }
        }
        throw new BadRequestResponse(field + " must be an ISO-8601 instant such as 2026-11-27T19:00:00Z, got "
                + node);
    }
}
