package io.keywatch.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.Map;

/**
 * The scrape token's two boundaries, with any input: the {@code Authorization} header of a scrape (authorized
 * exactly when it is {@code Bearer <token>}, never an exception), and the variables that configure it (a setting or
 * an {@link IllegalArgumentException} that never quotes the token).
 */
class MetricsSettingsFuzzTest {

    @FuzzTest
    void onlyTheExactBearerTokenAuthorizesAScrape(FuzzedDataProvider data) {
        String token = data.consumeString(64);
        MetricsSettings settings;
        try {
            settings = MetricsSettings.fromEnv(Map.of("KEYWATCH_METRICS_TOKEN", token));
        } catch (IllegalArgumentException refused) {
            return;
        }
        String header = data.consumeBoolean() ? "Bearer " + data.consumeString(80) : data.consumeRemainingAsString();
        boolean expected = settings.token() == null
                || header.startsWith("Bearer ") && header.substring(7).strip().equals(settings.token());
        assertThat(settings.authorizes(header)).isEqualTo(expected);
        assertThat(settings.authorizes(null)).isEqualTo(settings.token() == null);
    }

    @FuzzTest
    void aBadSettingNeverQuotesTheToken(FuzzedDataProvider data) {
        Map<String, String> env = new HashMap<>();
        String enabled = data.consumeString(12);
        env.put("KEYWATCH_METRICS_ENABLED", enabled);
        String token = data.consumeRemainingAsString();
        env.put("KEYWATCH_METRICS_TOKEN", token);
        try {
            MetricsSettings settings = MetricsSettings.fromEnv(env);
            assertThat(settings.toString()).doesNotContain(token.strip().isEmpty() ? "\u0000never" : token.strip());
        } catch (IllegalArgumentException refused) {
            // the other variable's value may be quoted, and may happen to hold the token's text
            if (token.strip().length() >= 8 && !enabled.contains(token.strip())) {
                assertThat(refused.getMessage()).doesNotContain(token.strip());
            }
        }
    }
}
