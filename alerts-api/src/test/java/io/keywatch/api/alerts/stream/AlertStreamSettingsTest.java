package io.keywatch.api.alerts.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertStreamSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        AlertStreamSettings settings = AlertStreamSettings.fromEnv(Map.of());
        assertThat(settings).isEqualTo(AlertStreamSettings.DEFAULTS);
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.maxSubscribers()).isEqualTo(64);
        assertThat(settings.maxPerPrincipal()).isEqualTo(8);
        assertThat(settings.replay()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void readsEveryVariable() {
        AlertStreamSettings settings = AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_HEARTBEAT_SECONDS", "5",
                "KEYWATCH_SSE_MAX_SUBSCRIBERS", "4", "KEYWATCH_SSE_MAX_PER_PRINCIPAL", "2",
                "KEYWATCH_SSE_REPLAY_HOURS", "2", "KEYWATCH_SSE_POLL_MILLIS", "1000",
                "KEYWATCH_SSE_MAX_STREAM_SECONDS", "60"));
        assertThat(settings).isEqualTo(new AlertStreamSettings(Duration.ofSeconds(5), 4, 2, Duration.ofHours(2),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10)));
        assertThat(AlertStreamSettings.DEFAULTS.maxLifetime()).isEqualTo(Duration.ofSeconds(300));
        // fewer subscribers than the per-identity default: the default follows
        assertThat(AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_MAX_SUBSCRIBERS", "3")).maxPerPrincipal())
                .isEqualTo(3);
    }

    @Test
    void aBadValueNamesItsVariable() {
        for (var bad : Map.of("KEYWATCH_SSE_HEARTBEAT_SECONDS", "0", "KEYWATCH_SSE_MAX_SUBSCRIBERS", "lots",
                "KEYWATCH_SSE_REPLAY_HOURS", "0", "KEYWATCH_SSE_POLL_MILLIS", "5",
                "KEYWATCH_SSE_MAX_STREAM_SECONDS", "9").entrySet()) {
            assertThatThrownBy(() -> AlertStreamSettings.fromEnv(Map.of(bad.getKey(), bad.getValue())))
                    .hasMessageContaining(bad.getKey());
        }
        // a heartbeat must come before the server's 30 s idle timeout
        assertThatThrownBy(() -> AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_HEARTBEAT_SECONDS", "26")))
                .hasMessageContaining("KEYWATCH_SSE_HEARTBEAT_SECONDS");
        assertThatThrownBy(() -> AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_MAX_SUBSCRIBERS", "4",
                "KEYWATCH_SSE_MAX_PER_PRINCIPAL", "5"))).hasMessageContaining("KEYWATCH_SSE_MAX_PER_PRINCIPAL");
        assertThatThrownBy(() -> AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_MAX_STREAM_SECONDS", "3601")))
                .hasMessageContaining("KEYWATCH_SSE_MAX_STREAM_SECONDS");
    }

    @Test
    void streamsCanNeverTakeMoreThanHalfTheServersThreads() {
        assertThat(AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_MAX_SUBSCRIBERS", "125")).maxSubscribers())
                .isEqualTo(125);
        // each stream holds a Jetty thread, and Javalin's pool has at most 250
        assertThatThrownBy(() -> AlertStreamSettings.fromEnv(Map.of("KEYWATCH_SSE_MAX_SUBSCRIBERS", "126")))
                .hasMessageContaining("KEYWATCH_SSE_MAX_SUBSCRIBERS is 126").hasMessageContaining("250")
                .hasMessageContaining("125");
        assertThatThrownBy(() -> AlertStreamSettings.DEFAULTS.withLimits(10_000, 8))
                .hasMessageContaining("250");
    }
}
