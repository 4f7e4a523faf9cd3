package io.keywatch.api.support;

import io.keywatch.api.ApiSettings;
import io.keywatch.api.db.MigrationCredentials;
import io.keywatch.api.approvals.FourEyesSettings;
import io.keywatch.api.http.AbuseLimits;
import io.keywatch.api.secrets.SecretKeys;
import io.keywatch.api.webhooks.RetrySchedule;
import io.keywatch.api.webhooks.WebhookAllowList;
import io.keywatch.api.webhooks.WebhookSettings;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Topics;
import io.keywatch.events.signing.RecordSigningKeys;
import java.time.Duration;
import java.util.UUID;

/**
 * Settings for a service under test: its own database, topics and consumer group; an ephemeral HTTP port;
 * auto-resolve off (tests store alerts from the past, which the job would resolve under them); four eyes off (tests
 * change keys with one identity; FourEyesHttpTest turns it on); failed-authentication throttling off (every test
 * client calls from 127.0.0.1, and tests of refusals fail on purpose; AuthThrottleHttpTest turns it on).
 */
public final class TestServices {

    public static final String TOKEN = "test-admin-token-0123456789";
    /** The record signing keys of every test API; {@link KafkaTestClients} signs what it publishes with them. */
    public static final RecordSigningKeys SIGNING_KEYS = RecordSigningKeys.random("api-test");
    /** The keys that seal webhook secrets in every test API. */
    public static final SecretKeys SECRET_KEYS = SecretKeys.random("kek-test");

    private TestServices() {
    }

    /**
     * Webhooks to the in-test receiver on 127.0.0.1 over plain http, with short timeouts and retries
     * ({@code 200ms,400ms,800ms}) and a 100 ms poll.
     */
    public static WebhookSettings webhooks() {
        return WebhookSettings.DEFAULTS
                .withAllowList(WebhookAllowList.parse("localhost,127.0.0.0/8"))
                .withAllowHttp(true)
                .withTimeout(Duration.ofMillis(500))
                .withRetrySchedule(RetrySchedule.parse("200ms,400ms,800ms"))
                .withRelayInterval(Duration.ofMillis(100))
                .withSecretKeys(SECRET_KEYS);
    }

    public static ApiSettings settings(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker kafka) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics("t" + suffix + ".usage-events", "t" + suffix + ".usage-events.dlq",
                "t" + suffix + ".alerts", "t" + suffix + ".key-state");
        ApiSettings defaults = ApiSettings.defaults();
        return defaults
                .withWebhooks(defaults.webhooks().withSecretKeys(SECRET_KEYS))
                .withKafkaBootstrap(kafka.bootstrapServers())
                // as in production: migrations as the owner, the service as a role that owns nothing
                .withDatabase(TestDatabases.createDatabase(postgres), postgres.appUser(), postgres.appPassword())
                .withMigration(new MigrationCredentials(postgres.user(), postgres.password()))
                .withDbAppRole(postgres.appUser())
                .withHttpPort(0)
                .withAdminToken(TOKEN)
                .withTopics(topics)
                .withConsumerGroup("alerts-api-test-" + suffix)
                .withAlertAutoResolve(Duration.ZERO)
                .withFourEyes(FourEyesSettings.OFF)
                .withAbuseLimits(AbuseLimits.DEFAULTS.withAuthFailuresPerMinute(0))
                .withRecordSigningKeys(SIGNING_KEYS);
    }
}
