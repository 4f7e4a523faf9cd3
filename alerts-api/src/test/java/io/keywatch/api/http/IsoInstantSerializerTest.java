package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.ApiServer;
import io.keywatch.events.KeywatchJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantSerializerTest {

    private final ObjectMapper standard = KeywatchJson.newMapper();
    private final ObjectMapper fast = ApiServer.responseMapper(standard);

    @Test
    void writesEveryInstantExactlyAsKeywatchsMapperDoes() throws Exception {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2026-11-27T19:00:00.000120Z"),
                Instant.parse("2026-11-27T19:00:00.000000001Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX));
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rng.nextInt(1_000) * 1_000_000;
                case 2 -> rng.nextInt(1_000_000) * 1_000;
                default -> rng.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(rng.nextLong(-70_000_000_000L, 260_000_000_000L), nano));
        }
        for (Instant instant : instants) {
            Map<String, Instant> value = Map.of("at", instant);
            assertThat(fast.writeValueAsString(value)).as(instant.toString())
                    .isEqualTo(standard.writeValueAsString(value));
        }
    }
}
