package io.keywatch.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.ApiSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleSsoSettingsTest {

    private static final Map<String, String> OIDC = Map.of(
            "KEYWATCH_OIDC_ISSUER", "https://login.example.com/realms/ops",
            "KEYWATCH_OIDC_AUDIENCE", "keywatch",
            "KEYWATCH_OIDC_ROLE_MAP", "keywatch-admins=admin");

    private static Map<String, String> with(String... pairs) {
        Map<String, String> env = new HashMap<>(OIDC);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void offUnlessTheClientIdIsSet() {
        assertThat(ConsoleSsoSettings.fromEnv(OIDC)).isEqualTo(ConsoleSsoSettings.DISABLED);
        assertThat(ApiSettings.fromEnv(OIDC).consoleSso().enabled()).isFalse();
        assertThat(ApiSettings.fromEnv(Map.of()).consoleSso().enabled()).isFalse();
    }

    @Test
    void readsTheClientIdWithTheDefaultScopes() {
        ConsoleSsoSettings settings = ApiSettings.fromEnv(with("KEYWATCH_OIDC_CONSOLE_CLIENT_ID", "keywatch-console"))
                .consoleSso();

        assertThat(settings.clientId()).isEqualTo("keywatch-console");
        assertThat(settings.scopes()).isEqualTo("openid profile email");
        assertThat(ConsoleSsoSettings.fromEnv(with("KEYWATCH_OIDC_CONSOLE_CLIENT_ID", "0oa1b2c3d4",
                "KEYWATCH_OIDC_CONSOLE_SCOPES", "openid email offline_access api://keywatch/.default")).scopes())
                .isEqualTo("openid email offline_access api://keywatch/.default");
    }

    @Test
    void refusesClientIdsAndScopesThatAreNotPrintableAsciiOrTooLong() {
        for (String bad : new String[] {"has space", "tab\tid", "ünïcode", "x".repeat(257), "new\nline", ""}) {
            assertThatThrownBy(() -> ConsoleSsoSettings.fromEnv(with("KEYWATCH_OIDC_CONSOLE_CLIENT_ID", bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("KEYWATCH_OIDC_CONSOLE_CLIENT_ID");
        }
        for (String bad : new String[] {"openid  email", "openid \"email\"", "openid\\x", "a".repeat(1_025),
                "openid\nemail"}) {
            assertThatThrownBy(() -> new ConsoleSsoSettings("keywatch-console", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("KEYWATCH_OIDC_CONSOLE_SCOPES");
        }
    }

    @Test
    void scopesWithoutAClientIdOrAClientWithoutAnIssuerAreErrorsNotSilentlyIgnored() {
        assertThatThrownBy(() -> ConsoleSsoSettings.fromEnv(with("KEYWATCH_OIDC_CONSOLE_SCOPES", "openid")))
                .hasMessageContaining("KEYWATCH_OIDC_CONSOLE_CLIENT_ID");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_OIDC_CONSOLE_CLIENT_ID", "keywatch-console")))
                .hasMessageContaining("KEYWATCH_OIDC_ISSUER");
    }
}
