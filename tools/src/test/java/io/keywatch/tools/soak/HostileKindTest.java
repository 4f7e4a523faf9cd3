package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HostileKindTest {

    private static final ObjectMapper MAPPER = KeywatchJson.newMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static ObjectNode template() throws Exception {
        return (ObjectNode) MAPPER.readTree("{\"eventId\":\"6f0c1a8e-0000-4000-8000-000000000001\",\"keyId\":\"key_1\","
                + "\"timestamp\":\"2026-12-06T10:00:00Z\",\"service\":\"billing\",\"authResult\":\"OK\",\"status\":200,"
                + "\"clientIp\":\"10.0.0.1\",\"country\":\"DE\",\"tls\":true}");
    }

    private static String text(HostileKind kind) throws Exception {
        byte[] value = kind.build(template(), NOW, new SplittableRandom(1)).value();
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Test
    void everyKindBuildsARecordAndLeavesTheTemplateAlone() throws Exception {
        ObjectNode template = template();
        for (HostileKind kind : HostileKind.values()) {
            HostileKind.Record record = kind.build(template, NOW, new SplittableRandom(1));
            assertThat(record.kind()).isEqualTo(kind);
        }
        assertThat(template).isEqualTo(template());
    }

    @Test
    void buildsWhatEachKindPromises() throws Exception {
        assertThat(text(HostileKind.NUL_IN_KEY_ID)).contains("\\u0000");
        assertThat(text(HostileKind.TIMESTAMP_OVERFLOW)).contains("+1000000000-01-01T00:00:00Z");
        assertThat(text(HostileKind.LATE)).contains("2026-12-06T04:00:00Z");
        assertThat(text(HostileKind.HUGE_KEY_ID)).hasSizeGreaterThan(200_000);
        assertThat(HostileKind.UTF16_JSON.build(template(), NOW, new SplittableRandom(1)).value())
                .startsWith((byte) 0xFE, (byte) 0xFF);
        assertThat(HostileKind.OVERLONG_UTF8.build(template(), NOW, new SplittableRandom(1)).value())
                .containsSequence((byte) 0xC0, (byte) 0xAF);
        assertThat(text(HostileKind.EMPTY_VALUE)).isEmpty();
        assertThat(text(HostileKind.NULL_VALUE)).isNull();
        assertThat(HostileKind.NULL_KEY.build(template(), NOW, new SplittableRandom(1)).key()).isNull();
        HostileKind.Record stripe = HostileKind.SECRET_STRIPE.build(template(), NOW, new SplittableRandom(1));
        assertThat(stripe.secret()).matches("sk_live_[A-Za-z0-9]{24}");
        assertThat(new String(stripe.key(), StandardCharsets.UTF_8)).isEqualTo(stripe.secret());
        assertThat(HostileKind.SECRET_GITHUB.build(template(), NOW, new SplittableRandom(1)).secret())
                .matches("ghp_[A-Za-z0-9]{36}");
        HostileKind.Record inPath = HostileKind.SECRET_IN_PATH.build(template(), NOW, new SplittableRandom(1));
        assertThat(new String(inPath.value(), StandardCharsets.UTF_8)).contains("?api_key=" + inPath.secret());
        assertThat(text(HostileKind.FUTURE_WITHIN_SKEW)).contains("2026-12-06T10:50:00Z");
        assertThat(HostileKind.KEY_ID_257.build(template(), NOW, new SplittableRandom(1)).key()).hasSize(257);
        assertThat(text(HostileKind.DUPLICATE_FIELD)).containsOnlyOnce("\"keyId\":\"soak-hostile\"")
                .contains("\"keyId\":\"soak-other\"");
        assertThat(text(HostileKind.DEEP_NESTING)).contains("[".repeat(64));
    }
}
