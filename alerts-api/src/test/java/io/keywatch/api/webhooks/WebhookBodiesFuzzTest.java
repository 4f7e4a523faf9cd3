package io.keywatch.api.webhooks;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.http.JsonBodies;

/**
 * Any bytes as the body of {@code POST /api/v1/webhooks} (bound, its event types read), of a recovery and of a
 * secret rotation: a record or an {@link InvalidInputException} (a 400) with a short message, never another
 * exception (a 500). The committed inputs replay on every {@code mvn verify}.
 */
class WebhookBodiesFuzzTest {

    @FuzzTest
    void everyBodyIsARecordOrAnInvalidInput(FuzzedDataProvider data) {
        // the last byte picks the body (Jazzer reads numbers from the end), the rest is the body
        int which = data.consumeInt(0, 2);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            switch (which) {
                case 0 -> JsonBodies.bind(body, SubscriptionRequest.class, "{}").types();
                case 1 -> {
                    RecoveryWindow window = JsonBodies.bind(body, RecoveryWindow.class, "{}");
                    window.sinceInstant();
                    window.untilInstant();
                }
                default -> JsonBodies.bind(body, SecretRotation.class, "{}");
            }
        } catch (InvalidInputException expected) {
            if (expected.getMessage() == null || expected.getMessage().length() > 2_000) {
                throw new AssertionError("a refusal without a short message", expected);
            }
        }
    }
}
