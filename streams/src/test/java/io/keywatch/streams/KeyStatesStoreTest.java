package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeyStatesStoreTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void keepsEveryKeysLatestStateWithItsRegistryEntry() {
        KeyMetadata metadata = new KeyMetadata("acme", "billing", List.of("billing:read"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00.123456789Z"), 600, false,
                List.of("DE"), List.of("10.0.0.0/8"), Map.of("volume.floor", 30.0));
        fixture.register("key-1", metadata, minute(0));
        fixture.keyState("key-2", KeyStatus.ACTIVE, minute(0), "created");
        fixture.state(new KeyState("key-1", KeyStatus.REVOKED, minute(1), "leaked", "policy:VOLUME_SPIKE", metadata));

        KeyValueStore<String, KeyState> store = fixture.driver.getKeyValueStore(KeywatchTopology.KEY_STATES_STORE);
        assertThat(store.get("key-1")).isEqualTo(
                new KeyState("key-1", KeyStatus.REVOKED, minute(1), "leaked", "policy:VOLUME_SPIKE", metadata));
        assertThat(store.get("key-2").status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(store.get("key-2").metadata()).isNull();
    }

    @Test
    void toleratesTombstonesAndMalformedValues() {
        fixture.register("key-1", Registry.entry().scopes("a").build(), minute(0));
        fixture.pipeSignedKeyState("key-1", "{not json".getBytes(StandardCharsets.UTF_8), minute(0).plusSeconds(1));
        fixture.pipeSignedKeyState("key-1", "{\"keyId\":\"key-1\",\"status\":\"GONE\"}".getBytes(StandardCharsets.UTF_8),
                minute(0).plusSeconds(2));
        fixture.pipeSignedKeyState("key-1", "null".getBytes(StandardCharsets.UTF_8), minute(0).plusSeconds(3));

        KeyValueStore<String, KeyState> store = fixture.driver.getKeyValueStore(KeywatchTopology.KEY_STATES_STORE);
        assertThat(store.get("key-1").metadata().scopes()).containsExactly("a");

        fixture.pipeSignedKeyState("key-1", (byte[]) null, minute(0).plusSeconds(4));
        assertThat(store.get("key-1")).isNull();
        // and the pipeline goes on
        fixture.send(fixture.event("key-1", minute(0).plusSeconds(5)));
        assertThat(fixture.usageAt("key-1", minute(0)).requests()).isEqualTo(1);
    }
}
