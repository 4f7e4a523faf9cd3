package io.keywatch.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.ApiSettings;
import io.keywatch.api.auth.Role;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcSettingsTest {

    private static final Map<String, String> MINIMAL = Map.of(
            "KEYWATCH_OIDC_ISSUER", "https://login.example.com/realms/ops",
            "KEYWATCH_OIDC_AUDIENCE", "keywatch",
            "KEYWATCH_OIDC_ROLE_MAP", "keywatch-admins=admin, keywatch-oncall=responder,keywatch-readers=viewer");

    private static Map<String, String> minimalWith(String name, String value) {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put(name, value);
        return env;
    }

    @Test
    void isOffWithoutAnIssuer() {
        assertThat(OidcSettings.fromEnv(Map.of())).isEqualTo(OidcSettings.DISABLED);
        assertThat(OidcSettings.DISABLED.enabled()).isFalse();
        assertThat(ApiSettings.fromEnv(Map.of()).oidc().enabled()).isFalse();
    }

    @Test
    void readsTheIssuerWithDocumentedDefaults() {
        OidcSettings settings = OidcSettings.fromEnv(MINIMAL);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.issuer()).isEqualTo("https://login.example.com/realms/ops");
        assertThat(settings.audience()).isEqualTo("keywatch");
        assertThat(settings.configuredJwksUrl()).isEmpty();
        assertThat(settings.discoveryUrl())
                .isEqualTo(URI.create("https://login.example.com/realms/ops/.well-known/openid-configuration"));
        assertThat(settings.roleClaim()).isEqualTo("groups");
        assertThat(settings.identityClaim()).isEqualTo("email");
        assertThat(settings.allowHttp()).isFalse();
        assertThat(settings.roleMap().highest(List.of("keywatch-oncall"))).contains(Role.RESPONDER);
        assertThat(ApiSettings.fromEnv(MINIMAL).oidc()).isEqualTo(settings);
    }

    @Test
    void readsEveryOtherVariable() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("KEYWATCH_OIDC_ISSUER", "http://127.0.0.1:8180/");
        env.put("KEYWATCH_OIDC_JWKS_URL", "http://127.0.0.1:8180/certs");
        env.put("KEYWATCH_OIDC_ROLE_CLAIM", "realm_access.roles");
        env.put("KEYWATCH_OIDC_IDENTITY_CLAIM", "preferred_username");
        env.put("KEYWATCH_OIDC_ALLOW_HTTP", "true");

        OidcSettings settings = OidcSettings.fromEnv(env);

        assertThat(settings.configuredJwksUrl()).contains(URI.create("http://127.0.0.1:8180/certs"));
        assertThat(settings.discoveryUrl()).hasToString("http://127.0.0.1:8180/.well-known/openid-configuration");
        assertThat(settings.roleClaim()).isEqualTo("realm_access.roles");
        assertThat(settings.identityClaim()).isEqualTo("preferred_username");
        assertThat(settings.allowHttp()).isTrue();
    }

    @Test
    void anIssuerNeedsAnAudienceAndARoleMap() {
        Map<String, String> noAudience = new HashMap<>(MINIMAL);
        noAudience.remove("KEYWATCH_OIDC_AUDIENCE");
        assertThatThrownBy(() -> OidcSettings.fromEnv(noAudience)).hasMessageContaining("KEYWATCH_OIDC_AUDIENCE");

        Map<String, String> noRoles = new HashMap<>(MINIMAL);
        noRoles.remove("KEYWATCH_OIDC_ROLE_MAP");
        assertThatThrownBy(() -> OidcSettings.fromEnv(noRoles)).hasMessageContaining("KEYWATCH_OIDC_ROLE_MAP");
    }

    @Test
    void plainHttpAndOddUrlsAreRefused() {
        for (String issuer : List.of("http://login.example.com", "login.example.com", "https://", "ftp://x.example",
                "https://user:pw@login.example.com", "https://login.example.com/?a=b", "https://login.example.com/#f")) {
            assertThatThrownBy(() -> OidcSettings.fromEnv(minimalWith("KEYWATCH_OIDC_ISSUER", issuer))).as(issuer)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEYWATCH_OIDC_ISSUER")
                    .hasMessageNotContaining("pw@");
        }
        assertThatThrownBy(() -> OidcSettings.fromEnv(minimalWith("KEYWATCH_OIDC_JWKS_URL", "http://idp/certs")))
                .hasMessageContaining("KEYWATCH_OIDC_JWKS_URL");
        assertThatThrownBy(() -> OidcSettings.fromEnv(minimalWith("KEYWATCH_OIDC_JWKS_URL", "not a url")))
                .hasMessageContaining("KEYWATCH_OIDC_JWKS_URL");
    }

    @Test
    void blankValuesAndVariablesWithoutAnIssuerAreMistakes() {
        assertThatThrownBy(() -> OidcSettings.fromEnv(Map.of("KEYWATCH_OIDC_ISSUER", " ")))
                .hasMessageContaining("KEYWATCH_OIDC_ISSUER");
        assertThatThrownBy(() -> OidcSettings.fromEnv(Map.of("KEYWATCH_OIDC_ROLE_MAP", "a=admin")))
                .hasMessageContaining("KEYWATCH_OIDC_ROLE_MAP is set but KEYWATCH_OIDC_ISSUER is not");
        assertThatThrownBy(() -> OidcSettings.fromEnv(minimalWith("KEYWATCH_OIDC_ROLE_CLAIM", "groups or roles")))
                .hasMessageContaining("KEYWATCH_OIDC_ROLE_CLAIM");
        assertThatThrownBy(() -> OidcSettings.fromEnv(minimalWith("KEYWATCH_OIDC_ALLOW_HTTP", "maybe")))
                .hasMessageContaining("KEYWATCH_OIDC_ALLOW_HTTP");
    }

    @Test
    void aBadRoleMapSaysWhatIsWrong() {
        for (String map : List.of("", "admins", "admins=", "=admin", "admins=root", "a=admin,,b=viewer",
                "a=admin,a=viewer")) {
            assertThatThrownBy(() -> OidcSettings.fromEnv(minimalWith("KEYWATCH_OIDC_ROLE_MAP", map))).as(map)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEYWATCH_OIDC_ROLE_MAP");
        }
    }

    @Test
    void theRoleMapGivesTheHighestMatchingRole() {
        RoleMap map = RoleMap.parse("readers=viewer,oncall=responder,admins=admin,cn=ops=responder");

        assertThat(map.highest(List.of("readers", "oncall"))).contains(Role.RESPONDER);
        assertThat(map.highest(List.of("admins", "readers"))).contains(Role.ADMIN);
        assertThat(map.highest(List.of("cn=ops"))).contains(Role.RESPONDER);
        assertThat(map.highest(List.of("Admins", "others"))).isEmpty();
        assertThat(map.highest(List.of())).isEmpty();
        assertThat(map).hasToString("admins=admin,cn=ops=responder,oncall=responder,readers=viewer");
    }

    @Test
    void describesItselfForTheStartUpLog() {
        assertThat(OidcSettings.fromEnv(MINIMAL).toString()).contains("issuer=https://login.example.com/realms/ops")
                .contains("jwks=discovered").contains("roleMap=keywatch-admins=admin");
        assertThat(OidcSettings.DISABLED).hasToString("OidcSettings[off]");
    }
}
