package io.keywatch.api.keys;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.api.canaries.CanaryRequest;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.http.JsonBodies;

/**
 * Any bytes as the body of {@code PUT /api/v1/keys/{keyId}} (screened for secrets, bound, parsed into metadata), of
 * a revocation or reinstatement, and of a canary: a result or an {@link InvalidInputException} (a 400) with a short
 * message, never another exception (a 500). The committed inputs replay on every {@code mvn verify}.
 */
class KeyBodiesFuzzTest {

    @FuzzTest
    void everyBodyIsMetadataOrAnInvalidInput(FuzzedDataProvider data) {
        // the last byte picks the body (Jazzer reads numbers from the end), the rest is the body
        int which = data.consumeInt(0, 2);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            switch (which) {
                case 0 -> KeyMetadataParser.parse(JsonBodies.bind(body, KeyRegistration.class, "{}",
                        KeyMetadataParser::refuseSecrets), "key_live_1");
                case 1 -> JsonBodies.bind(body, KeyChangeReason.class, "{}");
                default -> JsonBodies.bind(body, CanaryRequest.class, "{}", KeyMetadataParser::refuseSecrets);
            }
        } catch (InvalidInputException expected) {
            if (expected.getMessage() == null || expected.getMessage().length() > 2_000) {
                throw new AssertionError("a refusal without a short message", expected);
            }
        }
    }
}
