package io.keywatch.api.support;

import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.revocation.RevocationSettings;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;

/**
 * An API service that revokes on the three CRITICAL traffic rules and delivers webhooks to a local receiver, with the
 * clients a test needs to drive it: what the revocation and webhook tests share.
 */
public record WebhookTestStack(ApiSettings settings, AlertsApiService service, ApiClient api, KafkaTestClients kafka,
                               WebhookReceiver receiver) implements AutoCloseable {

    public static WebhookTestStack start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ApiSettings settings = TestServices.settings(postgres, broker)
                .withWebhooks(TestServices.webhooks())
                .withRevocation(RevocationSettings.DEFAULTS.withRules(RevocationSettings.parseRules(
                        "VOLUME_SPIKE:CRITICAL,AUTH_FAILURE_BURST:CRITICAL,REVOKED_KEY_USED:CRITICAL")));
        AlertsApiService service = new AlertsApiService(settings).start();
        return new WebhookTestStack(settings, service, new ApiClient(service.port(), TestServices.TOKEN),
                new KafkaTestClients(broker.bootstrapServers()), new WebhookReceiver());
    }

    @Override
    public void close() {
        kafka.close();
        service.close();
        receiver.close();
    }
}
