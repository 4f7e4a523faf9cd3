package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyStateRecordsTest {

    private final KeyStateRecords records = new KeyStateRecords();

    private static byte[] state(String keyId, String changedAt, String metadata) {
        return ("{\"keyId\":\"" + keyId + "\",\"status\":\"ACTIVE\",\"changedAt\":\"" + changedAt + "\""
                + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appliesAStateAndDeletesOnATombstone() {
        assertThat(records.read("k1", state("k1", "2026-12-01T00:00:00Z", "{\"expiresAt\":\"2027-01-01T00:00:00Z\"}")))
                .isInstanceOf(KeyStateRecords.Apply.class);
        assertThat(records.read("k1", null)).isEqualTo(new KeyStateRecords.Delete("k1"));
    }

    @Test
    void skipsInstantsNoReaderCanComputeWith() {
        // a hygiene scan stopped at such a key (toEpochMilli overflows) would skip every key after it
        assertThat(records.read("k1", state("k1", "2026-12-01T00:00:00Z", "{\"expiresAt\":\"+999999999-12-31T00:00:00Z\"}")))
                .isInstanceOfSatisfying(KeyStateRecords.Skip.class,
                        skip -> assertThat(skip.why()).contains("expiresAt").contains("years 1 to 9999"));
        assertThat(records.read("k1", state("k1", "2026-12-01T00:00:00Z", "{\"createdAt\":\"-999999999-01-01T00:00:00Z\"}")))
                .isInstanceOf(KeyStateRecords.Skip.class);
        assertThat(records.read("k1", state("k1", "+999999999-01-01T00:00:00Z", null)))
                .isInstanceOf(KeyStateRecords.Skip.class);
    }

    @Test
    void skipsForgedShapesWithoutThrowing() {
        assertThat(records.read(null, state("k1", "2026-12-01T00:00:00Z", null))).isInstanceOf(KeyStateRecords.Skip.class);
        assertThat(records.read("k\u0000", state("k\u0000", "2026-12-01T00:00:00Z", null)))
                .isInstanceOf(KeyStateRecords.Skip.class);
        assertThat(records.read("k1", state("k2", "2026-12-01T00:00:00Z", null))).isInstanceOf(KeyStateRecords.Skip.class);
        assertThat(records.read("k1", "null".getBytes(StandardCharsets.UTF_8))).isInstanceOf(KeyStateRecords.Skip.class);
        assertThat(records.read("k1", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KeyStateRecords.Skip.class);
        String megabyteReason = "x".repeat(1_000_000);
        assertThat(records.read("k1", ("{\"keyId\":\"k1\",\"status\":\"ACTIVE\",\"changedAt\":\"2026-12-01T00:00:00Z\","
                + "\"reason\":\"" + megabyteReason + "\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(KeyStateRecords.Skip.class, skip -> assertThat(skip.why()).contains("bytes"));
    }
}
