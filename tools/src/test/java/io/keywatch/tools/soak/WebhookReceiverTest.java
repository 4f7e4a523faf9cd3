package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.webhooks.WebhookSecret;
import io.keywatch.api.webhooks.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

    @Test
    void keepsEachDeliverysIdTypeAndKeyAndVerifiesItsSignature() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            assertThat(receiver.url()).startsWith("http://127.0.0.1:");
            String body = "{\"type\":\"key.revoked\",\"timestamp\":\"2026-11-27T19:00:03.120Z\",\"data\":{\"keyId\":\"k1\"}}";
            WebhookSecret secret = WebhookSecret.generate();
            receiver.secret(secret.reveal());
            long now = System.currentTimeMillis() / 1000;
            HttpClient http = HttpClient.newHttpClient();
            for (String signature : new String[] {WebhookSigner.signature(secret, "msg_1", now, body.getBytes(StandardCharsets.UTF_8)),
                    "v1,AAAA"}) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(receiver.url()))
                        .header("webhook-id", "msg_1").header("webhook-timestamp", Long.toString(now))
                        .header("webhook-signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).isEqualTo(204);
            }
            assertThat(receiver.deliveries()).containsExactly(
                    new WebhookReceiver.Delivery("msg_1", "key.revoked", "k1", true),
                    new WebhookReceiver.Delivery("msg_1", "key.revoked", "k1", false));
        }
    }
}
