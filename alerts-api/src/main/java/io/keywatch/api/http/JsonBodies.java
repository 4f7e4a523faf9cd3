package io.keywatch.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.javalin.http.Context;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputText.Kind;
import io.keywatch.api.input.InputText;
import io.keywatch.api.input.JsonFields;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

    /**
     * Binds checked trees to records: no unknown field, no null for a primitive, and no coercion of scalars (a
     * number is never read as a string nor a string as a number, "" is never null, one value is never an array).
     */
    private static final ObjectReader RECORDS = recordReader();
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private JsonBodies() {
    }

    private static ObjectReader recordReader() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.coercionConfigDefaults()
                .setAcceptBlankAsEmpty(false)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean, LogicalType.Enum, LogicalType.Collection, LogicalType.Array, LogicalType.POJO}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper.reader()
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .without(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                        DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT,
                        DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS);
    }

    /**
     * The body bound to the record {@code type}, whose compact constructor checks its own fields
     * ({@link JsonFields#checkedText}). Parsed strictly (see the class comment); every refusal is a 400 naming the field.
     */
    public static <T> T bind(Context ctx, Class<T> type, String example) {
        return bind(ctx.bodyAsBytes(), type, example);
    }

    /** {@link #bind(Context, Class, String)} for a body that may be left out: an empty body binds as {@code {}}. */
    public static <T> T bindOptional(Context ctx, Class<T> type, String example) {
        byte[] body = ctx.bodyAsBytes();
        return bind(isBlank(body) ? EMPTY_OBJECT : body, type, example);
    }

    /**
     * {@link #bind(Context, Class, String)} on the bytes: an {@link InvalidInputException} (a 400) for every body
     * that is not exactly one valid {@code type}, nothing else.
     */
    public static <T> T bind(byte[] body, Class<T> type, String example) {
        return bind(body, type, example, root -> { });
    }

    /**
     * {@link #bind(Context, Class, String)} after {@code screen} has seen the parsed tree: a check that must come
     * before any message could quote the body (e.g. refusing secrets, whose names or neighbours a "wrong type" or
     * "unknown field" message would otherwise repeat). {@code screen} throws an {@link InvalidInputException}.
     */
    public static <T> T bind(Context ctx, Class<T> type, String example, Consumer<JsonNode> screen) {
        return bind(ctx.bodyAsBytes(), type, example, screen);
    }

    /** {@link #bind(Context, Class, String, Consumer)} on the bytes. */
    public static <T> T bind(byte[] body, Class<T> type, String example, Consumer<JsonNode> screen) {
        JsonNode root = checkedTree(body, example);
        screen.accept(root);
        if (!root.isObject()) {
            throw new InvalidInputException("request body must be a JSON object, e.g. " + example);
        }
        try {
            return RECORDS.forType(type).readValue(root);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException("request body is not valid" + at(e) + ", e.g. " + example);
        } catch (UnrecognizedPropertyException e) {
            // the name is the attacker's (it may be a secret pasted in the wrong place): never quoted; where it sits
            // is made of known field names and indices only
            String parent = parentPath(e);
            throw new InvalidInputException("unknown field" + (parent.isEmpty() ? "" : " in " + parent)
                    + ", expected some of " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
        } catch (JsonMappingException e) {
            String path = path(e);
            if (path.isEmpty()) {
                throw new InvalidInputException("request body must be a JSON object, e.g. " + example);
            }
            JsonNode node = root.at(pointer(e));
            throw new InvalidInputException(path + " must be " + expected(targetOf(e, type)) + ", got "
                    + (node.isMissingNode() ? "another type" : JsonFields.typeOf(node)));
        } catch (IOException e) {
            throw new InvalidInputException("request body could not be read as " + type.getSimpleName()
                    + ": " + InputText.escape(e.getMessage(), 120));
        }
    }

    /** The field path of a mapping failure, e.g. {@code scopes[2]}; field names were checked before binding. */
    private static String path(JsonMappingException e) {
        return path(e.getPath());
    }

    /** The path of the object holding an unknown field: the path without its last step, the unknown name. */
    private static String parentPath(UnrecognizedPropertyException e) {
        List<JsonMappingException.Reference> refs = e.getPath();
        return refs.isEmpty() ? "" : path(refs.subList(0, refs.size() - 1));
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static JsonPointer pointer(JsonMappingException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                pointer = pointer.appendProperty(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                pointer = pointer.appendIndex(ref.getIndex());
            }
        }
        return pointer;
    }

    private static String at(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? "" : " at " + path;
    }

    /**
     * The Java type the failing field binds to: Jackson names it for a mismatch, not for a number out of range, so
     * then the record's own component of that name.
     */
    private static Class<?> targetOf(JsonMappingException e, Class<?> type) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return mismatch.getTargetType();
        }
        if (e.getPath().size() == 1 && type.isRecord()) {
            String field = e.getPath().get(0).getFieldName();
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(field)) {
                    return component.getType();
                }
            }
        }
        return null;
    }

    /** What the field should have been, from the Java type it binds to. */
    private static String expected(Class<?> target) {
        if (target == null) {
            return "a valid value";
        }
        if (target == String.class || target.isEnum()) {
            return "a string";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class
                || target == Short.class || target == short.class) {
            return "a whole number in range";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        return "an object";
    }

    /** One strictly parsed JSON value with checked field names; an {@link InvalidInputException} otherwise. */
    private static JsonNode checkedTree(byte[] body, String example) {
        if (isBlank(body)) {
            throw new InvalidInputException("request body must be a JSON object, e.g. " + example);
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidInputException("request body is not valid JSON" + where + ": "
                    + InputText.escape(e.getOriginalMessage(), 200));
        } catch (IOException e) {
            throw new InvalidInputException("request body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidInputException("request body must be a JSON object, e.g. " + example);
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
                    throw new InvalidInputException("a field name in the request body " + problem);
                }
                checkFieldNames(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(JsonBodies::checkFieldNames);
        }
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
