package io.keywatch.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scrape token's two boundaries, with any input: the {@code Authorization} header of a scrape (authorized
 * exactly when it is {@code Bearer <token>}, never an exception), and the variables that configure it (a setting or
 * an {@link IllegalArgumentException} that never quotes the token).
 */
class MetricsSettingsFuzzTest {

    private static final String TOKEN_REFUSAL = "KEYWATCH_METRICS_TOKEN must be at least 16 printable ASCII characters "
            + "(the value, not shown, is ";
    private static final List<String> TOKEN_REFUSALS =
            List.of(TOKEN_REFUSAL + "too short)", TOKEN_REFUSAL + "not printable ASCII)");

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
                || header.regionMatches(true, 0, "Bearer ", 0, 7) && header.substring(7).strip().equals(settings.token());
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
            // what a log line shows of it: whether a token is set, nothing of it
            assertThat(settings.toString()).isEqualTo("MetricsSettings[enabled=" + settings.enabled() + ", token="
                    + (settings.token() == null ? "none" : "set") + "]");
        } catch (IllegalArgumentException refused) {
            String message = refused.getMessage();
            if (message.startsWith("KEYWATCH_METRICS_ENABLED ")) {
                // read first: it quotes that variable's value (escaped, cut), and the token was not looked at
                return;
            }
            // one of the fixed refusals: a quoted boolean or fixed text may happen to hold the token's characters, so
            // "does not contain the token" is not the property; "holds nothing of the input" is
            assertThat(message).isIn(TOKEN_REFUSALS);
        }
    }
}
