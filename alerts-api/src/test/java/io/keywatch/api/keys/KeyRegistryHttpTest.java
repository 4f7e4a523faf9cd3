package io.keywatch.api.keys;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The key registry over HTTP, against the real server, PostgreSQL and Kafka. Each test uses its own key ids. */
@ExtendWith(SharedInfra.class)
class KeyRegistryHttpTest {

    private static final String FULL = """
            {"owner":"team-billing","service":"billing","scopes":["invoices:read","invoices:write"],
             "createdAt":"2026-01-01T00:00:00Z","expiresAt":"2027-01-01T00:00:00+01:00","rateLimitPerMinute":600,
             "autoRevoke":false,"allowedCountries":["de","FR"],"allowedCidrs":["10.0.0.0/8","2001:DB8::/32"],
             "thresholds":{"volume.floor":500,"auth.failures.critical":40.5}}
            """;

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker);
        service = new AlertsApiService(settings, null).start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        kafka = new KafkaTestClients(broker.bootstrapServers());
    }

    @AfterAll
    static void stopService() {
        if (kafka != null) {
            kafka.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void keyIdsFollowKeywatchsOneRuleInPathsQueriesAndBodiesWithoutEchoingThem() {
        // controls and format characters are refused earlier, as any request string; spaces only in a key id, as
        // the usage-event parser does: a key id with a space could never be seen in usage
        assertThat(assertError(api.put("/api/v1/keys/reg%20evil", FULL), 400))
                .contains("keyId must be printable without spaces, but has U+0020 at index 3 (length 8)")
                .doesNotContain("evil");
        assertThat(assertError(api.get("/api/v1/alerts?keyId=reg%C2%A0evil"), 400))
                .contains("keyId must be printable without spaces, but has U+00A0 at index 3").doesNotContain("evil");
        assertThat(assertError(api.post("/api/v1/silences", "{\"keyId\":\"reg\u3000evil\","
                + "\"expiresAt\":\"2099-01-01T00:00:00Z\",\"comment\":\"c\"}"), 400))
                .contains("keyId must be printable without spaces, but has U+3000 at index 3").doesNotContain("evil");
    }

    @Test
    void registersAKeyWith201UpdatesItWith200AndShowsItsMetadata() {
        Response created = assertOk(api.withActor("alice").put("/api/v1/keys/reg-1", FULL), 201);

        JsonNode metadata = created.json().path("metadata");
        assertThat(created.json().path("registered").asBoolean()).isTrue();
        assertThat(created.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(created.json().path("registryUpdatedBy").asText()).isEqualTo("api:admin");
        assertThat(created.json().path("registryUpdatedOnBehalfOf").asText()).isEqualTo("alice");
        assertThat(metadata.path("owner").asText()).isEqualTo("team-billing");
        assertThat(metadata.path("expiresAt").asText()).isEqualTo("2026-12-31T23:00:00Z");
        assertThat(metadata.path("autoRevoke").asBoolean()).isFalse();
        assertThat(metadata.path("allowedCountries").toString()).isEqualTo("[\"DE\",\"FR\"]");
        assertThat(metadata.path("allowedCidrs").toString()).isEqualTo("[\"10.0.0.0/8\",\"2001:db8::/32\"]");
        assertThat(metadata.at("/thresholds/volume.floor").asDouble()).isEqualTo(500);

        Response updated = assertOk(api.put("/api/v1/keys/reg-1", "{\"owner\":\"team-payments\"}"), 200);
        assertThat(updated.json().at("/metadata/owner").asText()).isEqualTo("team-payments");
        assertThat(updated.json().at("/metadata/autoRevoke").asBoolean()).as("defaults to true").isTrue();
        assertThat(updated.json().at("/metadata/scopes").isMissingNode()).as("replaced, not merged").isTrue();
        assertThat(updated.json().path("registryUpdatedBy").asText()).isEqualTo("api:admin");

        Response shown = assertOk(api.get("/api/v1/keys/reg-1"), 200);
        assertThat(shown.json().at("/metadata/owner").asText()).isEqualTo("team-payments");
        assertThat(shown.json().path("recentAlerts").isArray()).isTrue();
    }

    @Test
    void publishesTheFullKeyStateOnEveryRegistryChangeAndOnRevocation() {
        assertOk(api.put("/api/v1/keys/reg-pub-1", FULL), 201);
        assertOk(api.put("/api/v1/keys/reg-pub-1", FULL), 200);
        assertOk(api.post("/api/v1/keys/reg-pub-1/revoke", "{\"reason\":\"leaked\"}"), 200);

        List<KeyState> states = kafka.keyStates(settings.topics().keyState(), "reg-pub-1", Duration.ofSeconds(1));

        assertThat(states).as("an unchanged PUT publishes nothing").hasSize(2);
        KeyMetadata expected = states.get(0).metadata();
        assertThat(states.get(0).status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(expected.owner()).isEqualTo("team-billing");
        assertThat(expected.scopes()).containsExactly("invoices:read", "invoices:write");
        assertThat(expected.expiresAt()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(expected.rateLimitPerMinute()).isEqualTo(600);
        assertThat(expected.autoRevokeAllowed()).isFalse();
        assertThat(expected.thresholds()).isEqualTo(Map.of("volume.floor", 500.0, "auth.failures.critical", 40.5));
        assertThat(states.get(1)).satisfies(revoked -> {
            assertThat(revoked.status()).isEqualTo(KeyStatus.REVOKED);
            assertThat(revoked.reason()).isEqualTo("leaked");
            assertThat(revoked.metadata()).as("the compacted topic's last record carries everything")
                    .isEqualTo(expected);
        });

        // changing the entry of a revoked key keeps it revoked, and says so on the topic
        assertOk(api.put("/api/v1/keys/reg-pub-1", "{\"owner\":\"team-x\"}"), 200);
        List<KeyState> after = kafka.keyStates(settings.topics().keyState(), "reg-pub-1", Duration.ofSeconds(1));
        assertThat(after).last().satisfies(last -> {
            assertThat(last.status()).isEqualTo(KeyStatus.REVOKED);
            assertThat(last.reason()).isEqualTo("leaked");
            assertThat(last.metadata().owner()).isEqualTo("team-x");
        });
    }

    @Test
    void refusesAnythingThatLooksLikeASecret() {
        for (String body : List.of(
                "{\"owner\":\"a\",\"secret\":\"s3cr3t-value\"}",
                "{\"apiKey\":\"s3cr3t-value\"}",
                "{\"api_key\":\"s3cr3t-value\"}",
                "{\"token\":\"s3cr3t-value\"}",
                "{\"thresholds\":{\"clientSecret\":1}}")) {
            String message = assertError(api.put("/api/v1/keys/reg-secret-1", body), 400);

            assertThat(message).contains("keywatch never stores key secrets").doesNotContain("s3cr3t-value");
        }
        assertError(api.get("/api/v1/keys/reg-secret-1"), 404);
    }

    @Test
    void refusesASecretAsKeyIdNamingItsFormatButNeverTheValue() {
        String secret = KeyMetadataParserTest.stripeSecret();

        String message = assertError(api.put("/api/v1/keys/" + secret, "{\"owner\":\"team-x\"}"), 400);
        assertThat(message).contains("keyId").contains("stripe-secret-key").doesNotContain(secret);
        String revoke = assertError(api.post("/api/v1/keys/" + secret + "/revoke", "{\"reason\":\"leaked\"}"), 400);
        assertThat(revoke).contains("stripe-secret-key").doesNotContain(secret);
        String value = assertError(api.put("/api/v1/keys/reg-secret-2", "{\"owner\":\"" + secret + "\"}"), 400);
        assertThat(value).contains("owner").contains("stripe-secret-key").doesNotContain(secret);

        // a 404 never echoes the key id (it was a secret here)
        assertThat(assertError(api.get("/api/v1/keys/" + secret), 404)).isEqualTo(
                "keywatch knows nothing about a key with that id").doesNotContain(secret.substring(0, 12));
        assertThat(assertError(api.post("/api/v1/keys/" + secret + "/reinstate", "{\"reason\":\"back\"}"), 404))
                .doesNotContain(secret.substring(0, 12));
        assertError(api.get("/api/v1/keys/reg-secret-2"), 404);
        String github = "ghp_" + "Qr7x9Kd2LmPq4RsTv8WyZa1Bc3Dd5Ee6Ff7Gg8";
        assertThat(assertError(api.put("/api/v1/keys/team:" + github, "{\"owner\":\"team-x\"}"), 400))
                .contains("github-token").doesNotContain(github);

        // a silence is stored and listed too: it refuses the secret, and the listing never shows it
        String silence = assertError(api.post("/api/v1/silences", "{\"keyId\":\"" + secret
                + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\",\"comment\":\"quiet\"}"), 400);
        assertThat(silence).contains("stripe-secret-key").doesNotContain(secret);
        assertThat(api.get("/api/v1/silences?all=true").body()).doesNotContain(secret);
    }

    @Test
    void rejectsEachInvalidFieldWith400NamingIt() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"owner\":42}", "owner must be a string");
        cases.put("{\"owner\":\"  \"}", "owner must not be blank");
        cases.put("{\"owner\":\"" + "x".repeat(201) + "\"}", "owner must be at most 200");
        cases.put("{\"service\":[]}", "service must be a string");
        cases.put("{\"scopes\":\"invoices:read\"}", "scopes must be an array");
        cases.put("{\"scopes\":[\"\"]}", "scopes must contain non-blank strings");
        cases.put("{\"scopes\":[\"two words\"]}", "scopes: 'two words'");
        cases.put("{\"createdAt\":\"yesterday\"}", "createdAt must be an ISO-8601 instant");
        cases.put("{\"expiresAt\":\"2026-13-01T00:00:00Z\"}", "expiresAt must be an ISO-8601 instant");
        cases.put("{\"createdAt\":\"2027-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-01T00:00:00Z\"}",
                "expiresAt must be after createdAt");
        cases.put("{\"rateLimitPerMinute\":0}", "rateLimitPerMinute must be a positive integer");
        cases.put("{\"rateLimitPerMinute\":1.5}", "rateLimitPerMinute must be a positive integer");
        cases.put("{\"rateLimitPerMinute\":\"100\"}", "rateLimitPerMinute must be a positive integer");
        cases.put("{\"autoRevoke\":\"no\"}", "autoRevoke must be true or false");
        cases.put("{\"allowedCountries\":[\"XX\"]}", "allowedCountries: 'XX'");
        cases.put("{\"allowedCountries\":[\"DEU\"]}", "allowedCountries: 'DEU'");
        cases.put("{\"allowedCountries\":\"DE\"}", "allowedCountries must be an array");
        cases.put("{\"allowedCidrs\":[\"10.0.0.0/33\"]}", "allowedCidrs: '10.0.0.0/33'");
        cases.put("{\"allowedCidrs\":[\"10.1.2.3/8\"]}", "did you mean 10.0.0.0/8");
        cases.put("{\"allowedCidrs\":[\"fe80::zz/64\"]}", "allowedCidrs: 'fe80::zz/64'");
        cases.put("{\"thresholds\":[500]}", "thresholds must be an object");
        cases.put("{\"thresholds\":{\"volume.floor\":\"high\"}}", "thresholds: 'volume.floor' must be a number");
        cases.put("{\"thresholds\":{\"a b\":1}}", "thresholds: name 'a b'");
        cases.put("{\"autorevoke\":false}", "unknown field");
        cases.put("{\"keyId\":\"another-key\"}", "keyId in the body");
        cases.put("[]", "must be a JSON object");
        cases.put("{not json", "not valid JSON");
        cases.put("", "must be a JSON object");
        cases.forEach((body, expected) ->
                assertThat(assertError(api.put("/api/v1/keys/reg-invalid-1", body), 400)).as(body).contains(expected));

        assertError(api.get("/api/v1/keys/reg-invalid-1"), 404);
        assertOk(api.put("/api/v1/keys/reg-invalid-1", "{\"keyId\":\"reg-invalid-1\"}"), 201);
    }

    @Test
    void listsKnownKeysWithFiltersAndKeysetPagination() {
        assertOk(api.put("/api/v1/keys/list-a1", "{\"owner\":\"team-a\",\"service\":\"billing\"}"), 201);
        assertOk(api.put("/api/v1/keys/list-a2", "{\"owner\":\"team-a\",\"service\":\"search\"}"), 201);
        assertOk(api.put("/api/v1/keys/list-b1", "{\"owner\":\"team-b\",\"service\":\"billing\"}"), 201);
        assertOk(api.post("/api/v1/keys/list-b1/revoke", "{\"reason\":\"leaked\"}"), 200);
        assertOk(api.post("/api/v1/keys/list-c1/revoke", "{\"reason\":\"never registered\"}"), 200);
        assertOk(api.put("/api/v1/keys/other-1", "{\"owner\":\"team-a\"}"), 201);

        assertThat(keyIds(api.get("/api/v1/keys?q=list-"))).containsExactly("list-a1", "list-a2", "list-b1", "list-c1");
        assertThat(keyIds(api.get("/api/v1/keys?owner=team-a&q=list"))).containsExactly("list-a1", "list-a2");
        assertThat(keyIds(api.get("/api/v1/keys?service=billing"))).containsExactly("list-a1", "list-b1");
        assertThat(keyIds(api.get("/api/v1/keys?status=revoked&q=list-"))).containsExactly("list-b1", "list-c1");
        assertThat(keyIds(api.get("/api/v1/keys?q=list-a"))).containsExactly("list-a1", "list-a2");
        Response unregistered = api.get("/api/v1/keys?q=list-c");
        assertThat(unregistered.json().at("/items/0/registered").asBoolean()).isFalse();
        assertThat(unregistered.json().at("/items/0/recentAlerts").isMissingNode()).isTrue();

        List<String> seen = new ArrayList<>();
        Response page = api.get("/api/v1/keys?q=list-&limit=3");
        seen.addAll(keyIds(page));
        String cursor = page.json().path("nextCursor").asText();
        page = api.get("/api/v1/keys?q=list-&limit=3&cursor=" + cursor);
        seen.addAll(keyIds(page));
        assertThat(seen).containsExactly("list-a1", "list-a2", "list-b1", "list-c1");
        assertThat(page.json().get("nextCursor").isNull()).isTrue();

        assertThat(assertError(api.get("/api/v1/keys?status=GONE"), 400)).contains("status");
        assertThat(assertError(api.get("/api/v1/keys?cursor=nope"), 400)).contains("cursor");
        assertThat(assertError(api.get("/api/v1/keys?limit=0"), 400)).contains("limit");
    }

    @Test
    void attributesChangesToTheCredentialWithTheHeaderAsANoteAndRefusesBadOrReservedNotes() {
        Response revoked = assertOk(api.withActor("bob@example.com")
                .post("/api/v1/keys/reg-actor-1/revoke", "{\"reason\":\"leaked\"}"), 200);
        assertThat(revoked.json().path("changedBy").asText()).isEqualTo("api:admin");
        assertThat(revoked.json().path("changedOnBehalfOf").asText()).isEqualTo("bob@example.com");
        JsonNode audit = assertOk(api.get("/api/v1/audit?keyId=reg-actor-1"), 200).json().path("items").get(0);
        assertThat(audit.path("actor").asText()).isEqualTo("api:admin");
        assertThat(audit.path("onBehalfOf").asText()).isEqualTo("bob@example.com");

        assertThat(assertError(api.withActor("bob smith").put("/api/v1/keys/reg-actor-2", "{}"), 400))
                .contains("X-Keywatch-Actor");
        assertThat(assertError(api.withActor("system").put("/api/v1/keys/reg-actor-2", "{}"), 400))
                .contains("reserved");
        assertThat(assertError(api.withActor("policy:VOLUME_SPIKE").put("/api/v1/keys/reg-actor-2", "{}"), 400))
                .contains("reserved");
    }

    private static List<String> keyIds(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("items").findValuesAsText("keyId");
    }
}
