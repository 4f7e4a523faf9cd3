package io.keywatch.api.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.KeywatchJson;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpUsageSourceTest {

    @Test
    void unsetMeansNoRemoteSource() {
        assertThat(HttpUsageSource.fromEnv(Map.of(), KeywatchJson.newMapper())).isEmpty();
    }

    @Test
    void aUrlNeedsTheTokenAndMustBeHttp() {
        assertThatThrownBy(() -> HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR, "http://streams:8081"),
                KeywatchJson.newMapper())).hasMessageContaining(HttpUsageSource.TOKEN_VAR);
        for (String bad : new String[] {"streams:8081", "ftp://streams/", "http://", "not a url"}) {
            assertThatThrownBy(() -> HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR, bad,
                    HttpUsageSource.TOKEN_VAR, "t"), KeywatchJson.newMapper()))
                    .as(bad).hasMessageContaining(HttpUsageSource.URL_VAR);
        }
        UsageSource source = HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR, "http://streams:8081/",
                HttpUsageSource.TOKEN_VAR, "t", "KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "90"),
                KeywatchJson.newMapper()).orElseThrow();
        assertThat(source.retention()).isEqualTo(Duration.ofMinutes(90));
        assertThat(source.name()).isEqualTo("topology");
    }
}
