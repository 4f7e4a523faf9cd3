package io.keywatch.api.approvals;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentities;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Four eyes on (the default) over HTTP on real PostgreSQL and Kafka, with distinct identities: alice, bob and carol
 * (admins), rita (responder), vic (viewer), and the bootstrap admin token ({@code api:admin}).
 */
@ExtendWith(SharedInfra.class)
class FourEyesHttpTest {

    private static RunningApi running;
    private static ApiClient bootstrap;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker, settings -> settings.withFourEyes(FourEyesSettings.DEFAULTS),
                List.of(new TestIdentities()));
        bootstrap = running.api();
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    /**
     * As whom: the identity's token, and (until attribution comes from the credential everywhere) the same name as
     * the on-behalf-of note, so that the key's recorded revoker is that identity either way.
     */
    private static ApiClient as(String name) {
        return bootstrap.withToken(TestIdentities.token(name)).withActor(name);
    }

    private static void revoke(String keyId, String by) {
        assertOk(as(by).post("/api/v1/keys/" + keyId + "/revoke", "{\"reason\":\"leaked\"}"), 200);
    }

    private static String keyStatus(String keyId) {
        return bootstrap.get("/api/v1/keys/" + keyId).json().path("status").asText();
    }

    @Test
    void reinstatingARevokedKeyWaitsForASecondIdentityAndTheRevokerMayTakeNeitherPart() {
        revoke("fe-key-1", "alice");

        String refused = assertError(as("alice").post("/api/v1/keys/fe-key-1/reinstate",
                "{\"reason\":\"false alarm\"}"), 403);
        assertThat(refused).contains("alice revoked key 'fe-key-1'");

        Response requested = assertOk(as("bob").post("/api/v1/keys/fe-key-1/reinstate",
                "{\"reason\":\"false alarm\"}"), 202);
        String id = requested.json().path("id").asText();
        assertThat(requested.json().path("status").asText()).isEqualTo("PENDING");
        assertThat(requested.json().path("action").asText()).isEqualTo("reinstate-key");
        assertThat(requested.json().path("requestedBy").asText()).isEqualTo("bob");
        assertThat(requested.json().path("requestedRole").asText()).isEqualTo("admin");
        assertThat(Instant.parse(requested.json().path("expiresAt").asText()))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(keyStatus("fe-key-1")).as("nothing changes before approval").isEqualTo("REVOKED");

        assertThat(assertError(as("carol").post("/api/v1/keys/fe-key-1/reinstate", "{\"reason\":\"x\"}"), 409))
                .contains("already pending: " + id);
        assertThat(assertError(as("bob").post("/api/v1/approvals/" + id + "/approve", ""), 403))
                .contains("bob asked for this change");
        assertThat(assertError(as("alice").post("/api/v1/approvals/" + id + "/approve", ""), 403))
                .contains("alice revoked key 'fe-key-1'");
        assertThat(assertError(as("rita").post("/api/v1/approvals/" + id + "/approve", ""), 403))
                .contains("needs the admin role");
        assertThat(keyStatus("fe-key-1")).isEqualTo("REVOKED");

        Response pending = assertOk(as("vic").get("/api/v1/approvals?status=pending"), 200);
        assertThat(pending.json().path("items").findValuesAsText("id")).contains(id);

        Response approved = assertOk(as("carol").post("/api/v1/approvals/" + id + "/approve",
                "{\"note\":\"checked with the owner\"}"), 200);
        assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.json().path("decidedBy").asText()).isEqualTo("carol");
        assertThat(approved.json().path("decisionNote").asText()).isEqualTo("checked with the owner");
        assertThat(approved.json().path("outcome").asText()).isEqualTo("key reinstated");
        assertThat(keyStatus("fe-key-1")).isEqualTo("ACTIVE");

        assertThat(assertError(as("carol").post("/api/v1/approvals/" + id + "/approve", ""), 409))
                .contains("approved, no longer pending");
        assertThat(bootstrap.get("/api/v1/approvals/" + id).json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(bootstrap.get("/api/v1/approvals?status=approved").json().path("items").findValuesAsText("id"))
                .contains(id);
    }

    @Test
    void theBootstrapAdminIsOneIdentityAndCannotApproveItsOwnRequest() {
        revoke("fe-key-2", "alice");

        String id = assertOk(bootstrap.post("/api/v1/keys/fe-key-2/reinstate", "{\"reason\":\"r\"}"), 202)
                .json().path("id").asText();
        assertThat(assertError(bootstrap.post("/api/v1/approvals/" + id + "/approve", ""), 403))
                .contains("api:admin asked for this change");
        // the on-behalf-of note is not an identity: naming someone else does not make a second pair of eyes
        assertError(bootstrap.withActor("someone-else").post("/api/v1/approvals/" + id + "/approve", ""), 403);
        assertThat(keyStatus("fe-key-2")).isEqualTo("REVOKED");

        assertOk(as("bob").post("/api/v1/approvals/" + id + "/approve", ""), 200);
        assertThat(keyStatus("fe-key-2")).isEqualTo("ACTIVE");
    }

    @Test
    void aDeniedRequestChangesNothingAndCannotBeApprovedAfterwards() {
        revoke("fe-key-3", "bob");
        String id = assertOk(as("alice").post("/api/v1/keys/fe-key-3/reinstate", "{\"reason\":\"r\"}"), 202)
                .json().path("id").asText();

        Response denied = assertOk(as("carol").post("/api/v1/approvals/" + id + "/deny",
                "{\"note\":\"still leaked\"}"), 200);
        assertThat(denied.json().path("status").asText()).isEqualTo("DENIED");
        assertThat(denied.json().path("decidedBy").asText()).isEqualTo("carol");
        assertError(as("carol").post("/api/v1/approvals/" + id + "/approve", ""), 409);
        assertThat(keyStatus("fe-key-3")).isEqualTo("REVOKED");

        // a new request may follow a decided one; its requester may withdraw it
        String again = assertOk(as("alice").post("/api/v1/keys/fe-key-3/reinstate", "{\"reason\":\"r2\"}"), 202)
                .json().path("id").asText();
        assertThat(assertOk(as("alice").post("/api/v1/approvals/" + again + "/deny", ""), 200)
                .json().path("status").asText()).isEqualTo("DENIED");
    }

    @Test
    void aPendingRequestExpiresAndThenFreesTheKeyForANewRequest() {
        revoke("fe-key-4", "alice");
        String id = assertOk(as("bob").post("/api/v1/keys/fe-key-4/reinstate", "{\"reason\":\"r\"}"), 202)
                .json().path("id").asText();
        // a day passes: moved in the database, the clock of the request's own row
        try (var connection = running.dataSource().getConnection();
             var statement = connection.prepareStatement(
                     "UPDATE approval_requests SET expires_at = now() - interval '1 second' WHERE id = ?")) {
            statement.setString(1, id);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }

        assertThat(bootstrap.get("/api/v1/approvals/" + id).json().path("status").asText()).isEqualTo("EXPIRED");
        assertThat(bootstrap.get("/api/v1/approvals?status=expired").json().path("items").findValuesAsText("id"))
                .contains(id);
        assertThat(bootstrap.get("/api/v1/approvals?status=pending").json().path("items").findValuesAsText("id"))
                .doesNotContain(id);
        assertThat(assertError(as("carol").post("/api/v1/approvals/" + id + "/approve", ""), 409))
                .contains("expired");
        assertThat(keyStatus("fe-key-4")).isEqualTo("REVOKED");

        assertOk(as("bob").post("/api/v1/keys/fe-key-4/reinstate", "{\"reason\":\"r\"}"), 202);
    }

    @Test
    void reinstatementRequestsAreCheckedAsTheOneStepReinstatementWas() {
        assertError(as("bob").post("/api/v1/keys/fe-never-seen/reinstate", "{\"reason\":\"r\"}"), 404);
        assertOk(as("alice").put("/api/v1/keys/fe-active", "{\"owner\":\"team-a\",\"service\":\"billing\"}"), 201);
        assertThat(assertError(as("bob").post("/api/v1/keys/fe-active/reinstate", "{\"reason\":\"r\"}"), 409))
                .contains("it is ACTIVE");
        assertError(as("bob").post("/api/v1/keys/fe-active/reinstate", "{}"), 400);
        assertError(as("rita").post("/api/v1/keys/fe-active/reinstate", "{\"reason\":\"r\"}"), 403);
        assertError(as("bob").post("/api/v1/approvals/no-such-request/approve", ""), 404);
        assertError(as("bob").post("/api/v1/approvals/no-such-request/deny", ""), 404);
        assertError(as("vic").get("/api/v1/approvals/no-such-request"), 404);
        assertThat(assertError(as("vic").get("/api/v1/approvals?status=maybe"), 400)).contains("status");
        assertError(as("bob").post("/api/v1/approvals/x/approve", "{\"note\":\"n\",\"extra\":1}"), 400);
    }

    @Test
    void aRuleWideSilenceNeedsAnAdminAndASecondIdentity() {
        String in2h = Instant.now().plus(Duration.ofHours(2)).toString();
        String ruleWide = "{\"rule\":\"IP_FANOUT\",\"expiresAt\":\"" + in2h + "\",\"comment\":\"pen test\"}";

        assertThat(assertError(as("rita").post("/api/v1/silences", ruleWide), 403))
                .contains("rule-wide silence").contains("admin");
        // a responder may still silence one key: no approval needed
        assertOk(as("rita").post("/api/v1/silences", "{\"keyId\":\"fe-one-key\",\"rule\":\"IP_FANOUT\","
                + "\"expiresAt\":\"" + in2h + "\",\"comment\":\"known scanner\"}"), 201);

        Response requested = assertOk(as("alice").post("/api/v1/silences", ruleWide), 202);
        String id = requested.json().path("id").asText();
        assertThat(requested.json().path("action").asText()).isEqualTo("rule-wide-silence");
        assertThat(requested.json().path("rule").asText()).isEqualTo("IP_FANOUT");
        assertThat(ruleWideSilences()).as("nothing silenced before approval").isEmpty();
        assertError(as("alice").post("/api/v1/approvals/" + id + "/approve", ""), 403);

        Response approved = assertOk(as("bob").post("/api/v1/approvals/" + id + "/approve", ""), 200);
        assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.json().path("outcome").asText()).startsWith("silence ").endsWith(" created");
        List<com.fasterxml.jackson.databind.JsonNode> silences = ruleWideSilences();
        assertThat(silences).hasSize(1);
        assertThat(silences.get(0).path("createdBy").asText()).isEqualTo("alice");
        assertThat(approved.json().path("outcome").asText()).contains(silences.get(0).path("id").asText());
    }

    @Test
    void aSilenceLongerThanTheMaximumIsRefusedNamingTheField() {
        String tooLong = Instant.now().plus(Duration.ofDays(7)).plus(Duration.ofMinutes(5)).toString();
        String message = assertError(as("rita").post("/api/v1/silences", "{\"keyId\":\"fe-long\",\"expiresAt\":\""
                + tooLong + "\",\"comment\":\"c\"}"), 400);
        assertThat(message).startsWith("expiresAt must be at most 7 days from now");
        assertError(as("alice").post("/api/v1/silences", "{\"rule\":\"VOLUME_SPIKE\",\"expiresAt\":\"9999-12-31T00:00:00Z\","
                + "\"comment\":\"c\"}"), 400);

        String sixDays = Instant.now().plus(Duration.ofDays(6)).toString();
        assertOk(as("rita").post("/api/v1/silences", "{\"keyId\":\"fe-long\",\"expiresAt\":\"" + sixDays
                + "\",\"comment\":\"c\"}"), 201);
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> ruleWideSilences() {
        List<com.fasterxml.jackson.databind.JsonNode> found = new java.util.ArrayList<>();
        bootstrap.get("/api/v1/silences").json().path("items").forEach(silence -> {
            if (silence.path("keyId").isNull() || silence.path("keyId").isMissingNode()) {
                found.add(silence);
            }
        });
        return found;
    }
}
