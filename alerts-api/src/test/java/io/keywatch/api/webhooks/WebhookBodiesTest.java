package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.http.JsonBodies;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The webhook routes' bodies bound to records: strict, and every refusal names the field. */
class WebhookBodiesTest {

    @Test
    void aSubscriptionBindsItsFieldsAndReadsItsEventTypesOnceEach() {
        SubscriptionRequest request = bind("{\"url\":\" https://issuer.example.com/hooks \","
                + "\"eventTypes\":[\"key.revoked\",\"key.revoked\",\"alert.created\"],\"owner\":\"team-a\"}",
                SubscriptionRequest.class);
        assertThat(request.url()).isEqualTo("https://issuer.example.com/hooks");
        assertThat(request.types()).containsExactly(WebhookEventType.parse("key.revoked"),
                WebhookEventType.parse("alert.created"));
        assertThat(bind("{\"url\":\"https://x.example.com\"}", SubscriptionRequest.class).types())
                .containsExactly(WebhookEventType.values());
    }

    @Test
    void aWrongSubscriptionIsRefusedNamingTheField() {
        refused("{\"eventTypes\":[\"key.revoked\"]}", SubscriptionRequest.class, "url is required");
        refused("{\"url\":5}", SubscriptionRequest.class, "url must be a string, got number");
        refused("{\"url\":\"https://x\",\"secret\":\"s\"}", SubscriptionRequest.class, "unknown field");
        refused("{\"url\":\"https://x\",\"eventTypes\":\"key.revoked\"}", SubscriptionRequest.class,
                "eventTypes must be an array");
        refused("{\"url\":\"https://x\",\"eventTypes\":[]}", SubscriptionRequest.class,
                "eventTypes must be a non-empty array of");
        refused("{\"url\":\"https://x\",\"eventTypes\":[null]}", SubscriptionRequest.class,
                "eventTypes must be a non-empty array of");
        refused("{\"url\":\"https://x\",\"eventTypes\":[\"key.exploded\"]}", SubscriptionRequest.class,
                "eventTypes: ");
        String tooMany = String.join(",", Collections.nCopies(SubscriptionRequest.MAX_EVENT_TYPES + 1, "\"key.revoked\""));
        refused("{\"url\":\"https://x\",\"eventTypes\":[" + tooMany + "]}", SubscriptionRequest.class,
                "at most " + SubscriptionRequest.MAX_EVENT_TYPES + " entries");
        refused("{\"url\":\"https://x\",\"description\":\"" + "d".repeat(SubscriptionRequest.MAX_DESCRIPTION + 1)
                + "\"}", SubscriptionRequest.class, "description must be at most");
    }

    @Test
    void aRecoveryNeedsSinceAndTakesInstantsOnly() {
        RecoveryWindow window = bind("{\"since\":\"2026-11-27T00:00:00Z\"}", RecoveryWindow.class);
        assertThat(window.sinceInstant()).hasToString("2026-11-27T00:00:00Z");
        assertThat(window.untilInstant()).isNull();
        refused("{}", RecoveryWindow.class, "since is required");
        refused("{\"since\":1764201600}", RecoveryWindow.class, "since must be a string, got number");
        refused("{\"since\":\"yesterday\"}", RecoveryWindow.class, "since must be an ISO-8601 instant");
        refused("{\"since\":\"2026-11-27T00:00:00Z\",\"until\":\"+999999999-12-31T23:59:59Z\"}",
                RecoveryWindow.class, "until must be an ISO-8601 instant between 1970");
        refused("{\"since\":\"2026-11-27T00:00:00Z\",\"from\":\"x\"}", RecoveryWindow.class, "unknown field");
    }

    @Test
    void aRotationDefaultsItsGraceAndKeepsItInRange() {
        assertThat(bind("{}", SecretRotation.class).graceHours()).isEqualTo(SubscriptionStore.DEFAULT_GRACE_HOURS);
        assertThat(bind("{\"graceHours\":0}", SecretRotation.class).graceHours()).isZero();
        refused("{\"graceHours\":" + (SubscriptionStore.MAX_GRACE_HOURS + 1) + "}", SecretRotation.class,
                "graceHours must be a whole number of hours from 0 to " + SubscriptionStore.MAX_GRACE_HOURS);
        refused("{\"graceHours\":-1}", SecretRotation.class, "graceHours must be a whole number of hours");
        refused("{\"graceHours\":\"24\"}", SecretRotation.class, "graceHours must be a whole number in range, got string");
        refused("{\"graceHours\":1.5}", SecretRotation.class, "graceHours must be a whole number in range");
    }

    private static <T> T bind(String body, Class<T> type) {
        return JsonBodies.bind(body.getBytes(StandardCharsets.UTF_8), type, "{}");
    }

    private static void refused(String body, Class<?> type, String message) {
        assertThatThrownBy(() -> bind(body, type)).as(body).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message);
    }
}
