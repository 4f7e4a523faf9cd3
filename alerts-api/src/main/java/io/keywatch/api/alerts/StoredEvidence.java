package io.keywatch.api.alerts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.util.Map;

/**
 * An alert's evidence as PostgreSQL holds it, written into responses as it is instead of being parsed into a map
 * only to be written out again (about 8 % of a list request's CPU).
 *
 * <p>Writing stored text raw is safe only because it is certain to be one JSON value: the column is {@code jsonb},
 * which PostgreSQL accepts only as valid JSON and always prints as valid JSON. So the only way in is
 * {@link #fromJsonb}, for the text of a {@code jsonb} column. PostgreSQL prints {@code {"a": 1, "b": [2, 3]}}; the
 * spaces outside strings are dropped and {@code \\u} escapes written in upper case, so the answer keeps the bytes the
 * parse-and-rewrite wrote ({@code {"a":1,"b":[2,3]}}). What can still differ is the spelling, never the value, of a
 * fraction PostgreSQL's numeric prints in full where Java wrote an exponent ({@code 0.00010} for {@code 1.0E-4}).
 */
public final class StoredEvidence implements JsonSerializable {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** No evidence: an empty object. */
    public static final StoredEvidence EMPTY = new StoredEvidence("{}");

    private final String json;

    private StoredEvidence(String json) {
        this.json = json;
    }

    /** The text of a {@code jsonb} value as PostgreSQL prints it; null (no column) is {@link #EMPTY}. */
    static StoredEvidence fromJsonb(String jsonbText) {
        return jsonbText == null ? EMPTY : new StoredEvidence(compact(jsonbText));
    }

    /** The evidence as compact JSON text. */
    public String json() {
        return json;
    }

    /** The evidence parsed, for the few callers that read its values rather than pass it on. */
    public Map<String, Object> toMap(ObjectMapper mapper) {
        try {
            return mapper.readValue(json, MAP);
        } catch (IOException e) {
            throw new IllegalStateException("stored evidence is not a JSON object", e);
        }
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(json);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }

    /**
     * Drops the whitespace outside strings and upper-cases the hex digits of {@code \\u} escapes, as Jackson writes
     * them. Assumes valid JSON, which a {@code jsonb} column's text is.
     */
    static String compact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inString = false;
        int hexLeft = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!inString) {
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    continue;
                }
                inString = c == '"';
                out.append(c);
            } else if (hexLeft > 0) {
                out.append(Character.toUpperCase(c));
                hexLeft--;
            } else if (c == '\\') {
                char next = text.charAt(++i);
                out.append(c).append(next);
                hexLeft = next == 'u' ? 4 : 0;
            } else {
                inString = c != '"';
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredEvidence that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        // evidence quotes attacker strings: never into a log line by accident
        return "StoredEvidence[" + json.length() + " chars]";
    }
}
