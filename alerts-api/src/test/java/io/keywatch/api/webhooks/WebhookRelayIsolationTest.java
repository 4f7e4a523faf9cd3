package io.keywatch.api.webhooks;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.api.support.WebhookReceiver.Answer;
import io.keywatch.api.support.WebhookReceiver.Received;
import io.keywatch.api.support.WebhookTestStack;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #10: one delivery never holds up the relay. Against the real service, PostgreSQL and a receiver on
 * 127.0.0.1 (500 ms webhook timeout). Each test uses its own owner, so its revocations reach only its subscriptions.
 */
@ExtendWith(SharedInfra.class)
class WebhookRelayIsolationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static WebhookTestStack stack;
    private static ApiClient api;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = WebhookTestStack.start(postgres, broker);
        api = stack.api();
        receiver = stack.receiver();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDeliveryWhoseSecretCannotSignIsFailedWithItsReasonAndTheOthersAreDelivered() throws SQLException {
        String broken = subscribe("/iso-secret-bad", "team-iso1");
        String fine = subscribe("/iso-secret-ok", "team-iso1");
        // what a bad migration or a hand edit can leave behind (shaped like a sealed secret, which the table
        // requires, but not one); the relay must not retry it after every lease
        sql("UPDATE webhook_subscriptions SET secret = 'k9:not-a:sealed-secret' WHERE id = ?", broken);
        register("iso1-key", "team-iso1");

        revoke("iso1-key");

        await().atMost(TIMEOUT).until(() -> receiver.received("/iso-secret-ok").size() == 1);
        // read from the table: the API's delivery log cannot show a subscription whose secret is unreadable
        DeliveryRow failed = await().atMost(TIMEOUT).until(() -> delivery(broken), d -> d != null
                && d.status().equals("FAILED"));
        assertThat(failed.lastError()).startsWith("not sent: ");
        assertThat(failed.attempts()).isZero();
        assertThat(receiver.received("/iso-secret-bad")).isEmpty();
        assertThat(deliveries(fine, "?status=DELIVERED")).hasSize(1);
    }

    @Test
    void aDeliveryTheHttpClientRefusesToBuildIsFailedAtOnce() throws SQLException {
        String broken = subscribe("/iso-url-bad", "team-iso2");
        // a URL the SSRF guard lets through but HttpClient cannot send: an authority with an empty host part
        sql("UPDATE webhook_subscriptions SET url = ? WHERE id = ?", "http://127.0.0.1:1/a b?token=s3cr3t", broken);
        register("iso2-key", "team-iso2");

        revoke("iso2-key");

        JsonNode failed = await().atMost(TIMEOUT).until(() -> deliveries(broken, "?status=FAILED"),
                items -> items.size() == 1).get(0);
        assertThat(failed.path("lastError").asText()).startsWith("not sent: ").doesNotContain("s3cr3t");
        assertThat(failed.path("attempts").asInt()).isZero();
    }

    @Test
    void aReceiverAnsweringWithANulInItsBodyIsRecordedAsDelivered() {
        String sub = subscribe("/iso-nul", "team-iso3");
        receiver.answerByDefault("/iso-nul",
                Answer.withBody(200, "ok\u0000then\u0001more".getBytes(StandardCharsets.UTF_8)));
        register("iso3-key", "team-iso3");

        revoke("iso3-key");

        JsonNode delivered = await().atMost(TIMEOUT).until(() -> deliveries(sub, "?status=DELIVERED"),
                items -> items.size() == 1).get(0);
        // only the status line is kept: the receiver's NUL-laden body never reaches PostgreSQL
        assertThat(delivered.path("attemptLog").get(0).path("responseBody").asText())
                .startsWith("HTTP/1.1 200").doesNotContain("\u0000").doesNotContain("then");
        assertThat(receiver.received("/iso-nul")).as("recorded once, not resent after a lease").hasSize(1);
    }

    @Test
    void aHangingReceiverDoesNotHoldUpDeliveriesToOthers() {
        String hanging = subscribe("/iso-hang", "team-iso4");
        subscribe("/iso-fast", "team-iso4");
        receiver.answerByDefault("/iso-hang", Answer.slow(Duration.ofSeconds(20)));
        register("iso4-key", "team-iso4");

        Instant revoked = Instant.now();
        revoke("iso4-key");

        Received fast = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> receiver.received("/iso-fast"), list -> !list.isEmpty()).get(0);
        assertThat(Duration.between(revoked, fast.at())).as("not held up by the hanging receiver")
                .isLessThan(Duration.ofSeconds(2));
        JsonNode attempt = await().atMost(TIMEOUT).until(() -> deliveries(hanging, ""),
                // the attempt is logged IN_FLIGHT before it is sent; wait for its outcome
                items -> items.size() == 1 && items.get(0).path("attemptLog").size() >= 1
                        && !items.get(0).path("attemptLog").get(0).path("outcome").asText().equals("IN_FLIGHT"))
                .get(0).path("attemptLog").get(0);
        assertThat(attempt.path("error").asText()).contains("timed out");
        assertThat(attempt.path("latencyMs").asLong()).as("cut at the timeout").isLessThan(3_000);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String subscribe(String path, String owner) {
        Response created = assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"eventTypes\":[\"key.revoked\"],\"owner\":\"" + owner + "\"}"), 201);
        return created.json().path("id").asText();
    }

    private static void register(String keyId, String owner) {
        assertOk(api.put("/api/v1/keys/" + keyId, "{\"owner\":\"" + owner + "\",\"autoRevoke\":true}"), 201);
    }

    private static void revoke(String keyId) {
        assertOk(api.post("/api/v1/keys/" + keyId + "/revoke", "{\"reason\":\"test\"}"), 200);
    }

    private static JsonNode deliveries(String subscriptionId, String query) {
        return api.get("/api/v1/webhooks/" + subscriptionId + "/deliveries" + query).json().path("items");
    }

    record DeliveryRow(String status, String lastError, int attempts) {
    }

    private static DeliveryRow delivery(String subscriptionId) throws SQLException {
        var settings = stack.settings();
        try (Connection connection = DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); PreparedStatement query = connection.prepareStatement(
                "SELECT status, last_error, attempts FROM webhook_deliveries WHERE subscription_id = ?")) {
            query.setString(1, subscriptionId);
            try (var rows = query.executeQuery()) {
                return rows.next() ? new DeliveryRow(rows.getString(1), rows.getString(2), rows.getInt(3)) : null;
            }
        }
    }

    private static void sql(String statement, String... parameters) throws SQLException {
        var settings = stack.settings();
        try (Connection connection = DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); PreparedStatement update = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setString(i + 1, parameters[i]);
            }
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
