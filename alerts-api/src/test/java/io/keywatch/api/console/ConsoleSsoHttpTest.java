package io.keywatch.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentityProvider;
import io.keywatch.api.support.TestIssuer;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /console/config.json (no credential) in its SSO shapes, and the Content-Security-Policy that lets the console
 * reach the token endpoint's origin and nothing else. Two APIs: one whose issuer has a browser sign-in, one whose
 * issuer's discovery document lacks the endpoints (the "SSO unavailable" shape). The off shape: ConsoleHttpTest.
 */
@ExtendWith(SharedInfra.class)
class ConsoleSsoHttpTest {

    static final String STRICT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
            + "data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestIssuer issuer;
    private static TestIssuer bareIssuer;
    private static RunningApi withSso;
    private static RunningApi withBrokenDiscovery;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        issuer = TestIssuer.start();
        TestIdentityProvider.on(issuer);
        bareIssuer = TestIssuer.start(); // discovery names the key set only: no authorization or token endpoint
        ConsoleSsoSettings client = new ConsoleSsoSettings(TestIdentityProvider.CLIENT_ID, "openid email groups");
        withSso = RunningApi.start(postgres, broker, s -> s.withOidc(issuer.settings()).withConsoleSso(client));
        withBrokenDiscovery = RunningApi.start(postgres, broker,
                s -> s.withOidc(bareIssuer.settings()).withConsoleSso(client));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {withSso, withBrokenDiscovery, issuer, bareIssuer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theConfigNamesTheClientAndTheDiscoveredEndpointsWithoutACredential() throws Exception {
        HttpResponse<String> response = get(withSso, "/console/config.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode sso = JSON.readTree(response.body()).path("sso");
        assertThat(sso.path("issuer").asText()).isEqualTo(issuer.issuer());
        assertThat(sso.path("clientId").asText()).isEqualTo(TestIdentityProvider.CLIENT_ID);
        assertThat(sso.path("scopes").asText()).isEqualTo("openid email groups");
        assertThat(sso.path("authorizationEndpoint").asText()).isEqualTo(issuer.issuer() + "/authorize");
        assertThat(sso.path("tokenEndpoint").asText()).isEqualTo(issuer.issuer() + "/token");
        assertThat(sso.has("error")).isFalse();
        // a wrong credential is not even looked at (and does not count towards the throttle)
        assertThat(get(withSso, "/console/config.json", "kw_wrong").statusCode()).isEqualTo(200);
    }

    @Test
    void theConnectSourceAddsTheTokenEndpointOriginOnlyAndNothingElseLoosens() throws Exception {
        get(withSso, "/console/config.json", null); // discovered at least once
        String origin = URI.create(issuer.issuer()).getScheme() + "://" + URI.create(issuer.issuer()).getRawAuthority();

        for (String path : List.of("/", "/js/app.js", "/console/config.json", "/api/v1/alerts")) {
            String policy = get(withSso, path, null).headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as(path).contains("connect-src 'self' " + origin + ";")
                    .isEqualTo(STRICT_POLICY.replace("connect-src 'self';", "connect-src 'self' " + origin + ";"));
        }
    }

    @Test
    void aDiscoveryDocumentWithoutTheEndpointsGivesTheErrorShapeAndTheStrictPolicy() throws Exception {
        HttpResponse<String> response = get(withBrokenDiscovery, "/console/config.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sso = JSON.readTree(response.body()).path("sso");
        assertThat(sso.path("clientId").asText()).isEqualTo(TestIdentityProvider.CLIENT_ID);
        assertThat(sso.path("error").asText()).contains("authorization_endpoint");
        assertThat(sso.has("authorizationEndpoint")).isFalse();
        assertThat(sso.has("tokenEndpoint")).isFalse();
        assertThat(get(withBrokenDiscovery, "/", null).headers().firstValue("Content-Security-Policy"))
                .hasValue(STRICT_POLICY);
    }

    private static HttpResponse<String> get(RunningApi api, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + api.service().port() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
