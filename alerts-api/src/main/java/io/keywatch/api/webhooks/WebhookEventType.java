package io.keywatch.api.webhooks;

import java.util.Arrays;
import java.util.Locale;

/** The event types keywatch sends, with their wire names ({@code key.revoked}, ...). */
public enum WebhookEventType {
    /** A key was revoked, by a person or by the revocation policy. */
    KEY_REVOKED("key.revoked"),
    /** A revoked key was made active again. */
    KEY_REINSTATED("key.reinstated"),
    /** A detector raised an alert about a key. */
    ALERT_CREATED("alert.created"),
    /** An alert would revoke its key but the key is protected from automatic revocation: a person must decide. */
    REVOCATION_PENDING("revocation.pending");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Reads a wire name ({@code key.revoked}); also accepts the constant's name. */
    public static WebhookEventType parse(String text) {
        String wanted = text == null ? "" : text.strip();
        for (WebhookEventType type : values()) {
            if (type.wireName.equals(wanted) || type.name().equals(wanted.toUpperCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown webhook event type '" + text + "'; expected one of "
                + Arrays.stream(values()).map(WebhookEventType::wireName).toList());
    }

    @Override
    public String toString() {
        return wireName;
    }
}
