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
import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.RoleMap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /console/config.json (no credential) in its SSO shapes, and the Content-Security-Policy that lets the console
 * reach the token endpoint's origin and nothing else. Three APIs: one whose issuer has a browser sign-in, one whose
 * issuer's discovery document lacks the endpoints (the "SSO unavailable" shape), one whose issuer accepts connections
 * and never answers (the "starting" shape, and requests that must not wait). The off shape: ConsoleHttpTest.
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
    private static ServerSocket silentIssuer;
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start(EmbeddedPostgresServer sharedPostgres, EmbeddedKafkaBroker sharedBroker) {
        postgres = sharedPostgres;
        broker = sharedBroker;
        issuer = TestIssuer.start();
        TestIdentityProvider.on(issuer);
        bareIssuer = TestIssuer.start(); // discovery names the key set only: no authorization or token endpoint
        ConsoleSsoSettings client = new ConsoleSsoSettings(TestIdentityProvider.CLIENT_ID, "openid email groups");
        withSso = RunningApi.start(postgres, broker, s -> s.withOidc(issuer.settings()).withConsoleSso(client));
        withBrokenDiscovery = RunningApi.start(postgres, broker,
                s -> s.withOidc(bareIssuer.settings()).withConsoleSso(client));
        silentIssuer = silentServer();
    }

    /** Accepts connections and never answers: every discovery waits for its read timeout. */
    private static ServerSocket silentServer() {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        HELD.add(server.accept());
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "silent-issuer");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        List<AutoCloseable> all = new ArrayList<>(List.of(withSso, withBrokenDiscovery, issuer,
                bareIssuer, silentIssuer));
        all.addAll(HELD);
        for (AutoCloseable c : all) {
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
        HttpResponse<String> response = discovered(withSso);

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
        discovered(withSso);
        String origin = URI.create(issuer.issuer()).getScheme() + "://" + URI.create(issuer.issuer()).getRawAuthority();

        for (String path : List.of("/", "/js/app.js", "/console/config.json", "/api/v1/alerts")) {
            String policy = get(withSso, path, null).headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as(path).contains("connect-src 'self' " + origin + ";")
                    .isEqualTo(STRICT_POLICY.replace("connect-src 'self';", "connect-src 'self' " + origin + ";"));
        }
    }

    @Test
    void aDiscoveryDocumentWithoutTheEndpointsGivesAGenericErrorAndTheStrictPolicy() throws Exception {
        HttpResponse<String> response = discovered(withBrokenDiscovery);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sso = JSON.readTree(response.body()).path("sso");
        assertThat(sso.path("clientId").asText()).isEqualTo(TestIdentityProvider.CLIENT_ID);
        // the public answer names neither the discovery address nor what went wrong there: that is in the log
        assertThat(sso.path("error").asText()).isEqualTo("SSO unavailable: the identity provider's discovery failed");
        assertThat(response.body()).doesNotContain("well-known").doesNotContain("authorization_endpoint");
        assertThat(sso.has("starting")).isFalse();
        assertThat(sso.has("authorizationEndpoint")).isFalse();
        assertThat(sso.has("tokenEndpoint")).isFalse();
        assertThat(get(withBrokenDiscovery, "/", null).headers().firstValue("Content-Security-Policy"))
                .hasValue(STRICT_POLICY);
    }

    @Test
    void whileTheIssuerHangsAFloodOfConfigRequestsIsAnsweredAtOnceWithTheStartingShape() throws Exception {
        OidcSettings silent = new OidcSettings("http://127.0.0.1:" + silentIssuer.getLocalPort() + "/realms/silent",
                TestIssuer.AUDIENCE, null, OidcSettings.DEFAULT_ROLE_CLAIM, RoleMap.parse(TestIssuer.ROLE_MAP),
                OidcSettings.DEFAULT_IDENTITY_CLAIM, true, OidcSettings.DEFAULT_JWKS_REFRESH_MINIMUM);
        try (RunningApi api = RunningApi.start(postgres, broker, s -> s.withOidc(silent).withConsoleSso(
                new ConsoleSsoSettings(TestIdentityProvider.CLIENT_ID, ConsoleSsoSettings.DEFAULT_SCOPES)))) {
            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                flood.add(HTTP.sendAsync(request(api, "/console/config.json", null),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : flood) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode sso = JSON.readTree(response.body()).path("sso");
                assertThat(sso.path("error").asText()).isEqualTo("SSO is starting: try again in a moment");
                assertThat(sso.path("starting").asBoolean()).isTrue();
            }
            // the discovery under way waits 3 s for the issuer's answer; no request may wait on it
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
            assertThat(HELD).as("the issuer was asked once, in the background").hasSize(1);
        }
    }

    @Test
    void aFreshInstanceNeverAskedForTheConfigServesTheReturnPageWithTheTokenOrigin() throws Exception {
        // the return page /?code=... gets its policy before its script asks for config.json: after a restart, or on
        // another replica, nobody has asked this instance yet, and the token POST must still be allowed
        try (TestIssuer fresh = TestIssuer.start()) {
            TestIdentityProvider.on(fresh);
            String origin = "http://" + URI.create(fresh.issuer()).getRawAuthority();
            try (RunningApi api = RunningApi.start(postgres, broker, s -> s
                    .withOidc(fresh.settings()).withConsoleSso(new ConsoleSsoSettings(TestIdentityProvider.CLIENT_ID,
                            ConsoleSsoSettings.DEFAULT_SCOPES)))) {
                String policy = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!policy.contains(origin) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    policy = get(api, "/?code=abc&state=xyz", null).headers()
                            .firstValue("Content-Security-Policy").orElse("");
                }
                assertThat(policy).isEqualTo(STRICT_POLICY.replace("connect-src 'self';",
                        "connect-src 'self' " + origin + ";"));
            }
        }
    }

    /** config.json once the instance's first discovery finished (it runs in the background from start). */
    private static HttpResponse<String> discovered(RunningApi api) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> response = get(api, "/console/config.json", null);
            if (!JSON.readTree(response.body()).path("sso").path("starting").asBoolean()
                    || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> get(RunningApi api, String path, String token) throws Exception {
        return HTTP.send(request(api, path, token), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(RunningApi api, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + api.service().port() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }
}
