package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.secrets.SecretBox;
import io.keywatch.api.secrets.SecretKeys;
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
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #13: webhook signing secrets sealed at rest (AES-256-GCM, the subscription id as associated data), the
 * key-encryption key rotated, and a webhook secret rotated with a grace during which both sign. Real PostgreSQL (a
 * fresh database per test), a real receiver, the relay driven by hand on a clock the test moves.
 */
@ExtendWith(SharedInfra.class)
class WebhookSecretsAtRestTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static EmbeddedPostgresServer postgres;

    private HikariDataSource dataSource;
    private ObjectMapper json;
    private Jdbi jdbi;
    private MutableClock clock;
    private WebhookReceiver receiver;
    private WebhookOutbox outbox;
    private RelaySignal signal;

    @BeforeAll
    static void server(EmbeddedPostgresServer server) {
        postgres = server;
    }

    @BeforeEach
    void start() {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        json = KeywatchJson.newMapper();
        clock = new MutableClock(T0);
        receiver = new WebhookReceiver();
        receiver.answerByDefault("/a", Answer.status(200));
        receiver.answerByDefault("/b", Answer.status(200));
        signal = new RelaySignal();
        outbox = new WebhookOutbox(WebhookEvents.create(), signal, clock);
    }

    @AfterEach
    void stop() {
        receiver.close();
        dataSource.close();
    }

    @Test
    void theColumnHoldsNoSecretAndTheRelayStillSignsWithIt() {
        migrate();
        SecretBox box = new SecretBox(TestServices.SECRET_KEYS);
        SubscriptionStore.Created created = store(box).create(receiver.url("/a"), List.of(WebhookEventType.values()),
                null, null, null, "test");
        String id = created.subscription().id();
        String column = column(id, "secret");
        String revealed = created.secret().reveal();
        assertThat(column).startsWith("kek-test:").doesNotContain("whsec_")
                .doesNotContain(revealed.substring(WebhookSecret.PREFIX.length()));
        assertThat(created.subscription().secretFingerprint()).isEqualTo(created.secret().fingerprint());
        assertThat(store(box).find(id).orElseThrow().secretFingerprint()).isEqualTo(created.secret().fingerprint());

        String event = revoke("k1");
        assertThat(relay(box).drainOnce()).isEqualTo(1);
        Received received = receiver.received("/a").get(0);
        assertThat(signatures(received)).containsExactly(expected(created.secret(), event, received));
    }

    @Test
    void clearSecretsFromBeforeV9AreSealedAtStartAndTheKekRotatesIdempotently() {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("8")
                .placeholders(Map.of("appRole", "")).load().migrate();
        WebhookSecret clear = WebhookSecret.generate();
        Jdbi.create(dataSource).useHandle(h -> h.execute("""
                INSERT INTO webhook_subscriptions (id, url, event_types, secret, created_at, created_by, updated_at)
                VALUES ('wh_legacy', ?, ARRAY['key.revoked'], ?, now(), 'test', now())
                """, receiver.url("/a"), clear.reveal()));
        migrate();

        SecretKeys old = SecretKeys.random("kek-1");
        assertThat(new WebhookSecretSealing(jdbi, new SecretBox(old)).run())
                .isEqualTo(new WebhookSecretSealing.Result(1, 0, 0));
        assertThat(column("wh_legacy", "secret")).startsWith("kek-1:").doesNotContain("whsec_");
        assertThat(column("wh_legacy", "secret_fingerprint")).isEqualTo(clear.fingerprint());
        assertThat(new WebhookSecretSealing(jdbi, new SecretBox(old)).run())
                .as("a second start has nothing to do").isEqualTo(new WebhookSecretSealing.Result(0, 0, 0));

        SecretKeys rotated = old.rotatedTo(SecretKeys.random("kek-2"));
        SecretBox box = new SecretBox(rotated);
        assertThat(new WebhookSecretSealing(jdbi, box).run()).isEqualTo(new WebhookSecretSealing.Result(0, 1, 0));
        assertThat(column("wh_legacy", "secret")).startsWith("kek-2:");

        // the old key can go now: the new one alone opens the secret, and it still signs as before
        SecretBox newOnly = new SecretBox(SecretKeys.parse(rotated.toEnvValue().split(",")[0]));
        String event = revoke("k1");
        assertThat(relay(newOnly).drainOnce()).isEqualTo(1);
        Received received = receiver.received("/a").get(0);
        assertThat(signatures(received)).containsExactly(expected(clear, event, received));
    }

    @Test
    void aCiphertextCopiedToAnotherSubscriptionDoesNotOpenAndItsDeliveryIsUnsendable() {
        migrate();
        SecretBox box = new SecretBox(TestServices.SECRET_KEYS);
        SubscriptionStore store = store(box);
        String a = store.create(receiver.url("/a"), List.of(WebhookEventType.values()), null, null, null, "test")
                .subscription().id();
        String b = store.create(receiver.url("/b"), List.of(WebhookEventType.values()), null, null, null, "test")
                .subscription().id();
        // someone with write access to the table gives b the sealed secret of a
        jdbi.useHandle(h -> h.execute("UPDATE webhook_subscriptions SET secret = (SELECT secret FROM "
                + "webhook_subscriptions WHERE id = ?) WHERE id = ?", a, b));

        revoke("k1");
        assertThat(relay(box).drainOnce()).isEqualTo(2);
        assertThat(receiver.received("/a")).hasSize(1);
        assertThat(receiver.received("/b")).as("nothing signed with another row's secret").isEmpty();
        Map<String, Object> delivery = jdbi.withHandle(h -> h.createQuery(
                "SELECT status, last_error FROM webhook_deliveries WHERE subscription_id = :b")
                .bind("b", b).mapToMap().one());
        assertThat(delivery.get("status")).isEqualTo("FAILED");
        assertThat((String) delivery.get("last_error")).contains("does not authenticate");
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneDuringTheGraceThenAlone() {
        migrate();
        SecretBox box = new SecretBox(TestServices.SECRET_KEYS);
        SubscriptionStore store = store(box);
        SubscriptionStore.Created created = store.create(receiver.url("/a"), List.of(WebhookEventType.values()),
                null, null, null, "test");
        String id = created.subscription().id();
        SubscriptionStore.Created rotated = store.rotateSecret(id, 2, "admin", AuditActor.keywatch("admin"))
                .orElseThrow();
        assertThat(rotated.secret()).isNotEqualTo(created.secret());
        assertThat(column(id, "previous_secret")).startsWith("kek-test:").doesNotContain("whsec_");

        WebhookRelay relay = relay(box);
        String during = revoke("k1");
        assertThat(relay.drainOnce()).isEqualTo(1);
        Received first = receiver.received("/a").get(0);
        assertThat(signatures(first)).containsExactly(expected(rotated.secret(), during, first),
                expected(created.secret(), during, first));

        clock.advance(Duration.ofHours(2).plusSeconds(1));
        String after = revoke("k2");
        assertThat(relay.drainOnce()).isEqualTo(1);
        Received second = receiver.received("/a").get(1);
        assertThat(signatures(second)).containsExactly(expected(rotated.secret(), after, second));

        String audit = jdbi.withHandle(h -> h.createQuery("SELECT CAST(before AS text) || CAST(after AS text) "
                        + "FROM audit_log WHERE action = 'webhook.secret-rotated' AND target_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(audit).contains(created.secret().fingerprint(), rotated.secret().fingerprint())
                .doesNotContain("whsec_").doesNotContain("kek-test:");
        assertThat(store.rotateSecret("wh_unknown", 24, "admin", AuditActor.keywatch("admin"))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void migrate() {
        SchemaMigrations.migrate(dataSource);
        jdbi = ApiJdbi.create(dataSource, json);
    }

    private SubscriptionStore store(SecretBox box) {
        return new SubscriptionStore(jdbi, clock, box);
    }

    private WebhookRelay relay(SecretBox box) {
        WebhookSettings settings = TestServices.webhooks().withTimeout(Duration.ofSeconds(3));
        DeliveryStore deliveries = new DeliveryStore(jdbi, clock, signal,
                new WebhookFailingAlerts(new AlertStore(jdbi, json, clock)));
        return new WebhookRelay(deliveries, new WebhookSender(settings.timeout(), settings.timeout(), null, clock),
                settings, signal, clock, 4, box);
    }

    private String column(String id, String column) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + column + " FROM webhook_subscriptions WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    private String revoke(String keyId) {
        WebhookEvent event = WebhookEvents.create().keyStateChanged(
                new KeyState(keyId, KeyStatus.REVOKED, clock.instant(), "test", "test"));
        jdbi.useTransaction(h -> outbox.on(h).enqueue(event, null));
        return event.id();
    }

    private static List<String> signatures(Received received) {
        return List.of(received.headers().getFirst(WebhookSigner.HEADER_SIGNATURE).split(" "));
    }

    private static String expected(WebhookSecret secret, String event, Received received) {
        long timestamp = Long.parseLong(received.headers().getFirst(WebhookSigner.HEADER_TIMESTAMP));
        return WebhookSigner.signature(secret, event, timestamp, received.body());
    }

}
