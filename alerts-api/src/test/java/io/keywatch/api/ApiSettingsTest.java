package io.keywatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.Severity;
import io.keywatch.events.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

    @Test
    void usesDocumentedDefaultsForAnEmptyEnvironment() {
        ApiSettings settings = ApiSettings.fromEnv(Map.of());

        assertThat(settings.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(settings.dbUrl()).isEqualTo("jdbc:postgresql://localhost:5432/keywatch");
        assertThat(settings.dbUser()).isEqualTo("keywatch");
        assertThat(settings.dbPassword()).as("no default password").isEmpty();
        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.adminToken()).isNull();
        assertThat(settings.autoRevokeMinSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(settings.consumerGroup()).isEqualTo("keywatch-alerts-api");
        assertThat(settings.topics()).isEqualTo(Topics.DEFAULTS);
        assertThat(settings.alertAutoResolvePeriod()).contains(Duration.ofMinutes(60));
    }

    @Test
    void readsTheAutoResolvePeriodInMinutesWithZeroTurningItOff() {
        assertThat(ApiSettings.fromEnv(Map.of("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", "15")).alertAutoResolvePeriod())
                .contains(Duration.ofMinutes(15));
        assertThat(ApiSettings.fromEnv(Map.of("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", "0")).alertAutoResolvePeriod())
                .isEmpty();
        for (String bad : new String[] {"-1", "soon", "1.5", "999999"}) {
            assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES")
                    .hasMessageContaining(bad);
        }
        assertThat(ApiSettings.defaults().withAlertAutoResolve(Duration.ZERO).withHttpPort(0).alertAutoResolvePeriod())
                .as("with-methods keep it").isEmpty();
    }

    @Test
    void readsEveryVariable() {
        ApiSettings settings = ApiSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", "kafka:29092",
                "KEYWATCH_DB_URL", "jdbc:postgresql://db:5432/kw",
                "KEYWATCH_DB_USER", "kw",
                "KEYWATCH_DB_PASSWORD", "pw",
                "KEYWATCH_HTTP_PORT", "0",
                "KEYWATCH_ADMIN_TOKEN", "s3cret-token",
                "KEYWATCH_AUTO_REVOKE_MIN_SEVERITY", "high",
                "KEYWATCH_API_CONSUMER_GROUP", "group-2",
                "KEYWATCH_TOPIC_ALERTS", "custom.alerts"));

        assertThat(settings.kafkaBootstrap()).isEqualTo("kafka:29092");
        assertThat(settings.dbUrl()).isEqualTo("jdbc:postgresql://db:5432/kw");
        assertThat(settings.dbUser()).isEqualTo("kw");
        assertThat(settings.dbPassword()).isEqualTo("pw");
        assertThat(settings.httpPort()).isZero();
        assertThat(settings.adminToken()).isEqualTo("s3cret-token");
        assertThat(settings.autoRevokeMinSeverity()).isEqualTo(Severity.HIGH);
        assertThat(settings.consumerGroup()).isEqualTo("group-2");
        assertThat(settings.topics().alerts()).isEqualTo("custom.alerts");
        assertThat(settings.topics().keyState()).isEqualTo(Topics.DEFAULTS.keyState());
    }

    @Test
    void noneOrOffDisablesAutomaticRevocation() {
        assertThat(ApiSettings.fromEnv(Map.of("KEYWATCH_AUTO_REVOKE_MIN_SEVERITY", "NONE")).autoRevokeMinimum())
                .isEmpty();
        assertThat(ApiSettings.fromEnv(Map.of("KEYWATCH_AUTO_REVOKE_MIN_SEVERITY", "off")).autoRevokeMinimum())
                .isEmpty();
    }

    @Test
    void rejectsUnknownSeverityNamingTheVariableAndTheChoices() {
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_AUTO_REVOKE_MIN_SEVERITY", "SEVERE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_AUTO_REVOKE_MIN_SEVERITY")
                .hasMessageContaining("SEVERE")
                .hasMessageContaining("CRITICAL")
                .hasMessageContaining("NONE");
    }

    @Test
    void rejectsPortsThatAreNotNumbersOrOutOfRange() {
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_HTTP_PORT", "http")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_HTTP_PORT")
                .hasMessageContaining("'http'");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_HTTP_PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    @Test
    void rejectsBlankValuesAndNonPostgresUrls() {
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_KAFKA_BOOTSTRAP", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_KAFKA_BOOTSTRAP");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_DB_URL", "jdbc:mysql://db/kw")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DB_URL");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_ADMIN_TOKEN", "   ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_ADMIN_TOKEN");
    }

    @Test
    void neverPrintsTheTokenOrThePassword() {
        ApiSettings settings = ApiSettings.fromEnv(Map.of(
                "KEYWATCH_ADMIN_TOKEN", "very-secret-token", "KEYWATCH_DB_PASSWORD", "db-password"));

        assertThat(settings.toString()).doesNotContain("very-secret-token").doesNotContain("db-password");
    }

    @Test
    void kafkaClientSettingsApplyToEveryClientWithoutShowingValues() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"api\" "
                + "password=\"kafka-secret\";";
        ApiSettings settings = ApiSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "SASL_SSL",
                "KEYWATCH_KAFKA_CONFIG_SASL_MECHANISM", "SCRAM-SHA-512",
                "KEYWATCH_API_KAFKA_CONFIG_SASL_JAAS_CONFIG", jaas,
                "KEYWATCH_API_KAFKA_CONFIG_MAX_POLL_RECORDS", "100"));

        var consumer = io.keywatch.api.alerts.AlertConsumer.consumerProperties("k:9092", settings.kafkaClients(), "g");
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", jaas)
                .containsEntry("max.poll.records", "100").containsEntry("group.id", "g")
                .containsEntry("isolation.level", "read_committed");
        assertThat(io.keywatch.api.keys.KafkaKeyStatePublisher.producerProperties("k:9092", settings.kafkaClients()))
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("acks", "all");
        assertThat(settings.withHttpPort(0).kafkaClients()).isEqualTo(settings.kafkaClients());
        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("kafka-secret");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_API_KAFKA_CONFIG_GROUP_ID", "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_API_KAFKA_CONFIG_GROUP_ID would set group.id");
    }

    @Test
    void programmaticOverridesKeepTheOtherValues() {
        ApiSettings settings = ApiSettings.defaults()
                .withAdminToken("t0ken")
                .withHttpPort(0)
                .withDatabase("jdbc:postgresql://localhost:1/x", "u", "p");

        assertThat(settings.adminToken()).isEqualTo("t0ken");
        assertThat(settings.httpPort()).isZero();
        assertThat(settings.dbUrl()).isEqualTo("jdbc:postgresql://localhost:1/x");
        assertThat(settings.kafkaBootstrap()).isEqualTo("localhost:9092");
    }

    @Test
    void serviceRefusesToStartWithoutAnAdminToken() {
        try (AlertsApiService service = new AlertsApiService(ApiSettings.defaults())) {
            assertThatThrownBy(service::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("KEYWATCH_ADMIN_TOKEN");
        }
    }

    @Test
    void readsTheRevocationPolicyAndWebhookSettings() {
        ApiSettings defaults = ApiSettings.fromEnv(Map.of());
        assertThat(defaults.revocation()).isEqualTo(io.keywatch.api.revocation.RevocationSettings.DEFAULTS);
        assertThat(defaults.webhooks()).isEqualTo(io.keywatch.api.webhooks.WebhookSettings.DEFAULTS);

        ApiSettings settings = ApiSettings.fromEnv(Map.of(
                "KEYWATCH_REVOKE_RULES", "VOLUME_SPIKE:CRITICAL",
                "KEYWATCH_REVOKE_DRY_RUN", "true",
                "KEYWATCH_REVOKE_MAX_PER_WINDOW", "5",
                "KEYWATCH_REVOKE_WINDOW_MINUTES", "30",
                "KEYWATCH_WEBHOOK_ALLOW_HTTP", "true",
                "KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS", "250"));

        assertThat(settings.revocation().rules()).containsOnlyKeys(io.keywatch.events.AlertRule.VOLUME_SPIKE);
        assertThat(settings.revocation().dryRun()).isTrue();
        assertThat(settings.revocation().maxPerWindow()).isEqualTo(5);
        assertThat(settings.revocation().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.webhooks().allowHttp()).isTrue();
        assertThat(settings.webhooks().relayInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.withHttpPort(0).withAdminToken("t").revocation()).as("with-methods keep it")
                .isEqualTo(settings.revocation());
        assertThat(settings.toString()).contains("dryRun=true").contains("allowHttp=true");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_REVOKE_MAX_PER_WINDOW", "lots")))
                .hasMessageContaining("KEYWATCH_REVOKE_MAX_PER_WINDOW");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_RETRY_SCHEDULE", "soon")))
                .hasMessageContaining("KEYWATCH_WEBHOOK_RETRY_SCHEDULE");
    }
}
