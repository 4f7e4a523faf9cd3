package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.standalone.dlq.DeadLetterRecord;
import io.keywatch.standalone.dlq.Origin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {

    private static final String A = "sk_" + "live_AAAAAAAAAAAAAAAAAAAAAAAA";
    private static final String B = "gh" + "p_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    private static DeadLetterRecord dead(String key, String value, String header) {
        return new DeadLetterRecord(new Origin("dlq", 0, 1), Instant.EPOCH,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader("keywatch.dlq.reason", header.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void countsEachSecretOncePerPlaceWhereverItIs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("streams.log"), "INFO fine\nWARN key " + A + " rejected\n" + A);
        var shown = new SecretScan(List.of(A, B))
                .deadLetters("key", List.of(dead(A, null, "ok")))
                .deadLetters("value", List.of(dead(null, "{\"keyId\":\"" + B + "\"}", "ok")))
                .deadLetters("header", List.of(dead(null, null, "keyId '" + A + "' late")))
                .deadLetters("clean", List.of(dead("fp_1234", "{\"keyId\":\"fp_1234\"}", "late")))
                .file("streams.log", dir.resolve("streams.log"))
                .file("missing.log", dir.resolve("missing.log"))
                .text("alerts", "[{\"keyId\":\"" + A + "\",\"summary\":\"" + B + "\"}]")
                .shownByPlace();

        assertThat(shown).containsEntry("key", 1L).containsEntry("value", 1L).containsEntry("header", 1L)
                .containsEntry("clean", 0L).containsEntry("streams.log", 1L).containsEntry("missing.log", 0L)
                .containsEntry("alerts", 2L);
    }
}
