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
import io.keywatch.api.input.InputText.Kind;
import io.keywatch.api.input.InputText;
import io.keywatch.api.input.JsonFields;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON request bodies strictly, and every wrong field is a 400 whose message names it: exactly one JSON value
 * in valid UTF-8 (no trailing tokens), no duplicate keys, at most {@value #MAX_DEPTH} levels deep, only known
 * fields, and every string checked by {@link InputText}. Request size is capped before this by the server
 * ({@link #MAX_REQUEST_BYTES}).
 */
public final class JsonBodies {

    /** The largest request body accepted (413 beyond); the largest valid body, a key registration, is far smaller. */
    public static final long MAX_REQUEST_BYTES = 64 * 1024;
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

    /** {@link JsonFields#fieldsOf}. */
    public static ObjectNode fieldsOf(JsonNode root, Set<String> allowed, String example) {
        return JsonFields.fieldsOf(root, allowed, example);
    }

    /** {@link JsonFields#text}. */
    public static String text(ObjectNode body, String field, int maxLength) {
        return JsonFields.text(body, field, maxLength);
    }

    /** {@link JsonFields#freeText}. */
    public static String freeText(ObjectNode body, String field, int maxLength) {
        return JsonFields.freeText(body, field, maxLength);
    }

    public static String requiredText(ObjectNode body, String field, int maxLength) {
        return JsonFields.requiredText(body, field, maxLength);
    }

    public static String requiredFreeText(ObjectNode body, String field, int maxLength) {
        return JsonFields.requiredFreeText(body, field, maxLength);
    }

    /** {@link JsonFields#element}. */
    public static String element(JsonNode node, String field, int maxLength) {
        return JsonFields.element(node, field, maxLength);
    }

    /** {@link JsonFields#instant}. */
    public static Instant instant(ObjectNode body, String field) {
        return JsonFields.instant(body, field);
    }

    /** {@link JsonFields#typeOf}. */
    public static String typeOf(JsonNode node) {
        return JsonFields.typeOf(node);
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
