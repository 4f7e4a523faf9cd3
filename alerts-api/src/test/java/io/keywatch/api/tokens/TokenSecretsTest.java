package io.keywatch.api.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {

    private final TokenSecrets secrets = new TokenSecrets();

    @Test
    void formatsAndParsesAToken() {
        String id = secrets.newId();
        String secret = secrets.newSecret();
        String token = TokenSecrets.format(id, secret);
        assertThat(token).hasSize(TokenSecrets.TOKEN_LENGTH).hasSize(55);
        assertThat(TokenSecrets.parse(token)).contains(new TokenSecrets.Parsed(id, secret));
        assertThat(TokenSecrets.matches(secret, TokenSecrets.hash(secret))).isTrue();
        assertThat(TokenSecrets.matches(secrets.newSecret(), TokenSecrets.hash(secret))).isFalse();
        assertThat(TokenSecrets.parse(token).orElseThrow().toString()).doesNotContain(secret);
    }

    @Test
    void secretsAreFreshEachTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(secrets.newSecret())).isTrue();
        }
    }

    @Test
    void anythingElseIsNotItsKind() {
        String token = TokenSecrets.format("abcd1234", secrets.newSecret());
        assertThat(TokenSecrets.parse("test-admin-token-0123456789")).isEmpty();
        assertThat(TokenSecrets.parse(token + "x")).isEmpty();
        assertThat(TokenSecrets.parse(token.substring(1))).isEmpty();
        assertThat(TokenSecrets.parse(token.replace("kw_abcd1234_", "kw_ABCD1234_"))).isEmpty();
        assertThat(TokenSecrets.parse(token.replace("kw_abcd1234_", "kw_abcd1234-"))).isEmpty();
        assertThat(TokenSecrets.parse(token.substring(0, 54) + "=")).isEmpty();
        assertThat(TokenSecrets.parse(token.substring(0, 54) + "\u00e9")).isEmpty();
        assertThat(TokenSecrets.parse(null)).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironmentWithinLimits() {
        assertThat(TokenSettings.fromEnv(Map.of())).isEqualTo(new TokenSettings(90, 366, 1_000));
        assertThat(TokenSettings.fromEnv(Map.of("KEYWATCH_TOKEN_DEFAULT_DAYS", "30", "KEYWATCH_TOKEN_MAX_DAYS", "60")))
                .isEqualTo(new TokenSettings(30, 60, 1_000));
        assertThatThrownBy(() -> TokenSettings.fromEnv(Map.of("KEYWATCH_TOKEN_MAX_DAYS", "30")))
                .hasMessageContaining("KEYWATCH_TOKEN_DEFAULT_DAYS");
        assertThatThrownBy(() -> TokenSettings.fromEnv(Map.of("KEYWATCH_TOKEN_MAX_DAYS", "0")))
                .hasMessageContaining("KEYWATCH_TOKEN_MAX_DAYS");
        assertThatThrownBy(() -> TokenSettings.fromEnv(Map.of("KEYWATCH_TOKEN_DEFAULT_DAYS", "ninety")))
                .hasMessageContaining("KEYWATCH_TOKEN_DEFAULT_DAYS");
    }
}
