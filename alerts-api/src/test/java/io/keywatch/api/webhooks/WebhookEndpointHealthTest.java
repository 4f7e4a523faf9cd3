package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.secrets.SecretBox;
import io.keywatch.api.support.MutableClock;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.api.support.TestServices;
import io.keywatch.api.support.WebhookReceiver.Answer;
import io.keywatch.api.support.WebhookReceiver.Received;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #11: deliveries that are not lost. The relay is driven by hand ({@link WebhookRelay#drainOnce()}) on a clock
 * the test moves, against real PostgreSQL (a fresh database per test) and a real HTTP receiver on 127.0.0.1.
 */
@ExtendWith(SharedInfra.class)
class WebhookEndpointHealthTest {

    private static final Instant T0 = Instant.parse("2026-11-27T19:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static EmbeddedPostgresServer postgres;

    private HikariDataSource dataSource;
    private Jdbi jdbi;
    private MutableClock clock;
    private WebhookReceiver receiver;
    private SubscriptionStore subscriptions;
    private DeliveryStore deliveries;
    private WebhookOutbox outbox;
    private WebhookRelay relay;

    @BeforeAll
    static void server(EmbeddedPostgresServer server) {
        postgres = server;
    }

    @BeforeEach
    void start() {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        ObjectMapper json = KeywatchJson.newMapper();
        jdbi = ApiJdbi.create(dataSource, json);
        clock = new MutableClock(T0);
        receiver = new WebhookReceiver();
        RelaySignal signal = new RelaySignal();
        subscriptions = new SubscriptionStore(jdbi, clock, new SecretBox(TestServices.SECRET_KEYS));
        deliveries = new DeliveryStore(jdbi, clock, signal,
                new WebhookFailingAlerts(new AlertStore(jdbi, json, clock)));
        outbox = new WebhookOutbox(WebhookEvents.create(), signal, clock);
        // three attempts 1 s apart, then probes 1, 2, 4, ... min up to 10 min; no jitter, so times are exact
        WebhookSettings settings = TestServices.webhooks()
                .withTimeout(Duration.ofSeconds(3))
                .withRetrySchedule(RetrySchedule.parse("1s,1s").withJitter(0))
                .withProbes(new ProbeSchedule(MINUTE, Duration.ofMinutes(10), 0));
        relay = new WebhookRelay(deliveries, new WebhookSender(settings.timeout(), settings.timeout(), null, clock),
                settings, signal, clock, 4, new SecretBox(TestServices.SECRET_KEYS));
    }

    @AfterEach
    void stop() {
        relay.close();
        receiver.close();
        dataSource.close();
    }

    @Test
    void aReceiverDownForTheWholeScheduleGetsKeyRevokedWithTheSameIdWhenItIsBack() {
        receiver.answerByDefault("/down", Answer.status(503));
        String sub = subscribe("/down");
        String first = revoke("key-1");

        drain(1); // attempt 1
        clock.advance(Duration.ofSeconds(1));
        drain(1); // attempt 2
        clock.advance(Duration.ofSeconds(1));
        drain(1); // attempt 3: the schedule is used up
        Instant failedAt = clock.instant();

        WebhookSubscription failing = subscriptions.find(sub).orElseThrow();
        assertThat(failing.state()).isEqualTo("FAILING");
        assertThat(failing.failingSince()).isEqualTo(failedAt);
        assertThat(failing.lastError()).startsWith("retry schedule used up after 3 attempts").contains("HTTP 503");
        assertThat(failing.nextProbeAt()).isEqualTo(failedAt.plus(MINUTE));
        assertThat(subscriptions.list("FAILING")).extracting(WebhookSubscription::id).containsExactly(sub);
        DeliveryStore.Delivery kept = deliveries.find(sub, first).orElseThrow();
        assertThat(kept.status()).as("kept, not FAILED").isEqualTo("PENDING");
        assertThat(kept.attemptLog()).extracting(DeliveryStore.Attempt::nextStep)
                .containsExactly("RETRY", "RETRY", "ENDPOINT_FAILING");
        assertThat(failingAlerts(sub)).isEqualTo(1);

        // a new event while failing is kept, not sent
        clock.advance(Duration.ofSeconds(10));
        String second = revoke("key-2");
        assertThat(relay.drainOnce()).isZero();
        assertThat(receiver.received("/down")).hasSize(3);

        clock.set(failedAt.plus(MINUTE));
        drain(1); // probe 1: the oldest pending delivery, still down
        assertThat(receiver.received("/down")).extracting(Received::webhookId).containsOnly(first);
        assertThat(subscriptions.find(sub).orElseThrow().nextProbeAt())
                .as("backoff doubles").isEqualTo(failedAt.plus(MINUTE).plus(Duration.ofMinutes(2)));
        clock.advance(MINUTE);
        assertThat(relay.drainOnce()).as("no probe before its time").isZero();

        receiver.answerByDefault("/down", Answer.status(200));
        clock.advance(MINUTE);
        drain(1); // probe 2 is delivered: healthy again
        assertThat(subscriptions.find(sub).orElseThrow().state()).isEqualTo("HEALTHY");
        drain(1); // the kept delivery flows
        List<Received> all = receiver.received("/down");
        assertThat(all).extracting(Received::webhookId).containsExactly(first, first, first, first, first, second);
        assertThat(all.get(4).type()).isEqualTo("key.revoked");
        assertThat(deliveries.find(sub, first).orElseThrow().status()).isEqualTo("DELIVERED");
        assertThat(deliveries.find(sub, second).orElseThrow().status()).isEqualTo("DELIVERED");
        assertThat(failingAlerts(sub)).as("one alert for the episode").isEqualTo(1);
        assertThat(subscriptions.find(sub).orElseThrow().failingSince()).isNull();
    }

    @Test
    void theAttemptIsLoggedInFlightBeforeTheReceiverAnswers() {
        receiver.answerByDefault("/slow", Answer.slow(Duration.ofMillis(1_500)));
        String sub = subscribe("/slow");
        String event = revoke("key-3");

        CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(relay::drainOnce);
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.received("/slow").isEmpty());
        // the receiver holds the request: the log already shows the attempt
        DeliveryStore.Delivery inFlight = deliveries.find(sub, event).orElseThrow();
        assertThat(drained).isNotDone();
        assertThat(inFlight.attempts()).isEqualTo(1);
        assertThat(inFlight.attemptLog()).extracting(DeliveryStore.Attempt::outcome).containsExactly("IN_FLIGHT");

        assertThat(drained.join()).isEqualTo(1);
        DeliveryStore.Delivery done = deliveries.find(sub, event).orElseThrow();
        assertThat(done.attemptLog()).extracting(DeliveryStore.Attempt::outcome).containsExactly("DELIVERED");
        assertThat(done.attempts()).isEqualTo(1);
    }

    @Test
    void anAttemptCutOffByACrashIsCountedAsUnknownAndTheDeliveryIsRetriedWithTheSameId() {
        String sub = subscribe("/crash");
        String event = revoke("key-4");
        // a relay claims the delivery, logs its attempt and dies before it records the outcome
        DeliveryStore.Claim claim = deliveries.claim(1, Duration.ofSeconds(30)).get(0);
        assertThat(deliveries.begin(claim)).isPresent();
        assertThat(deliveries.find(sub, event).orElseThrow().attemptLog())
                .extracting(DeliveryStore.Attempt::outcome).containsExactly("IN_FLIGHT");

        assertThat(relay.drainOnce()).as("its lease keeps the delivery away").isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(deliveries.find(sub, event).orElseThrow().attemptLog())
                .extracting(DeliveryStore.Attempt::outcome).containsExactly("UNKNOWN");
        drain(1);

        DeliveryStore.Delivery delivered = deliveries.find(sub, event).orElseThrow();
        assertThat(delivered.status()).isEqualTo("DELIVERED");
        assertThat(delivered.attempts()).as("the cut-off attempt counts").isEqualTo(2);
        assertThat(delivered.attemptLog()).extracting(DeliveryStore.Attempt::outcome)
                .containsExactly("UNKNOWN", "DELIVERED");
        assertThat(delivered.attemptLog().get(0).error()).contains("outcome never recorded");
        assertThat(receiver.received("/crash")).extracting(Received::webhookId).containsExactly(event);
        // the stale claim's late record cannot take the delivery back
        assertThat(deliveries.begin(claim)).isEmpty();
    }

    @Test
    void recoverQueuesExactlyTheFailedDeliveriesCreatedInTheRange() {
        String sub = subscribe("/recover");
        String before = revoke("key-5");
        clock.advance(MINUTE);
        String inside1 = revoke("key-6");
        clock.advance(MINUTE);
        String inside2 = revoke("key-7");
        clock.advance(MINUTE);
        String after = revoke("key-8");
        // what a 410, a deleted subscription or an old schedule left behind: all four FAILED, never sent
        jdbi.useHandle(h -> h.execute("UPDATE webhook_deliveries SET status = 'FAILED', failed_at = created_at"));

        DeliveryStore.Recovered recovered = deliveries.recover(sub, T0.plus(MINUTE), T0.plus(Duration.ofMinutes(3)));
        DeliveryStore.Recovered again = deliveries.recover(sub, T0.plus(MINUTE), T0.plus(Duration.ofMinutes(3)));

        assertThat(recovered.requeued()).isEqualTo(2);
        assertThat(again.requeued()).as("idempotent").isZero();
        drain(2);
        assertThat(relay.drainOnce()).isZero();
        assertThat(receiver.received("/recover")).extracting(Received::webhookId)
                .containsExactlyInAnyOrder(inside1, inside2);
        assertThat(deliveries.find(sub, before).orElseThrow().status()).isEqualTo("FAILED");
        assertThat(deliveries.find(sub, after).orElseThrow().status()).isEqualTo("FAILED");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String subscribe(String path) {
        return subscriptions.create(receiver.url(path), List.of(WebhookEventType.values()), null, null, null,
                "test").subscription().id();
    }

    /** A key.revoked event in the outbox; returns its id (the webhook-id). */
    private String revoke(String keyId) {
        WebhookEvent event = WebhookEvents.create().keyStateChanged(
                new KeyState(keyId, KeyStatus.REVOKED, clock.instant(), "test", "test"));
        jdbi.useTransaction(h -> outbox.on(h).enqueue(event, null));
        return event.id();
    }

    private void drain(int expected) {
        assertThat(relay.drainOnce()).as("deliveries attempted").isEqualTo(expected);
    }

    private int failingAlerts(String subscriptionId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM alerts WHERE rule = 'WEBHOOK_FAILING' AND key_id = :sub")
                .bind("sub", subscriptionId).mapTo(Integer.class).one());
    }
}
