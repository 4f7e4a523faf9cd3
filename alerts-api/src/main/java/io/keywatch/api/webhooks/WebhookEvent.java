package io.keywatch.api.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event for key issuers, in the Standard Webhooks payload shape
 * {@code {"type":"key.revoked","timestamp":"2026-11-27T19:00:00.123Z","data":{...}}}.
 *
 * <p>The {@code id} travels in the {@code webhook-id} header, not in the body, and stays the same across every
 * retry so that receivers can de-duplicate. Serialize once ({@link #toJson()}), store the bytes in the outbox and
 * sign exactly those bytes on every attempt: re-serializing could change them.
 *
 * @param timestamp when the event happened (not when it is delivered), UTC, millisecond precision
 * @param data      the event's data, serialized in insertion order
 */
public record WebhookEvent(String id, WebhookEventType type, Instant timestamp, Map<String, Object> data) {

    private static final ObjectMapper MAPPER = KeywatchJson.newMapper();

    public WebhookEvent {
        if (id == null || !id.startsWith(WebhookIds.PREFIX) || id.length() == WebhookIds.PREFIX.length()
                || !id.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '.')) {
            throw new IllegalArgumentException("webhook event id must be '" + WebhookIds.PREFIX
                    + "' and printable ASCII without '.', got '" + id + "'");
        }
        Objects.requireNonNull(type, "type");
        timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The body to send: compact JSON, fields in the order type, timestamp, data; null data values left out. */
    public byte[] toJson() {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", type.wireName());
        body.put("timestamp", timestamp.toString());
        body.set("data", MAPPER.valueToTree(data));
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize webhook event " + id + " (" + type + ")", e);
        }
    }
}
