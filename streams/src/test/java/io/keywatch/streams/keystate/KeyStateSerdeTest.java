package io.keywatch.streams.keystate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class KeyStateSerdeTest {

    private final KeyStateSerde serde = new KeyStateSerde();

    @Test
    void roundTripsEveryField() {
        KeyState full = new KeyState("key-é", KeyStatus.REVOKED, Instant.parse("2026-03-02T10:00:00.123456789Z"),
                "x".repeat(70_000), "api:admin", new KeyMetadata("acme", "billing", List.of("a", "b"),
                Instant.parse("2026-01-01T00:00:00Z"), null, 100, true, List.of(), null,
                Map.of("volume.floor", 30.0, "scope.deniedRatio", 0.25)));
        KeyState bare = new KeyState("key-2", KeyStatus.ACTIVE, Instant.EPOCH, null, null);

        assertThat(roundTrip(full)).isEqualTo(full);
        assertThat(roundTrip(bare)).isEqualTo(bare);
        assertThat(serde.serializer().serialize("t", null)).isNull();
    }

    @Test
    void roundTripsACanaryAndKeepsRealKeysInTheFirstFormat() {
        KeyMetadata real = new KeyMetadata("acme", "billing", List.of("a"), null, null, null, true, null, null, null);
        KeyMetadata canary = new KeyMetadata("acme", "billing", List.of("a"), null, null, null, true, null, null, null,
                true, "github.com/acme/old-infra/.env");
        KeyState canaryState = new KeyState("pk_live_x", KeyStatus.ACTIVE, Instant.EPOCH, null, null, canary);
        KeyState realState = new KeyState("pk_live_y", KeyStatus.ACTIVE, Instant.EPOCH, null, null, real);

        assertThat(roundTrip(canaryState)).isEqualTo(canaryState);
        assertThat(roundTrip(realState)).isEqualTo(realState);
        assertThat(serde.serializer().serialize("t", realState)[0]).isEqualTo((byte) 1);
        assertThat(serde.serializer().serialize("t", canaryState)[0]).isEqualTo((byte) 2);
    }

    /** A revoked key's state as this serde wrote it while the status was stored by enum position. */
    private static final String REVOKED_BY_POSITION = "01000000056b65792d3101010000000069a55fa000000000000000066c65616b"
            + "6564000000096170693a616c69636500";

    @Test
    void readsAndWritesTheBytesOfTheFormatThatStoredPositions() {
        KeyState revoked = new KeyState("key-1", KeyStatus.REVOKED, Instant.parse("2026-03-02T10:00:00Z"), "leaked",
                "api:alice");
        byte[] stored = HexFormat.of().parseHex(REVOKED_BY_POSITION);

        assertThat(serde.deserializer().deserialize("t", stored)).isEqualTo(revoked);
        assertThat(serde.serializer().serialize("t", revoked)).isEqualTo(stored);
    }

    @Test
    void anUnknownStatusCodeIsASerializationErrorNotAGuess() {
        byte[] stored = HexFormat.of().parseHex(REVOKED_BY_POSITION);
        stored[10] = 7;

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", stored))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown key status code 7");
    }

    @Test
    void rejectsUnknownFormats() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 9");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 0}))
                .isInstanceOf(SerializationException.class);
    }

    private KeyState roundTrip(KeyState state) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));
    }
}
