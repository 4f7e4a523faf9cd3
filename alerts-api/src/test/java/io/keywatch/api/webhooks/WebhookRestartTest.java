package io.keywatch.api.webhooks;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.api.support.WebhookReceiver.Answer;
import io.keywatch.api.support.WebhookReceiver.Received;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeywatchJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing is lost across a restart: the service stops while a delivery waits for its retry, a relay that "crashed"
 * mid-attempt leaves a claim behind, and the next service instance on the same database delivers it, with the same
 * webhook-id.
 */
@ExtendWith(SharedInfra.class)
class WebhookRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static ApiSettings settings;
    private static WebhookReceiver receiver;
    private static HikariDataSource dataSource;
    private static AlertsApiService service;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        // retries 2 s apart: the first service is surely closed before the schedule runs out
        settings = TestServices.settings(postgres, broker)
                .withWebhooks(TestServices.webhooks().withRetrySchedule(RetrySchedule.parse("2s,2s,2s")));
        receiver = new WebhookReceiver();
        dataSource = DataSources.pooled(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void aDeliveryPendingAcrossARestartAndAnAbandonedClaimArriveWithTheSameWebhookId() {
        AlertsApiService before = new AlertsApiService(settings).start();
        ApiClient api = new ApiClient(before.port(), TestServices.TOKEN);
        receiver.answerByDefault("/r", Answer.status(500));
        JsonNode created = assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url("/r")
                + "\",\"eventTypes\":[\"key.revoked\"]}"), 201).json();
        String secret = created.path("secret").asText();
        String subscriptionId = created.path("id").asText();
        assertOk(api.post("/api/v1/keys/restart-key/revoke", "{\"reason\":\"leaked\"}"), 200);
        Received first = await().atMost(TIMEOUT).until(() -> receiver.received("/r"), l -> !l.isEmpty()).get(0);

        before.close(); // a delivery is waiting for its retry

        Jdbi jdbi = ApiJdbi.create(dataSource, KeywatchJson.newMapper());
        DeliveryStore store = new DeliveryStore(jdbi, Clock.systemUTC(), new RelaySignal());
        String status = jdbi.withHandle(h -> h.createQuery("SELECT status FROM webhook_deliveries")
                .mapTo(String.class).one());
        assertThat(status).isEqualTo("PENDING");
        // a relay claims the due retry and dies before sending: only its lease keeps others away
        Instant due = jdbi.withHandle(h -> h.createQuery("SELECT next_attempt_at FROM webhook_deliveries")
                .mapTo(Instant.class).one());
        await().atMost(TIMEOUT).until(() -> Instant.now().isAfter(due));
        Duration lease = Duration.ofSeconds(4);
        Instant claimedAt = Instant.now();
        assertThat(store.claim(10, lease)).hasSize(1);
        int attemptsBefore = receiver.received("/r").size();
        receiver.answerByDefault("/r", Answer.status(200));

        service = new AlertsApiService(settings).start();

        List<Received> all = await().atMost(TIMEOUT).until(() -> receiver.received("/r"),
                l -> l.size() > attemptsBefore);
        Received delivered = all.get(all.size() - 1);
        assertThat(delivered.at()).as("not before the abandoned claim's lease ran out")
                .isAfterOrEqualTo(claimedAt.plus(lease).minusMillis(50));
        assertThat(all).extracting(Received::webhookId).containsOnly(first.webhookId());
        assertThatCode(() -> new Webhook(secret).verify(delivered.bodyText(), delivered.headers()))
                .doesNotThrowAnyException();
        ApiClient after = new ApiClient(service.port(), TestServices.TOKEN);
        JsonNode delivery = await().atMost(TIMEOUT).until(() -> after.get("/api/v1/webhooks/" + subscriptionId
                + "/deliveries").json().path("items").get(0), d -> d.path("status").asText().equals("DELIVERED"));
        assertThat(delivery.path("id").asText()).isEqualTo(first.webhookId());
        assertThat(delivery.path("attemptLog").findValuesAsText("outcome")).last().isEqualTo("DELIVERED");
    }
}
