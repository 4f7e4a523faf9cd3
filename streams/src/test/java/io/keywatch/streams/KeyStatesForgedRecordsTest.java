package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forged records on the key-state topic (issue #10): each is skipped without touching any key's state, and every
 * valid record after them applies.
 */
class KeyStatesForgedRecordsTest {

    private static final JsonSerde<KeyState> JSON = new JsonSerde<>(KeyState.class);

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    private void raw(String key, String value, Instant at) {
        fixture.pipeSignedKeyState(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), at);
    }

    @Test
    void forgedRecordsAreSkippedAndTheValidOnesAfterThemApply() {
        Instant t = minute(0);
        fixture.keyState("victim", KeyStatus.REVOKED, t, "leaked");
        String fields = "\"status\":\"ACTIVE\",\"changedAt\":\"2026-11-27T19:00:00Z\"";

        fixture.pipeSignedKeyState(null, JSON.toBytes(new KeyState("victim", KeyStatus.ACTIVE, t, "forged", "x")),
                t.plusSeconds(1));                                                         // no key
        raw("victim", "null", t.plusSeconds(2));                                            // JSON null
        fixture.pipeSignedKeyState("victim", new byte[] {(byte) 0xff, 0, 1}, t.plusSeconds(3)); // not JSON
        raw("victim", "{\"keyId\":{\"a\":1}," + fields + "}", t.plusSeconds(4));            // wrong types
        raw("victim", "{\"keyId\":\"victim\",\"status\":\"ACTIVE\",\"changedAt\":[1]}", t.plusSeconds(5));
        fixture.pipeSignedKeyState("victim\u0000",
                JSON.toBytes(new KeyState("victim\u0000", KeyStatus.ACTIVE, t, "nul", "x")), t.plusSeconds(6)); // NUL
        fixture.pipeSignedKeyState("victim\u2028", JSON.toBytes(new KeyState("victim\u2028", KeyStatus.ACTIVE, t,
                "separator", "x")), t.plusSeconds(6));                 // a line separator: no key id, yet no control
        raw("victim", "[".repeat(1_000_000), t.plusSeconds(7));                              // 1 MB, nested
        raw("victim", "{\"keyId\":\"victim\",\"reason\":\"" + "x".repeat(1_000_000) + "\"}", t.plusSeconds(8));
        fixture.state(new KeyState("other", KeyStatus.ACTIVE, t, "ok", "x"));
        raw("victim", new String(JSON.toBytes(new KeyState("other", KeyStatus.ACTIVE, t.plusSeconds(9), "swap", "x")),
                StandardCharsets.UTF_8), t.plusSeconds(9));                                  // another key's state

        KeyValueStore<String, KeyState> store = fixture.driver.getKeyValueStore(KeywatchTopology.KEY_STATES_STORE);
        assertThat(store.get("victim").status()).as("no forged record re-activated the key").isEqualTo(KeyStatus.REVOKED);
        assertThat(store.get("victim\u0000")).isNull();
        assertThat(store.get("victim\u2028")).as("the key-id rule, not just control characters").isNull();
        assertThat(store.get("other").reason()).isEqualTo("ok");

        // valid records after the forged ones apply, a NUL in a free-text field included
        fixture.state(new KeyState("victim", KeyStatus.ACTIVE, t.plusSeconds(10), "false positive \u0000", "api:admin"));
        fixture.keyState("later", KeyStatus.REVOKED, t.plusSeconds(11), "leaked");
        assertThat(store.get("victim").status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(store.get("later").status()).isEqualTo(KeyStatus.REVOKED);
        // and the pipeline goes on
        fixture.send(fixture.event("later", t.plusSeconds(12)));
        assertThat(fixture.usageAt("later", t).requests()).isEqualTo(1);
    }
}
