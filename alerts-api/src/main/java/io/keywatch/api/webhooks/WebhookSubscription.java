package io.keywatch.api.webhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * An endpoint of a key issuer, as the API shows it: never the secret, only its fingerprint.
 *
 * @param eventTypes        the wire names of the events it receives
 * @param owner             only keys registered with this owner; null = any
 * @param service           only keys registered with this service; null = any
 * @param secretFingerprint tells the secret apart without revealing it ({@link WebhookSecret#fingerprint()})
 * @param createdBy         the identity that subscribed it, from its credential
 * @param onBehalfOf        that identity's note of whom it acted for ({@code X-Keywatch-Actor}); null without one
 * @param disabledReason    why it stopped receiving (410 Gone), or null
 * @param state             HEALTHY, or FAILING: a delivery used up its retry schedule; deliveries are kept and the
 *                          endpoint is probed until it answers
 * @param failingSince      when the current failing episode began; null while healthy
 * @param lastError         the last failed attempt's reason (kept after recovery), or null
 * @param nextProbeAt       when a FAILING endpoint is probed next; null while healthy
 */
public record WebhookSubscription(
        String id,
        String url,
        List<String> eventTypes,
        String owner,
        String service,
        String description,
        boolean enabled,
        String disabledReason,
        Instant disabledAt,
        String secretFingerprint,
        Instant createdAt,
        String createdBy,
        String onBehalfOf,
        Instant updatedAt,
        String state,
        Instant failingSince,
        String lastError,
        Instant nextProbeAt,
        @JsonIgnore String secret,
        @JsonIgnore String previousSecret,
        @JsonIgnore Instant previousSecretUntil) {

    public WebhookSubscription {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }

    /** Whether it receives events of this type. */
    public boolean wants(WebhookEventType type) {
        return eventTypes.contains(type.wireName());
    }
}
