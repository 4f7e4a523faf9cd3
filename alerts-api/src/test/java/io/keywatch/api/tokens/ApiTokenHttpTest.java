package io.keywatch.api.tokens;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Named API tokens over HTTP, on real PostgreSQL: issued once, stored as a hash, expiring, revocable. */
@ExtendWith(SharedInfra.class)
class ApiTokenHttpTest {

    private static RunningApi running;
    private static ApiClient admin;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker);
        admin = running.api();
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static JsonNode create(String name, String role) {
        return assertOk(admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
                .json();
    }

    @Test
    void issuesATokenOnceWithAPublicPrefixAndNinetyDaysAndAttributesItsCallsToItsName() {
        Response created = assertOk(admin.withActor("alice@example.com").post("/api/v1/tokens",
                "{\"name\":\"ci-reader\",\"role\":\"viewer\",\"description\":\"deploy gate\"}"), 201);
        JsonNode body = created.json();
        String token = body.path("token").asText();
        String id = body.path("id").asText();
        assertThat(token).matches("kw_[a-z0-9]{8}_[A-Za-z0-9_-]{43}").startsWith("kw_" + id + "_");
        assertThat(body.path("role").asText()).isEqualTo("viewer");
        assertThat(body.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(body.path("createdBy").asText()).isEqualTo("api:admin");
        assertThat(body.path("onBehalfOf").asText()).isEqualTo("alice@example.com");
        Instant expires = Instant.parse(body.path("expiresAt").asText());
        Instant createdAt = Instant.parse(body.path("createdAt").asText());
        assertThat(Duration.between(createdAt, expires)).isEqualTo(Duration.ofDays(90));

        // never again: not in the list, not in the single answer, and no hash either
        for (Response later : new Response[] {admin.get("/api/v1/tokens"), admin.get("/api/v1/tokens/" + id)}) {
            assertOk(later, 200);
            assertThat(later.body()).doesNotContain(token.substring(12)).doesNotContain("hash")
                    .doesNotContain("\"token\"").contains("ci-reader");
        }

        ApiClient reader = admin.withToken(token);
        assertOk(reader.get("/api/v1/alerts"), 200);
        assertThat(assertError(reader.post("/api/v1/keys/tok-k1/revoke", "{\"reason\":\"x\"}"), 403))
                .contains("token:ci-reader").contains("viewer");
        assertThat(assertError(reader.get("/api/v1/tokens"), 403)).contains("admin");
        JsonNode used = assertOk(admin.get("/api/v1/tokens/" + id), 200).json();
        assertThat(used.path("lastUsedAt").isTextual()).as(used.toString()).isTrue();
    }

    @Test
    void aRespondersChangesAreItsOwnWhateverTheHeaderSays() {
        String token = create("oncall-bot", "responder").path("token").asText();
        Response revoked = assertOk(admin.withToken(token).withActor("ciso@example.com")
                .post("/api/v1/keys/tok-k2/revoke", "{\"reason\":\"leaked in a log\"}"), 200);
        assertThat(revoked.body()).contains("token:oncall-bot");
        JsonNode key = assertOk(admin.get("/api/v1/keys/tok-k2"), 200).json();
        assertThat(key.path("changedBy").asText()).as(key.toString()).isEqualTo("token:oncall-bot");
    }

    @Test
    void revokedExpiredWrongAndUnknownTokensAllGetTheSameAnswer() throws SQLException {
        JsonNode revokedToken = create("to-revoke", "admin");
        JsonNode expiredToken = create("to-expire", "admin");
        String good = create("still-good", "admin").path("token").asText();
        assertOk(admin.withToken(revokedToken.path("token").asText()).get("/api/v1/alerts"), 200);

        JsonNode revoked = assertOk(admin.delete("/api/v1/tokens/" + revokedToken.path("id").asText()), 200).json();
        assertThat(revoked.path("status").asText()).isEqualTo("REVOKED");
        assertThat(revoked.path("revokedBy").asText()).isEqualTo("api:admin");
        assertThat(revoked.path("revokedAt").isTextual()).isTrue();
        // kept for the record, and revoking again changes nothing
        assertThat(assertOk(admin.delete("/api/v1/tokens/" + revokedToken.path("id").asText()), 200).json()
                .path("revokedAt")).isEqualTo(revoked.path("revokedAt"));
        expire(expiredToken.path("id").asText());

        String wrongSecret = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
        String unknownId = "kw_zzzzzzzz" + good.substring(11);
        String expected = null;
        for (String credential : new String[] {revokedToken.path("token").asText(),
                expiredToken.path("token").asText(), wrongSecret, unknownId}) {
            Response refused = admin.withToken(credential).get("/api/v1/alerts");
            String message = assertError(refused, 401);
            assertThat(refused.body()).doesNotContain(credential).doesNotContain(credential.substring(12));
            expected = expected == null ? message : expected;
            assertThat(message).isEqualTo(expected);
        }
        assertOk(admin.withToken(good).get("/api/v1/alerts"), 200);
        assertThat(assertOk(admin.get("/api/v1/tokens/" + expiredToken.path("id").asText()), 200).json()
                .path("status").asText()).isEqualTo("EXPIRED");
    }

    @Test
    void refusesBadRequestsNamingTheField() {
        create("taken-name", "viewer");
        assertThat(assertError(admin.post("/api/v1/tokens", "{\"name\":\"TAKEN-name\",\"role\":\"viewer\"}"), 409))
                .contains("name");
        assertThat(assertError(admin.post("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"root\"}"), 400))
                .startsWith("role");
        assertThat(assertError(admin.post("/api/v1/tokens", "{\"name\":\"has space\",\"role\":\"viewer\"}"), 400))
                .startsWith("name");
        assertThat(assertError(admin.post("/api/v1/tokens", "{\"name\":\"token:x\",\"role\":\"viewer\"}"), 400))
                .startsWith("name");
        assertThat(assertError(admin.post("/api/v1/tokens", "{\"role\":\"viewer\"}"), 400)).startsWith("name");
        // found by LogLeakScanTest: a token (or any secret) as a name would be printed as token:<name> everywhere
        String issued = create("name-source", "viewer").path("token").asText();
        assertThat(assertError(admin.post("/api/v1/tokens", "{\"name\":\"" + issued + "\",\"role\":\"viewer\"}"),
                400)).startsWith("name").contains("looks like a secret (keywatch-secret)").doesNotContain(issued);
        assertThat(assertError(admin.post("/api/v1/tokens",
                "{\"name\":\"long\",\"role\":\"viewer\",\"expiresInDays\":367}"), 400)).startsWith("expiresInDays");
        assertThat(assertError(admin.post("/api/v1/tokens",
                "{\"name\":\"zero\",\"role\":\"viewer\",\"expiresInDays\":0}"), 400)).startsWith("expiresInDays");
        assertThat(assertError(admin.post("/api/v1/tokens",
                "{\"name\":\"frac\",\"role\":\"viewer\",\"expiresInDays\":1.5}"), 400)).startsWith("expiresInDays");
        assertThat(assertError(admin.post("/api/v1/tokens",
                "{\"name\":\"n\",\"role\":\"viewer\",\"owner\":\"x\"}"), 400)).contains("unknown field");
        JsonNode shortLived = assertOk(admin.post("/api/v1/tokens",
                "{\"name\":\"short-lived\",\"role\":\"viewer\",\"expiresInDays\":366}"), 201).json();
        assertThat(shortLived.path("token").asText()).startsWith("kw_");
        assertError(admin.get("/api/v1/tokens/nosuchid"), 404);
        assertError(admin.delete("/api/v1/tokens/nosuchid"), 404);
    }

    @Test
    void racingCreatesOfOneNameGiveOneTokenAndConflictsNeverA5xx() throws Exception {
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = i % 2 == 0 ? "race-name" : "RACE-name";
            creates.add(() -> admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"viewer\"}")
                    .status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(creates)) {
                statuses.add(status.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void expire(String id) throws SQLException {
        try (Connection c = running.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ?")) {
            update.setString(1, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
