package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.RejectCode;
import io.keywatch.events.UsageEventParser;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each hostile kind's expected reason code is what the real parser says: the ledger's expectations must not drift
 * from keywatch's behaviour. LATE is valid to the parser (only the topology knows stream time).
 */
class HostileKindParserTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private final UsageEventParser parser = new UsageEventParser();

    private static ObjectNode template() throws Exception {
        return (ObjectNode) KeywatchJson.newMapper().readTree("{\"eventId\":\"6f0c1a8e-0000-4000-8000-000000000001\","
                + "\"keyId\":\"key_1\",\"timestamp\":\"2026-12-06T10:00:00Z\",\"service\":\"billing\","
                + "\"method\":\"GET\",\"path\":\"/v1/charges\",\"authResult\":\"OK\",\"status\":200,"
                + "\"clientIp\":\"10.0.0.1\",\"country\":\"DE\",\"latencyMs\":12,\"tls\":true}");
    }

    @ParameterizedTest
    @EnumSource(HostileKind.class)
    void theParserAgreesWithTheExpectedReasonCode(HostileKind kind) throws Exception {
        HostileKind.Record record = kind.build(template(), NOW, new SplittableRandom(7));
        UsageEventParser.Result result = parser.parse(record.value());
        if (kind == HostileKind.LATE) {
            assertThat(result).isInstanceOf(UsageEventParser.Valid.class);
            assertThat(kind.expectedCode()).contains(RejectCode.LATE.code());
        } else if (kind.expectation() == HostileKind.Expectation.DEAD_LETTERED) {
            assertThat(result).isInstanceOf(UsageEventParser.Invalid.class);
            assertThat(((UsageEventParser.Invalid) result).code().code())
                    .as("%s: %s", kind, result).isEqualTo(kind.expectedCode().orElseThrow());
        } else {
            assertThat(result).as("%s: %s", kind, result).isInstanceOf(UsageEventParser.Valid.class);
            assertThat(kind.expectedCode()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(HostileKind.class)
    void everyExpectedCodeIsARealRejectCode(HostileKind kind) {
        kind.expectedCode().ifPresent(code -> assertThat(Arrays.stream(RejectCode.values()).map(RejectCode::code))
                .contains(code));
    }
}
