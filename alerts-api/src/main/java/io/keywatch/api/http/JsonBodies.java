package io.keywatch.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.keywatch.api.http.InputText.Kind;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON request bodies strictly, and every wrong field is a 400 whose message names it: exactly one JSON value
 * in valid UTF-8 (no trailing tokens), no duplicate keys, at most {@value #MAX_DEPTH} levels deep, only known
 * fields, and every string checked by {@link InputText}. Request size is capped before this by the server
 * ({@link ApiServer#MAX_REQUEST_BYTES}).
 */
public final class JsonBodies {

    static final int MAX_DEPTH = 16;
    /** Longer than any field keywatch accepts; the field's own limit applies after parsing. */
    private static final int MAX_STRING = 16_384;
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_FIELD_NAME = 100;
    private static final ObjectReader STRICT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build())
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** The body as one JSON value, strictly parsed; a 400 when it is empty or not JSON. */
    public static JsonNode tree(Context ctx, String example) {
        byte[] body = ctx.bodyAsBytes();
        if (isBlank(body)) {
            throw new BadRequestResponse("request body must be a JSON object, e.g. " + example);
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BadRequestResponse("request body is not valid JSON" + where + ": "
                    + InputText.escape(e.getOriginalMessage(), 200));
        } catch (IOException e) {
            throw new BadRequestResponse("request body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new BadRequestResponse("request body must be a JSON object, e.g. " + example);
        }
        checkFieldNames(root);
        return root;
    }

    /**
     * Field names at any depth pass {@link InputText} too, before anything else reads or echoes them. The message
     * does not quote the name: it may sit next to a secret (see {@code KeyMetadataParser.refuseSecrets}).
     */
    private static void checkFieldNames(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String problem = InputText.problem(field.getKey(), Kind.SINGLE_LINE, MAX_FIELD_NAME);
                if (problem != null) {
                    throw new BadRequestResponse("a field name in the request body " + problem);
                }
                checkFieldNames(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(JsonBodies::checkFieldNames);
        }
    }

    /**
     * The body as a JSON object. An empty body is an empty object when {@code optional}, a 400 otherwise. Fields
     * outside {@code allowed} are refused, so that a typo (e.g. {@code autorevoke}) never passes silently.
     */
    public static ObjectNode object(Context ctx, boolean optional, Set<String> allowed, String example) {
        if (optional && isBlank(ctx.bodyAsBytes())) {
            return JsonNodeFactory.instance.objectNode();
        }
        return fieldsOf(tree(ctx, example), allowed, example);
    }

    /** {@code root} as an object with only {@code allowed} fields; a 400 otherwise. */
    public static ObjectNode fieldsOf(JsonNode root, Set<String> allowed, String example) {
        if (!root.isObject()) {
            throw new BadRequestResponse("request body must be a JSON object, e.g. " + example);
        }
        ObjectNode object = (ObjectNode) root;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new BadRequestResponse("unknown field " + InputText.quote(name) + ", expected some of "
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
            throw new BadRequestResponse(field + " must be a string, got " + typeOf(node));
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw new BadRequestResponse(field + " must not be blank");
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
            throw new BadRequestResponse(field + " must be an ISO-8601 instant such as 2026-11-27T19:00:00Z, got "
                    + typeOf(node));
        }
        return InputInstants.require(field, node.textValue().strip());
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
            throw new BadRequestResponse(field + " must be a string, got " + typeOf(node));
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw new BadRequestResponse(field + " must not be blank");
        }
        return InputText.require(field, text, kind, maxLength);
    }

    private static String required(String text, String field) {
        if (text == null) {
            throw new BadRequestResponse(field + " is required");
        }
        return text;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
