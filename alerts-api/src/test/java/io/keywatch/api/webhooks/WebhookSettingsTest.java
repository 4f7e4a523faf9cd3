package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        WebhookSettings settings = WebhookSettings.fromEnv(Map.of());

        assertThat(settings).isEqualTo(WebhookSettings.DEFAULTS);
        assertThat(settings.allowList().isEmpty()).isTrue();
        assertThat(settings.allowHttp()).isFalse();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.retrySchedule()).isEqualTo(RetrySchedule.DEFAULT);
        assertThat(settings.relayInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.probes()).isEqualTo(ProbeSchedule.DEFAULT);
        assertThat(settings.probes().initial()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.probes().max()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void readsEveryVariable() throws Exception {
        WebhookSettings settings = WebhookSettings.fromEnv(Map.of(
                "KEYWATCH_WEBHOOK_ALLOW", "localhost, 127.0.0.0/8",
                "KEYWATCH_WEBHOOK_ALLOW_HTTP", "true",
                "KEYWATCH_WEBHOOK_TIMEOUT_MS", "2500",
                "KEYWATCH_WEBHOOK_RETRY_SCHEDULE", "1s,2s",
                "KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS", "50",
                "KEYWATCH_WEBHOOK_PROBE_INITIAL_MS", "30000",
                "KEYWATCH_WEBHOOK_PROBE_MAX_MS", "600000"));

        assertThat(settings.allowList().allowsHost("LOCALHOST")).isTrue();
        assertThat(settings.allowList().allowsAddress(InetAddress.getByName("127.9.9.9"))).isTrue();
        assertThat(settings.allowHttp()).isTrue();
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.retrySchedule().spec()).isEqualTo("1s,2s");
        assertThat(settings.relayInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.probes().initial()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.probes().max()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.toString()).contains("allow=localhost,127.0.0.0/8", "timeout=2500 ms");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_ALLOW_HTTP", "maybe")))
                .hasMessage("KEYWATCH_WEBHOOK_ALLOW_HTTP must be true or false, got 'maybe'");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_TIMEOUT_MS", "10s")))
                .hasMessageStartingWith("KEYWATCH_WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_TIMEOUT_MS", "0")))
                .hasMessageStartingWith("KEYWATCH_WEBHOOK_TIMEOUT_MS must be a positive");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS", "-1")))
                .hasMessageStartingWith("KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_RETRY_SCHEDULE", "5s,soon")))
                .hasMessageStartingWith("KEYWATCH_WEBHOOK_RETRY_SCHEDULE: retry schedule entry 2 'soon'");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_PROBE_INITIAL_MS", "0")))
                .hasMessageStartingWith("KEYWATCH_WEBHOOK_PROBE_INITIAL_MS must be a positive");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_PROBE_MAX_MS", "1000")))
                .hasMessage("KEYWATCH_WEBHOOK_PROBE_MAX_MS (1000) must be at least "
                        + "KEYWATCH_WEBHOOK_PROBE_INITIAL_MS (60000)");
        assertThatThrownBy(() -> WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_ALLOW", "10.0.0.0/33")))
                .hasMessageContaining("KEYWATCH_WEBHOOK_ALLOW entry '10.0.0.0/33'");
    }
}
