package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.Severity;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #13: any process that could write to {@code keywatch.alerts} could have a key revoked within seconds. Now a
 * CRITICAL alert that keywatch did not sign is quarantined with its reason and revokes nothing, on real Kafka and
 * PostgreSQL, while a signed one still revokes.
 */
@ExtendWith(SharedInfra.class)
class ForgedAlertsTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(30);
    private static final JsonSerde<Alert> JSON = new JsonSerde<>(Alert.class);

    private static RunningApi stack;
    private static ApiSettings settings;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = RunningApi.start(postgres, broker);
        settings = stack.settings();
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
    void forgedCriticalAlertsRevokeNothingAndAreQuarantinedWithTheirReason() {
        String topic = settings.topics().alerts();
        byte[] victimKey = bytes("forged-victim");

        // 1. a plain producer's record: no signature at all
        Alert plain = critical("forged-1", "forged-victim");
        kafka.publishUnsigned(topic, "forged-victim", JSON.toBytes(plain), new RecordHeaders());
        // 2. a genuine signature, made for another key's record, copied onto this one
        byte[] replayedValue = JSON.toBytes(critical("forged-2", "forged-victim"));
        RecordSignatures genuine = new RecordSignatures(TestServices.SIGNING_KEYS);
        kafka.publishUnsigned(topic, "forged-victim", replayedValue,
                genuine.sign(topic, bytes("bystander"), replayedValue, new RecordHeaders()));
        // 3. signed by a key keywatch does not list
        byte[] otherKeyValue = JSON.toBytes(critical("forged-3", "forged-victim"));
        kafka.publishUnsigned(topic, "forged-victim", otherKeyValue,
                new RecordSignatures(RecordSigningKeys.random("api-test"))
                        .sign(topic, victimKey, otherKeyValue, new RecordHeaders()));
        // 4. a genuine alert: still acted on
        kafka.publish(topic, critical("genuine-1", "genuine-key"));

        await().atMost(PROMPTLY).until(() -> api.get("/api/v1/alerts/genuine-1").status() == 200);
        await().atMost(PROMPTLY).until(() -> "REVOKED".equals(
                api.get("/api/v1/keys/genuine-key").json().path("status").asText()));

        List<ConsumerRecord<byte[], byte[]>> quarantined = kafka.records(settings.topics().alertsDlq(), 3);
        Map<String, String> codes = quarantined.stream().collect(Collectors.toMap(
                record -> JSON.fromBytes(record.value()).id(),
                record -> KafkaTestClients.header(record, DeadLetter.REASON_CODE_HEADER)));
        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "forged-1", "unsigned", "forged-2", "bad-signature", "forged-3", "bad-signature"));
        assertThat(quarantined).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(victimKey);
            assertThat(KafkaTestClients.header(record, DeadLetter.REASON_HEADER)).startsWith("not signed by keywatch");
            assertThat(KafkaTestClients.header(record, DeadLetter.ORIGIN_HEADER))
                    .startsWith(topic + "-");
        });
        // the key id of forged-3 is listed, its key is not: a forged signature, not a retired key
        assertThat(quarantined.stream().filter(record -> JSON.fromBytes(record.value()).id().equals("forged-1")))
                .singleElement().satisfies(record -> assertThat(record.value()).isEqualTo(JSON.toBytes(plain)));

        for (String id : List.of("forged-1", "forged-2", "forged-3")) {
            assertThat(api.get("/api/v1/alerts/" + id).status()).isEqualTo(404);
        }
        assertThat(api.get("/api/v1/keys/forged-victim").json().path("status").asText()).isNotEqualTo("REVOKED");
        assertThat(api.get("/api/v1/revocations?keyId=forged-victim").json().path("items")).isEmpty();
        assertThat(api.get("/health").json().at("/components/alertIntake/figures/quarantinedRecords").asLong())
                .isEqualTo(3);
    }

    private static Alert critical(String id, String keyId) {
        return TestAlerts.alert(id, keyId, AlertRule.VOLUME_SPIKE, Severity.CRITICAL, Instant.now());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
