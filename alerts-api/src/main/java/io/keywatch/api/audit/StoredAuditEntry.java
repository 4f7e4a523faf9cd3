package io.keywatch.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * An entry as the audit trail holds it (one line of {@code GET /api/v1/audit/export}).
 *
 * @param before the stored JSON text (jsonb), or null
 * @param after  the stored JSON text (jsonb), or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "at", "identity", "role", "authMethod", "onBehalfOf", "sourceAddress", "requestId",
        "action", "targetType", "targetId", "before", "after", "prevHash", "hash"})
public record StoredAuditEntry(long id, Instant at, String identity, String role, String authMethod,
                               String onBehalfOf, String sourceAddress, String requestId, String action,
                               String targetType, String targetId, @JsonRawValue String before,
                               @JsonRawValue String after, String prevHash, String hash) {
}
