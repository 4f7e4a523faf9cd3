package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Signatures are checked with the Standard Webhooks reference library ({@code com.standardwebhooks}), an
 * implementation independent of keywatch's signer, and against the test vector the spec's libraries publish.
 */
class WebhookSignerTest {

    private static final byte[] BODY =
            "{\"type\":\"key.revoked\",\"timestamp\":\"2026-11-27T19:00:00Z\",\"data\":{\"keyId\":\"pk_1\"}}"
                    .getBytes(StandardCharsets.UTF_8);

    @Test
    void reproducesThePublishedStandardWebhooksTestVector() {
        WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        SignedRequest signed = WebhookSigner.of(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signed.signature()).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theReferenceLibraryVerifiesWhatItSigns() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();

        SignedRequest signed = WebhookSigner.of(secret).sign("msg_01JDQ3", now, BODY);

        assertThat(signed.signature()).isEqualTo(new Webhook(secret.reveal()).sign("msg_01JDQ3", now, utf8(BODY)));
        assertThatCode(() -> new Webhook(secret.reveal()).verify(utf8(BODY), asHeaders(signed.headers())))
                .doesNotThrowAnyException();
    }

    @Test
    void aRotatingEndpointGetsOneSignaturePerSecretAndEitherSecretVerifies() {
        WebhookSecret current = WebhookSecret.generate();
        WebhookSecret previous = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();

        SignedRequest signed = WebhookSigner.of(current, previous).sign("msg_rotate", now, BODY);

        assertThat(signed.signature().split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        for (WebhookSecret secret : List.of(current, previous)) {
            assertThatCode(() -> new Webhook(secret.reveal()).verify(utf8(BODY), asHeaders(signed.headers())))
                    .doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> new Webhook(WebhookSecret.generate().reveal())
                .verify(utf8(BODY), asHeaders(signed.headers())))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aTamperedBodyOrIdOrTimestampFailsVerification() {
        WebhookSecret secret = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();
        SignedRequest signed = WebhookSigner.of(secret).sign("msg_tamper", now, BODY);
        Webhook verifier = new Webhook(secret.reveal());

        String tampered = utf8(BODY).replace("pk_1", "pk_2");
        assertThatThrownBy(() -> verifier.verify(tampered, asHeaders(signed.headers())))
                .isInstanceOf(WebhookVerificationException.class);

        Map<String, List<String>> otherId = asHeaders(signed.headers());
        otherId.put("webhook-id", List.of("msg_other"));
        assertThatThrownBy(() -> verifier.verify(utf8(BODY), otherId))
                .isInstanceOf(WebhookVerificationException.class);

        Map<String, List<String>> otherTime = asHeaders(signed.headers());
        otherTime.put("webhook-timestamp", List.of(Long.toString(now - 1)));
        assertThatThrownBy(() -> verifier.verify(utf8(BODY), otherTime))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aReplayedOldAttemptIsRejectedByTheVerifiersTolerance() {
        WebhookSecret secret = WebhookSecret.generate();
        long tenMinutesAgo = Instant.now().getEpochSecond() - 600;

        SignedRequest signed = WebhookSigner.of(secret).sign("msg_old", tenMinutesAgo, BODY);

        assertThatThrownBy(() -> new Webhook(secret.reveal()).verify(utf8(BODY), asHeaders(signed.headers())))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("too old");
    }

    @Test
    void headersCarryIdTimestampSignatureAndJsonContentType() {
        SignedRequest signed = WebhookSigner.of(WebhookSecret.generate()).sign("msg_h", 1764270000L, BODY);

        assertThat(signed.headers())
                .containsEntry("webhook-id", "msg_h")
                .containsEntry("webhook-timestamp", "1764270000")
                .containsEntry("webhook-signature", signed.signature())
                .containsEntry("content-type", "application/json");
        assertThat(signed.body()).isEqualTo(BODY);
    }

    @Test
    void refusesMessageIdsThatWouldBreakTheSignedContentOrTheHeader() {
        WebhookSigner signer = WebhookSigner.of(WebhookSecret.generate());

        assertThatThrownBy(() -> signer.sign("msg_a.b", 1L, BODY)).hasMessageContaining("without '.'");
        assertThatThrownBy(() -> signer.sign("msg a", 1L, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign(" ", 1L, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("msg_ok", -1L, BODY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSignedRequestPrintsNeitherSignatureNorBody() {
        WebhookSecret secret = WebhookSecret.generate();
        SignedRequest signed = WebhookSigner.of(secret).sign("msg_p", 1764270000L, BODY);

        assertThat(signed.toString())
                .contains("msg_p")
                .doesNotContain(signed.signature().substring(3))
                .doesNotContain("pk_1");
        assertThat(WebhookSigner.of(secret).toString()).doesNotContain(secret.reveal().substring(6));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static Map<String, List<String>> asHeaders(Map<String, String> headers) {
        return headers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()), (a, b) -> a,
                        java.util.HashMap::new));
    }
}
