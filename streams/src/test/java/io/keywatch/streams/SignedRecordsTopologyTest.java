package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topology signs the alerts it writes and applies only key states signed by a listed key (issue #13). */
class SignedRecordsTopologyTest {

    private static final JsonSerde<KeyState> JSON = new JsonSerde<>(KeyState.class);

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void forgedKeyStatesAreIgnoredAndCounted() {
        Instant t = minute(0);
        String topic = fixture.settings.topics().keyState();
        fixture.keyState("victim", KeyStatus.REVOKED, t, "leaked");
        byte[] reinstate = JSON.toBytes(new KeyState("victim", KeyStatus.ACTIVE, t.plusSeconds(1), "forged", "x"));

        // unsigned, as a plain producer writes it
        fixture.keyState.pipeInput("victim", reinstate, t.plusSeconds(1));
        // signed by a key that is not listed
        Headers otherKey = new RecordSignatures(RecordSigningKeys.random("topology-test"))
                .sign(topic, bytes("victim"), reinstate, new RecordHeaders());
        fixture.keyState.pipeInput(new TestRecord<>("victim", reinstate, otherKey, t.plusSeconds(2)));
        // a genuine signature of another key's record, replayed on this key
        byte[] bystander = JSON.toBytes(new KeyState("victim", KeyStatus.ACTIVE, t.plusSeconds(3), "forged", "x"));
        Headers replayed = TopologyFixture.SIGNATURES.sign(topic, bytes("bystander"), bystander, new RecordHeaders());
        fixture.keyState.pipeInput(new TestRecord<>("victim", bystander, replayed, t.plusSeconds(3)));
        // a genuine signature made for the alerts topic
        Headers otherTopic = TopologyFixture.SIGNATURES.sign(fixture.settings.topics().alerts(), bytes("victim"),
                reinstate, new RecordHeaders());
        fixture.keyState.pipeInput(new TestRecord<>("victim", reinstate, otherTopic, t.plusSeconds(4)));
        // an unsigned tombstone would forget the revocation
        fixture.keyState.pipeInput("victim", (byte[]) null, t.plusSeconds(5));

        KeyValueStore<String, KeyState> store = fixture.driver.getKeyValueStore(KeywatchTopology.KEY_STATES_STORE);
        assertThat(store.get("victim").status()).isEqualTo(KeyStatus.REVOKED);
        // and the revoked key's use is still flagged
        fixture.send(fixture.event("victim", t.plusSeconds(10)));
        assertThat(fixture.readAlerts(AlertRule.REVOKED_KEY_USED)).hasSize(1);
    }

    @Test
    void keyStateSignedByARetiredButListedKeyApplies() {
        RecordSigningKeys rotated = TopologyFixture.SIGNING_KEYS.rotatedTo(RecordSigningKeys.random("next"));
        fixture.restart(java.util.Map.of(RecordSigningKeys.VAR, rotated.toEnvValue()));
        // signed by topology-test, now second in the list
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        KeyValueStore<String, KeyState> store = fixture.driver.getKeyValueStore(KeywatchTopology.KEY_STATES_STORE);
        assertThat(store.get("key-1").status()).isEqualTo(KeyStatus.REVOKED);
    }

    @Test
    void alertsAreSignedForTheAlertsTopicAndTheirKey() {
        fixture.keyState("key-1", KeyStatus.REVOKED, minute(0), "rotated");
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(1)));
        TestOutputTopic<String, byte[]> raw = fixture.driver.createOutputTopic(fixture.settings.topics().alerts(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        List<TestRecord<String, byte[]>> records = raw.readRecordsToList();
        assertThat(records).isNotEmpty();
        for (TestRecord<String, byte[]> record : records) {
            var verdict = TopologyFixture.SIGNATURES.verify(fixture.settings.topics().alerts(),
                    bytes(record.key()), record.value(), record.headers());
            assertThat(verdict.valid()).as(String.valueOf(verdict)).isTrue();
        }
        Alert first = new JsonSerde<>(Alert.class).fromBytes(records.get(0).value());
        assertThat(first.keyId()).isEqualTo(records.get(0).key());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
