package io.keywatch.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.auth.Actor;
import io.keywatch.events.KeywatchJson;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One change to record in the audit trail ({@link AuditTrail#record}).
 *
 * @param at         when the change happened
 * @param actor      who made it
 * @param action     {@code <target>.<verb>} in lower case, e.g. {@code alert.acknowledged}, {@code key.revoked}
 * @param targetType what kind of thing changed: {@code alert}, {@code key}, {@code silence}, {@code webhook}...
 * @param targetId   which one
 * @param before     its state before the change; null when it did not exist. NEVER a secret
 * @param after      its state after the change; null when it is gone. NEVER a secret
 */
public record AuditEntry(Instant at, AuditActor actor, String action, String targetType, String targetId,
                         JsonNode before, JsonNode after) {

    private static final Pattern ACTION = Pattern.compile("[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*");
    /** Turns records and maps into JSON the way the API shows them (ISO instants, no nulls). */
    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("an audit action is <target>.<verb> in lower case, got " + action);
        }
    }

    /** An entry for a change made by {@code actor}; {@code before} and {@code after} are turned into JSON. */
    public static AuditEntry of(Actor actor, Instant at, String action, String targetType, String targetId,
                                Object before, Object after) {
        return new AuditEntry(at, AuditActor.of(actor), action, targetType, targetId, tree(before), tree(after));
    }

    static JsonNode tree(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof JsonNode node ? node : JSON.valueToTree(value);
    }
}
