package io.keywatch.api.webhooks;

import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the events keywatch sends, each with a new id. Payloads are thin: identifiers, what changed and why,
 * never the key's secret (keywatch never has it) nor an alert's raw evidence (client addresses), which a
 * security team reads through the API.
 */
public final class WebhookEvents {

    private final WebhookIds ids;

    public WebhookEvents(WebhookIds ids) {
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    public static WebhookEvents create() {
        return new WebhookEvents(WebhookIds.create());
    }

    /** {@code key.revoked} for a REVOKED state, {@code key.reinstated} for an ACTIVE one. */
    public WebhookEvent keyStateChanged(KeyState state) {
        WebhookEventType type = state.status() == KeyStatus.REVOKED
                ? WebhookEventType.KEY_REVOKED : WebhookEventType.KEY_REINSTATED;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyId", state.keyId());
        data.put("status", state.status().name());
        data.put("reason", state.reason());
        data.put("changedBy", state.changedBy());
        data.put("changedAt", state.changedAt().toString());
        KeyMetadata metadata = state.metadata();
        if (metadata != null) {
            data.put("owner", metadata.owner());
            data.put("service", metadata.service());
        }
        return new WebhookEvent(ids.next(), type, state.changedAt(), data);
    }

    /** {@code alert.created}. */
    public WebhookEvent alertCreated(Alert alert) {
        return new WebhookEvent(ids.next(), WebhookEventType.ALERT_CREATED,
                alert.detectedAt() != null ? alert.detectedAt() : alert.windowEnd(), alertData(alert));
    }

    /**
     * {@code revocation.pending}: the alert would revoke its key, but automatic revocation does not apply to it
     * (the key is protected, or the policy asks for a person), so someone must decide.
     *
     * @param why why the key was not revoked automatically
     */
    public WebhookEvent revocationPending(Alert alert, String why) {
        Map<String, Object> data = alertData(alert);
        data.put("pendingReason", why);
        return new WebhookEvent(ids.next(), WebhookEventType.REVOCATION_PENDING,
                alert.detectedAt() != null ? alert.detectedAt() : alert.windowEnd(), data);
    }

    private static Map<String, Object> alertData(Alert alert) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", alert.id());
        data.put("keyId", alert.keyId());
        data.put("rule", alert.rule().name());
        data.put("severity", alert.severity().name());
        data.put("summary", alert.summary());
        data.put("windowStart", alert.windowStart().toString());
        data.put("windowEnd", alert.windowEnd().toString());
        data.put("observed", alert.observed());
        data.put("threshold", alert.threshold());
        data.put("baseline", alert.baseline());
        return data;
    }
}
