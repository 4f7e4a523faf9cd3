package io.keywatch.api.http;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.ApiServer.ApiRoute;
import io.keywatch.api.auth.Role;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIssuer;
import io.keywatch.api.support.TestServices;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #12's "done when": every route of the API, with every kind of credential, gets the documented answer. The
 * table below IS the documentation (README "Roles and tokens"): one row per route with its minimum role, one column
 * per credential kind. A route the server registers without a row here, or with another role than its row says,
 * fails the test; so does a row for a route that is gone.
 *
 * <p>Where access is granted the answer may be the route's own (200, 201, 400 for the empty body, 404 for the made-up
 * id): the point is the auth decision, so it must be neither 401 nor 403 (nor 5xx). Where it is not, the answer is
 * exactly 401 (no, expired, revoked or unknown credential) or 403 (a role below the route's), in the one error shape.
 */
@ExtendWith(SharedInfra.class)
class RouteAccessTableTest {

    /** A route to call: method, the path as registered, a concrete path, and the least role that may call it. */
    record Row(String method, String template, String path, Role minimum) {
        static Row pub(String method, String path) {
            return new Row(method, path, path, null);
        }

        static Row api(String method, String template, Role minimum) {
            return new Row(method, template, template
                    .replace("{keyId}", "route-table-key")
                    .replace("{deliveryId}", "no-such-delivery")
                    .replace("{id}", "no-such-id"), minimum);
        }

        boolean isPublic() {
            return minimum == null;
        }
    }

    /**
     * A kind of credential: the bearer value (null = no Authorization header) and the role it proves; null when it
     * must not authenticate at all (expired, revoked, unknown, another issuer's...).
     */
    record Credential(String kind, String bearer, Role role) {
        @Override
        public String toString() {
            return kind;
        }
    }

    private static final String CONSOLE_CONFIG = "/console/config.json";
    private static final String OPENAPI = "/openapi.json";
    private static final String METRICS = "/metrics";

    private static final List<Row> ROUTES = List.of(
            Row.pub("GET", "/health"),
            Row.pub("GET", "/health/live"),
            Row.pub("GET", "/health/ready"),
            // the console's sign-in settings: read before anyone signs in, so no credential is even looked at
            Row.pub("GET", CONSOLE_CONFIG),
            // the OpenAPI document: describes the routes, holds no secret, so no credential is looked at either
            Row.pub("GET", OPENAPI),
            // Prometheus' scrape: open (no scrape token set here) and blind to API credentials, which it never reads
            Row.pub("GET", METRICS),
            Row.api("GET", "/api/v1/me", Role.VIEWER),
            Row.api("GET", "/api/v1/alerts", Role.VIEWER),
            // a stream stays open: called with a malformed resume id, it answers 400 once access is granted
            new Row("GET", "/api/v1/alerts/stream", "/api/v1/alerts/stream?lastEventId=not-an-id", Role.VIEWER),
            Row.api("GET", "/api/v1/alerts/{id}", Role.VIEWER),
            Row.api("GET", "/api/v1/alerts/{id}/history", Role.VIEWER),
            Row.api("GET", "/api/v1/alerts/{id}/timeline", Role.VIEWER),
            Row.api("POST", "/api/v1/alerts/{id}/acknowledge", Role.RESPONDER),
            Row.api("POST", "/api/v1/alerts/{id}/resolve", Role.RESPONDER),
            Row.api("GET", "/api/v1/keys", Role.VIEWER),
            Row.api("POST", "/api/v1/keys/canaries", Role.ADMIN),
            Row.api("GET", "/api/v1/keys/{keyId}", Role.VIEWER),
            Row.api("PUT", "/api/v1/keys/{keyId}", Role.ADMIN),
            // without a usage source this API would answer 503 (no topology here): a bad step is a 400 first
            new Row("GET", "/api/v1/keys/{keyId}/usage", "/api/v1/keys/route-table-key/usage?step=fortnight",
                    Role.VIEWER),
            Row.api("POST", "/api/v1/keys/{keyId}/revoke", Role.RESPONDER),
            Row.api("POST", "/api/v1/keys/{keyId}/reinstate", Role.ADMIN),
            Row.api("GET", "/api/v1/reports/least-privilege", Role.VIEWER),
            Row.api("GET", "/api/v1/reports/least-privilege/{keyId}", Role.VIEWER),
            Row.api("GET", "/api/v1/revocations", Role.VIEWER),
            Row.api("GET", "/api/v1/revocations/{id}", Role.VIEWER),
            Row.api("POST", "/api/v1/revocations/{id}/approve", Role.RESPONDER),
            Row.api("POST", "/api/v1/revocations/{id}/deny", Role.RESPONDER),
            Row.api("GET", "/api/v1/audit", Role.VIEWER),
            Row.api("GET", "/api/v1/audit/verify", Role.VIEWER),
            Row.api("GET", "/api/v1/audit/export", Role.VIEWER),
            Row.api("GET", "/api/v1/webhooks", Role.VIEWER),
            Row.api("POST", "/api/v1/webhooks", Role.ADMIN),
            Row.api("GET", "/api/v1/webhooks/{id}", Role.VIEWER),
            Row.api("DELETE", "/api/v1/webhooks/{id}", Role.ADMIN),
            Row.api("GET", "/api/v1/webhooks/{id}/deliveries", Role.VIEWER),
            Row.api("POST", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", Role.ADMIN),
            Row.api("POST", "/api/v1/webhooks/{id}/recover", Role.ADMIN),
            Row.api("POST", "/api/v1/webhooks/{id}/rotate-secret", Role.ADMIN),
            Row.api("GET", "/api/v1/silences", Role.VIEWER),
            Row.api("POST", "/api/v1/silences", Role.RESPONDER),
            Row.api("DELETE", "/api/v1/silences/{id}", Role.RESPONDER),
            Row.api("GET", "/api/v1/tokens", Role.ADMIN),
            Row.api("POST", "/api/v1/tokens", Role.ADMIN),
            Row.api("GET", "/api/v1/tokens/{id}", Role.ADMIN),
            Row.api("DELETE", "/api/v1/tokens/{id}", Role.ADMIN),
            Row.api("GET", "/api/v1/approvals", Role.VIEWER),
            Row.api("GET", "/api/v1/approvals/{id}", Role.VIEWER),
            Row.api("POST", "/api/v1/approvals/{id}/approve", Role.ADMIN),
            Row.api("POST", "/api/v1/approvals/{id}/deny", Role.ADMIN));

    private static RunningApi running;
    private static TestIssuer issuer;
    private static TestIssuer otherIssuer;
    private static WebhookReceiver receiver;
    private static final List<Credential> CREDENTIALS = new ArrayList<>();
    /** Values no answer may contain. */
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) throws SQLException {
        issuer = TestIssuer.start();
        otherIssuer = TestIssuer.start();
        running = RunningApi.start(postgres, broker, settings -> settings.withWebhooks(TestServices.webhooks())
                .withOidc(issuer.settings()));
        receiver = new WebhookReceiver();
        ApiClient admin = running.api();
        String viewer = token(admin, "table-viewer", "viewer").path("token").asText();
        String responder = token(admin, "table-responder", "responder").path("token").asText();
        String adminToken = token(admin, "table-admin", "admin").path("token").asText();
        JsonNode expired = token(admin, "table-expired", "admin");
        JsonNode revoked = token(admin, "table-revoked", "admin");
        assertOk(admin.delete("/api/v1/tokens/" + revoked.path("id").asText()), 200);
        expire(expired.path("id").asText());
        CREDENTIALS.add(new Credential("no credential", null, null));
        CREDENTIALS.add(new Credential("bootstrap admin (KEYWATCH_ADMIN_TOKEN)", TestServices.TOKEN, Role.ADMIN));
        CREDENTIALS.add(new Credential("viewer token", viewer, Role.VIEWER));
        CREDENTIALS.add(new Credential("responder token", responder, Role.RESPONDER));
        CREDENTIALS.add(new Credential("admin token", adminToken, Role.ADMIN));
        CREDENTIALS.add(new Credential("expired admin token", expired.path("token").asText(), null));
        CREDENTIALS.add(new Credential("revoked admin token", revoked.path("token").asText(), null));
        CREDENTIALS.add(new Credential("unknown token", "kw_zzzzzzzz" + adminToken.substring(11), null));
        CREDENTIALS.add(new Credential("admin token, wrong secret", adminToken.substring(0, 12)
                + "A".repeat(adminToken.length() - 12), null));
        CREDENTIALS.add(new Credential("not a bearer credential", "", null));
        CREDENTIALS.add(new Credential("SSO viewer (JWT)", issuer.token("vera@example.com", TestIssuer.VIEWERS),
                Role.VIEWER));
        CREDENTIALS.add(new Credential("SSO responder (JWT)", issuer.token("rob@example.com", TestIssuer.RESPONDERS),
                Role.RESPONDER));
        CREDENTIALS.add(new Credential("SSO admin (JWT)", issuer.token("ada@example.com", TestIssuer.ADMINS),
                Role.ADMIN));
        CREDENTIALS.add(new Credential("JWT from another issuer", otherIssuer.token("ada@example.com",
                TestIssuer.ADMINS), null));
        CREDENTIALS.add(new Credential("JWT with no mapped group", issuer.token("nobody@example.com", "other-group"),
                null));
        // a subscription, so that the webhook routes have something whose secret a viewer must not see
        JsonNode hook = assertOk(admin.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url("/table") + "\"}"), 201)
                .json();
        SECRETS.add(hook.path("secret").asText());
        SECRETS.add(hook.path("secret").asText().substring("whsec_".length()));
        for (String token : List.of(viewer, responder, adminToken, expired.path("token").asText(),
                revoked.path("token").asText())) {
            SECRETS.add(token.substring(12));
        }
        SECRETS.add(TestServices.TOKEN);
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (running != null) {
            running.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (otherIssuer != null) {
            otherIssuer.close();
        }
    }

    @Test
    void theTableListsEveryRouteTheServerHasWithTheRoleItDeclares() {
        Set<String> registered = running.service().routes().stream()
                .map(r -> r.method() + " " + r.path() + " -> " + label(r.role()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = ROUTES.stream()
                .map(r -> r.method() + " " + r.template() + " -> " + label(r.minimum()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(registered).as("routes (and their roles) the server registers vs. this table; add a row for a new"
                + " route, with the role it must declare").isEqualTo(documented);
        for (ApiRoute route : running.service().routes()) {
            if (route.path().startsWith("/api/")) {
                assertThat(route.role()).as(route.method() + " " + route.path() + " declares no Access").isNotNull();
            }
        }
    }

    @Test
    void everyRouteGivesEveryCredentialTheDocumentedAnswer() {
        SoftAssertions softly = new SoftAssertions();
        int calls = 0;
        for (Row row : ROUTES) {
            for (Credential credential : CREDENTIALS) {
                Response response = call(row, credential);
                calls++;
                String what = row.method() + " " + row.path() + " with " + credential + ": " + response.body();
                int status = response.status();
                softly.assertThat(status).as(what).isLessThan(500);
                if (row.template().equals(CONSOLE_CONFIG)) {
                    softly.assertThat(status).as(what).isEqualTo(200);
                    softly.assertThat(response.body()).as(what).contains("\"sso\"");
                } else if (row.template().equals(OPENAPI)) {
                    softly.assertThat(status).as(what).isEqualTo(200);
                    softly.assertThat(response.body()).as(what).contains("\"openapi\"");
                } else if (row.template().equals(METRICS)) {
                    softly.assertThat(status).as(what).isEqualTo(200);
                    softly.assertThat(response.body()).as(what).contains("# TYPE keywatch_");
                } else if (row.isPublic() && credential.bearer() == null) {
                    // the health routes without a credential: the bare status only
                    softly.assertThat(status).as(what).isNotIn(401, 403);
                    softly.assertThat(response.body()).as(what).doesNotContain("components");
                } else if (row.isPublic() && credential.role() != null) {
                    softly.assertThat(status).as(what).isNotIn(401, 403);
                    softly.assertThat(response.body()).as(what).contains("components");
                } else if (row.isPublic()) {
                    // a credential that fails is refused there too (and counts towards the throttle)
                    softly.assertThat(status).as(what).isEqualTo(401);
                } else if (credential.role() == null) {
                    softly.assertThat(status).as(what).isEqualTo(401);
                } else if (!credential.role().includes(row.minimum())) {
                    softly.assertThat(status).as(what).isEqualTo(403);
                    softly.assertThat(response.body()).as(what).contains(row.minimum().label());
                } else {
                    softly.assertThat(status).as(what).isNotIn(401, 403);
                }
                if (status == 401 || status == 403) {
                    softly.assertThatCode(() -> assertError(response, status)).as(what).doesNotThrowAnyException();
                }
                for (String secret : SECRETS) {
                    softly.assertThat(response.body()).as(what + " shows a secret").doesNotContain(secret);
                }
            }
        }
        softly.assertThat(calls).isEqualTo(ROUTES.size() * CREDENTIALS.size());
        softly.assertAll();
    }

    @Test
    void aViewerSeesWebhooksButNeverTheirSecretsNorAnyTokenHash() {
        ApiClient viewer = running.api().withToken(CREDENTIALS.stream()
                .filter(c -> c.kind().equals("viewer token")).findFirst().orElseThrow().bearer());
        Response list = assertOk(viewer.get("/api/v1/webhooks"), 200);
        assertThat(list.json().path("items")).isNotEmpty();
        assertThat(list.body()).contains("secretFingerprint").doesNotContain("whsec_");
        String id = list.json().path("items").get(0).path("id").asText();
        assertThat(assertOk(viewer.get("/api/v1/webhooks/" + id), 200).body()).doesNotContain("whsec_");
        // tokens are the admin's business: a viewer does not even see their names
        assertError(viewer.get("/api/v1/tokens"), 403);
        assertThat(assertOk(running.api().get("/api/v1/tokens"), 200).body()).doesNotContain("hash")
                .doesNotContain("secret");
    }

    private static Response call(Row row, Credential credential) {
        ApiClient client = running.api().withToken(credential.bearer());
        return switch (row.method()) {
            case "GET" -> client.get(row.path());
            case "DELETE" -> client.delete(row.path());
            // an empty body: granted, the route answers with its own 400 (or 404 for the made-up id)
            case "POST" -> client.post(row.path(), "");
            case "PUT" -> client.put(row.path(), "");
            default -> throw new IllegalArgumentException("no way to call " + row.method() + " in this table");
        };
    }

    private static JsonNode token(ApiClient admin, String name, String role) {
        return assertOk(admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
                .json();
    }

    private static void expire(String id) throws SQLException {
        try (Connection c = running.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ?")) {
            update.setString(1, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static String label(Role role) {
        return role == null ? "public" : role.label();
    }
}
