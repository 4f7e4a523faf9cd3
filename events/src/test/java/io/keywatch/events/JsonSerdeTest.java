package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private final JsonSerde<Alert> serde = new JsonSerde<>(Alert.class);

    @Test
    void roundTripsAnAlertWithIsoTimes() {
        Instant start = Instant.parse("2026-11-27T19:00:00Z");
        Alert alert = new Alert(Alert.idFor(AlertRule.VOLUME_SPIKE, "k1", start), AlertRule.VOLUME_SPIKE,
                Severity.CRITICAL, "k1", start, start.plusSeconds(60), start.plusSeconds(12), start.plusSeconds(13),
                900, 120, 30.0, "900 requests in a minute against a baseline of 30",
                Map.of("topClientIps", Map.of("203.0.113.7", 400)));

        byte[] bytes = serde.serializer().serialize("t", alert);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"windowStart\":\"2026-11-27T19:00:00Z\"");
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(alert);
    }

    @Test
    void alertIdsAreDeterministicPerRuleKeyAndWindow() {
        Instant start = Instant.parse("2026-11-27T19:00:00Z");
        assertThat(Alert.idFor(AlertRule.VOLUME_SPIKE, "k1", start))
                .isEqualTo(Alert.idFor(AlertRule.VOLUME_SPIKE, "k1", start))
                .isNotEqualTo(Alert.idFor(AlertRule.VOLUME_SPIKE, "k2", start))
                .isNotEqualTo(Alert.idFor(AlertRule.AUTH_FAILURE_BURST, "k1", start))
                .isNotEqualTo(Alert.idFor(AlertRule.VOLUME_SPIKE, "k1", start.plusSeconds(60)));
    }

    @Test
    void roundTripsAKeyStateWithAndWithoutRegistryMetadata() {
        JsonSerde<KeyState> states = new JsonSerde<>(KeyState.class);
        Instant at = Instant.parse("2026-11-27T19:00:00Z");
        KeyState bare = new KeyState("k1", KeyStatus.REVOKED, at, "leaked", "api:admin");
        KeyState registered = new KeyState("k2", KeyStatus.ACTIVE, at, "registered", "api:admin",
                new KeyMetadata("team-billing", "billing", List.of("invoices:read"), at, at.plusSeconds(86_400),
                        600, false, List.of("DE", "FR"), List.of("203.0.113.0/24"), Map.of("volume.floor", 50.0)));

        assertThat(states.fromBytes(states.toBytes(bare))).isEqualTo(bare);
        assertThat(states.fromBytes(states.toBytes(registered))).isEqualTo(registered);
        assertThat(registered.metadata().autoRevokeAllowed()).isFalse();
    }

    @Test
    void aCanaryKeepsItsFieldsAndARealKeysRecordIsAsBeforeCanaries() {
        JsonSerde<KeyState> states = new JsonSerde<>(KeyState.class);
        Instant at = Instant.parse("2026-11-27T19:00:00Z");
        KeyState canary = new KeyState("pk_live_x", KeyStatus.ACTIVE, at, null, "api:admin", new KeyMetadata("sec",
                null, null, null, null, null, null, null, null, null, true, "github.com/acme/old-infra/.env"));
        KeyState real = new KeyState("pk_live_y", KeyStatus.ACTIVE, at, null, "api:admin", new KeyMetadata("team",
                null, null, null, null, null, null, null, null, null));

        assertThat(states.fromBytes(states.toBytes(canary))).isEqualTo(canary);
        assertThat(states.fromBytes(states.toBytes(canary)).metadata().canaryKey()).isTrue();
        // no "canary": false for real keys: their records and stored entries stay byte for byte as they were
        assertThat(new String(states.toBytes(real), StandardCharsets.UTF_8)).doesNotContain("canary")
                .doesNotContain("plantedAt");
        // and a record written before canaries reads as a real key
        KeyState old = states.fromBytes(("{\"keyId\":\"k\",\"status\":\"ACTIVE\",\"changedAt\":\"2026-11-27T19:00:00Z\","
                + "\"metadata\":{\"owner\":\"team\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(old.metadata().canaryKey()).isFalse();
        assertThat(old.metadata().plantedAt()).isNull();
    }

    @Test
    void wrapsBadInputInSerializationException() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot read Alert from JSON");
    }
}
