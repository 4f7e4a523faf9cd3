package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #10's report, end to end on real Kafka and PostgreSQL: one forged alert whose keyId holds a NUL used to
 * stall all alert intake (PostgreSQL refuses it with SQLState 22P05 and the batch was retried for ever). Now it
 * is quarantined, the alerts after it are stored at once, and /health says so.
 */
@ExtendWith(SharedInfra.class)
class AlertQuarantineTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(20);
    /** As the topology would write it, but with a keyId no database can store: JSON's \u0000 escape. */
    private static final String FORGED = """
            {"id":"poison-1","rule":"VOLUME_SPIKE","severity":"CRITICAL","keyId":"k\\u0000ey",\
            "windowStart":"2026-12-01T10:00:00Z","windowEnd":"2026-12-01T10:01:00Z",\
            "detectedAt":"2026-12-01T10:01:05Z","observed":1200,"threshold":300,"summary":"forged"}""";

    private static RunningApi stack;
    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = RunningApi.start(postgres, broker);
        settings = stack.settings();
        service = stack.service();
        api = stack.api();
        kafka = stack.kafka();
    }

    @AfterAll
    static void stopService() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aForgedAlertWithANulInItsKeyIdIsQuarantinedAndTheAlertsAfterItAreStored() {
        String topic = settings.topics().alerts();
        byte[] forged = FORGED.getBytes(StandardCharsets.UTF_8);
        // one partition key for all, so the valid alerts queue up behind the poison
        kafka.publishRaw(topic, "same-partition", forged);
        List<String> valid = List.of("after-1", "after-2", "after-3");
        for (String id : valid) {
            kafka.publishRaw(topic, "same-partition", new io.keywatch.events.JsonSerde<>(io.keywatch.events.Alert.class)
                    .toBytes(alert(id, "q-key-" + id, AlertRule.VOLUME_SPIKE, Severity.HIGH, Instant.now())));
        }

        for (String id : valid) {
            await().atMost(PROMPTLY).until(() -> api.get("/api/v1/alerts/" + id).status() == 200);
        }

        List<ConsumerRecord<byte[], byte[]>> quarantined = kafka.records(settings.topics().alertsDlq(), 1);
        assertThat(quarantined).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("same-partition".getBytes(StandardCharsets.UTF_8));
            assertThat(record.value()).isEqualTo(forged);
            assertThat(KafkaTestClients.header(record, DeadLetter.REASON_CODE_HEADER)).isEqualTo("invalid-alert");
            assertThat(KafkaTestClients.header(record, DeadLetter.REASON_HEADER))
                    .isEqualTo("invalid alert: keyId must be printable without spaces, but has U+0000 at index 1 "
                            + "(length 4)");
            assertThat(KafkaTestClients.header(record, DeadLetter.ORIGIN_HEADER)).matches(
                    java.util.regex.Pattern.quote(topic) + "-\\d@\\d+");
        });
        assertThat(api.get("/api/v1/alerts/poison-1").status()).isEqualTo(404);

        Response health = api.get("/health");
        assertThat(health.status()).as("degraded, not down: the instance still serves").isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.json().at("/components/alertIntake/status").asText()).isEqualTo("DEGRADED");
        assertThat(health.json().at("/components/alertIntake/figures/quarantinedRecords").asLong()).isEqualTo(1);
        assertThat(health.json().at("/components/alertIntake/figures/lastReasonCode").asText())
                .isEqualTo("invalid-alert");
        assertThat(health.json().at("/components/alertIntake/detail").asText())
                .contains("1 record(s) quarantined to " + settings.topics().alertsDlq());
    }

    @Test
    void postgresRefusingTheNulIsClassifiedPermanentSoTheSafetyNetHoldsWithoutPreValidation() {
        // straight to the store, past the validator: what the consumer's classifier sees from the real driver
        // a NUL in a text column (22021) and in jsonb evidence (22P05, the message of the report)
        io.keywatch.events.Alert inText = alert("poison-2", "k\u0000ey", Severity.LOW, Instant.now());
        io.keywatch.events.Alert good = alert("poison-3", "k-ok", Severity.LOW, Instant.now());
        io.keywatch.events.Alert inJson = new io.keywatch.events.Alert(good.id(), good.rule(), good.severity(),
                good.keyId(), good.windowStart(), good.windowEnd(), good.triggeredAt(), good.detectedAt(),
                good.observed(), good.threshold(), good.baseline(), good.summary(),
                java.util.Map.of("path", "/a\u0000b"));

        for (var poison : List.of(inText, inJson)) {
            assertThatThrownBy(() -> service.alertStore().intake(List.of(poison))).satisfies(failure -> {
                IntakeFailure verdict = new FailureClassifier().classify(failure);
                assertThat(verdict.kind()).isEqualTo(IntakeFailure.Kind.PERMANENT);
                assertThat(verdict.reasonCode().code()).isEqualTo("database-rejected");
                assertThat(((java.sql.SQLException) verdict.decisive()).getSQLState()).isIn("22021", "22P05");
            });
        }
    }
}
