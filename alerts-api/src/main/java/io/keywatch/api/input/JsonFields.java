package io.keywatch.api.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputText.Kind;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The fields of a parsed JSON body, each checked by {@link InputText}: a wrong one is an
 * {@link InvalidInputException} (a 400 at the edge) naming it. No HTTP here, so that the domain's own parsers
 * (e.g. {@code KeyMetadataParser}) can use it; reading the body itself is {@code http.JsonBodies}.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** {@code root} as an object with only {@code allowed} fields; a 400 otherwise. */
    public static ObjectNode fieldsOf(JsonNode root, Set<String> allowed, String example) {
        if (!root.isObject()) {
            throw new InvalidInputException("request body must be a JSON object, e.g. " + example);
        }
        ObjectNode object = (ObjectNode) root;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidInputException("unknown field " + InputText.quote(name) + ", expected some of "
                        + allowed.stream().sorted().toList());
            }
        }
        return object;
    }

    /** An optional single-line string field (an id, a name, a URL): null when absent or JSON null; stripped. */
    public static String text(ObjectNode body, String field, int maxLength) {
        return text(body, field, Kind.SINGLE_LINE, maxLength);
    }

    /** An optional free-text field (a note, a reason, a comment): line breaks and tabs allowed. */
    public static String freeText(ObjectNode body, String field, int maxLength) {
        return text(body, field, Kind.MULTI_LINE, maxLength);
    }

    public static String requiredText(ObjectNode body, String field, int maxLength) {
        return required(text(body, field, maxLength), field);
    }

    public static String requiredFreeText(ObjectNode body, String field, int maxLength) {
        return required(freeText(body, field, maxLength), field);
    }

    /** A string of an array or object inside the body, e.g. {@code scopes[2]}: not blank, stripped, checked. */
    public static String element(JsonNode node, String field, int maxLength) {
        if (!node.isTextual()) {
            throw new InvalidInputException(field + " must be a string, got " + typeOf(node));
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw new InvalidInputException(field + " must not be blank");
        }
        return InputText.require(field, text, Kind.SINGLE_LINE, maxLength);
    }

    /**
     * An optional ISO-8601 instant ({@code 2026-11-27T19:00:00Z}; another offset is accepted too) between 1970 and
     * 9999 ({@link InputInstants}).
     */
    public static Instant instant(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field + " must be an ISO-8601 instant such as 2026-11-27T19:00:00Z, got "
                    + typeOf(node));
        }
        return InputInstants.require(field, node.textValue().strip());
    }

    /**
     * A string field of a record bound by {@code http.JsonBodies.bind}, checked in its compact constructor: null
     * stays null (absent or JSON null); otherwise stripped, not blank, single line, at most {@code maxLength}.
     */
    public static String checkedText(String field, String value, int maxLength) {
        return checked(field, value, Kind.SINGLE_LINE, maxLength);
    }

    /** {@link #checkedText} for free text (a note, a reason): line breaks and tabs allowed. */
    public static String checkedFreeText(String field, String value, int maxLength) {
        return checked(field, value, Kind.MULTI_LINE, maxLength);
    }

    /** {@code value}, or a 400 saying that {@code field} is required when it is null. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidInputException(field + " is required");
        }
        return value;
    }

    private static String checked(String field, String value, Kind kind, int maxLength) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.isEmpty()) {
            throw new InvalidInputException(field + " must not be blank");
        }
        return InputText.require(field, text, kind, maxLength);
    }

    /** The JSON type of a node, for messages that must not echo a (possibly huge) value. */
    public static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String text(ObjectNode body, String field, Kind kind, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field + " must be a string, got " + typeOf(node));
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw new InvalidInputException(field + " must not be blank");
        }
        return InputText.require(field, text, kind, maxLength);
    }

    private static String required(String text, String field) {
        if (text == null) {
            throw new InvalidInputException(field + " is required");
        }
        return text;
    }
}
