package io.keywatch.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * PostgreSQL's text and jsonb cannot hold U+0000: an entry must never fail (and take its change down with it) over
 * one, so it is recorded as the six characters {@code \u0000}. The API refuses NUL in its input anyway; this covers
 * whatever reaches the trail by another way.
 */
final class PgText {

    private static final String NUL = "\u0000";
    private static final String SHOWN = "\\u0000";

    private PgText() {
    }

    static String of(String value) {
        return value == null || !value.contains(NUL) ? value : value.replace(NUL, SHOWN);
    }

    static JsonNode of(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            return text.contains(NUL) ? TextNode.valueOf(of(text)) : node;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(element -> copy.add(of(element)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(of(field.getKey()), of(field.getValue()));
            }
            return copy;
        }
        return node;
    }
}
