package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesEventSinkTest {

    @Test
    void writesOneParsableWireFormatEventPerLine(@TempDir Path dir) throws Exception {
        UsageEvent full = UsageEvent.of("e-1", "pk_abc", Instant.parse("2026-11-27T19:00:00.123Z"), "billing",
                        AuthResult.OK)
                .withRequest("GET", "/v1/invoices/{id}", 200)
                .withClient("192.0.2.10", "DE", "okhttp/4.12.0")
                .withDetails(42, "billing:read", true, CredentialLocation.HEADER);
        UsageEvent minimal = UsageEvent.of("e-2", "pk_abc", Instant.parse("2026-11-27T19:00:01Z"), "billing",
                AuthResult.INVALID_SECRET);
        Path file = dir.resolve("events.jsonl");

        try (JsonLinesEventSink sink = JsonLinesEventSink.create(file)) {
            sink.accept(full);
            sink.accept(minimal);
            assertThat(sink.written()).isEqualTo(2);
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"timestamp\":\"2026-11-27T19:00:00.123Z\"");
        UsageEventParser parser = new UsageEventParser();
        assertThat(parser.parse(lines.get(0))).isEqualTo(new UsageEventParser.Valid(full));
        assertThat(parser.parse(lines.get(1))).isEqualTo(new UsageEventParser.Valid(minimal));
    }
}
