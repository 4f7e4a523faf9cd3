package io.keywatch.api.console;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIssuer;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console's files at / (public, strict browser headers) and GET /api/v1/me for each kind of credential. */
@ExtendWith(SharedInfra.class)
class ConsoleHttpTest {

    private static final Map<String, String> BROWSER_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private static RunningApi running;
    private static TestIssuer issuer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        issuer = TestIssuer.start();
        running = RunningApi.start(postgres, broker, settings -> settings.withOidc(issuer.settings()));
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void servesTheConsoleAtTheRootWithoutACredentialWithStrictHeaders() throws Exception {
        for (String path : List.of("/", "/index.html", "/console.css", "/js/app.js", "/js/pages/alerts.js")) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            BROWSER_HEADERS.forEach((name, value) ->
                    assertThat(response.headers().firstValue(name)).as(path + " " + name).hasValue(value));
            assertThat(response.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
        }
        HttpResponse<String> index = get("/", null);
        assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(index.body()).contains("<script type=\"module\" src=\"/js/app.js\">");
        assertThat(get("/js/app.js", null).headers().firstValue("Content-Type").orElse(""))
                .as("modules must be served as JavaScript, or nosniff makes the browser refuse them")
                .contains("javascript");
    }

    @Test
    void noInlineScriptOrStyleInTheConsoleSoTheStrictPolicyHolds() throws Exception {
        String index = get("/", null).body();
        assertThat(index).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style")
                .doesNotContain("style=").doesNotContainPattern("\\son[a-z]+=");
        // every module the jar ships, so a new page is checked without anyone remembering to list it
        Path js = Path.of(ConsoleHttpTest.class.getResource("/console/js").toURI());
        List<String> modules;
        try (Stream<Path> files = Files.walk(js)) {
            modules = files.filter(f -> f.toString().endsWith(".js"))
                    .map(f -> "/js/" + js.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
        assertThat(modules).contains("/js/app.js", "/js/dom.js", "/js/pages/alerts.js", "/js/pages/key.js");
        for (String module : modules) {
            assertThat(get(module, null).body()).as(module).doesNotContain("innerHTML").doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(");
        }
    }

    @Test
    void theApiKeepsItsAnswersAndGetsTheBrowserHeadersToo() throws Exception {
        HttpResponse<String> refused = get("/api/v1/alerts", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(refused.headers().firstValue("Content-Security-Policy"))
                .hasValue(BROWSER_HEADERS.get("Content-Security-Policy"));
        assertThat(get("/api/v1/no-such-route", null).statusCode()).isEqualTo(401);
        HttpResponse<String> health = get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> missing = get("/no-such-page.js", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void nothingOutsideTheConsoleFolderIsServedAndMisses404InTheOneErrorShape() throws Exception {
        for (String path : List.of("/../db/migration/", "/js/../../db/migration/V1__alerts_and_keys.sql",
                "/js/%2e%2e/%2e%2e/io/keywatch/api/ApiSettings.class", "/..%2f..%2fMETA-INF/MANIFEST.MF",
                "/js/..%5c..%5clogback.xml", "/%2e%2e/%2e%2e/etc/passwd", "/console/index.html",
                "/io/keywatch/api/ApiSettings.class", "/js/%00.js", "/js/app.js%00.html", "/js/", "/META-INF/",
                "/db/migration/V1__alerts_and_keys.sql", "/logback.xml", "/index.html/x", "/js//app.js%2f")) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(path)
                    .startsWith("application/json");
            assertThat(response.body()).as(path).contains("\"status\":" + response.statusCode())
                    .doesNotContain("CREATE TABLE").doesNotContain("Manifest-Version");
        }
    }

    @Test
    void meTellsWhoTheCredentialProvesItsRoleAndItsKind() {
        ApiClient admin = running.api();
        var adminMe = assertOk(admin.get("/api/v1/me"), 200).json();
        assertThat(adminMe.path("name").asText()).isEqualTo("api:admin");
        assertThat(adminMe.path("role").asText()).isEqualTo("admin");
        assertThat(adminMe.path("kind").asText()).isEqualTo("admin-token");
        assertThat(adminMe.size()).isEqualTo(3);

        String viewerToken = assertOk(admin.post("/api/v1/tokens", "{\"name\":\"me-viewer\",\"role\":\"viewer\"}"),
                201).json().path("token").asText();
        var viewerMe = assertOk(admin.withToken(viewerToken).get("/api/v1/me"), 200).json();
        assertThat(viewerMe.path("name").asText()).isEqualTo("token:me-viewer");
        assertThat(viewerMe.path("role").asText()).isEqualTo("viewer");
        assertThat(viewerMe.path("kind").asText()).isEqualTo("token");
        assertThat(viewerMe.toString()).doesNotContain(viewerToken.substring(12));

        var ssoMe = assertOk(admin.withToken(issuer.token("rob@example.com", TestIssuer.RESPONDERS))
                .get("/api/v1/me"), 200).json();
        assertThat(ssoMe.path("role").asText()).isEqualTo("responder");
        assertThat(ssoMe.path("kind").asText()).isEqualTo("oidc");
        assertThat(ssoMe.path("name").asText()).startsWith("oidc:");

        assertThat(admin.withToken("kw_wrong").get("/api/v1/me").status()).isEqualTo(401);
        assertThat(admin.withToken(null).get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void withoutAConsoleClientIdTheConfigSaysNoSsoAndThePolicyStaysStrict() throws Exception {
        // single sign-on is on here (a pasted JWT works), but KEYWATCH_OIDC_CONSOLE_CLIENT_ID is not set
        HttpResponse<String> config = get("/console/config.json", null);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).isEqualTo("{\"sso\":null}");
        assertThat(config.headers().firstValue("Content-Security-Policy"))
                .hasValue(BROWSER_HEADERS.get("Content-Security-Policy"));
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:"
                + running.service().port() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
