package io.keywatch.api.canaries;

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
import io.keywatch.events.KeyState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Canary keys over HTTP: the registry fields, the list filter and the mint route, against PostgreSQL and Kafka. */
@ExtendWith(SharedInfra.class)
class CanaryHttpTest {

    private static final String PLANTED = "github.com/acme/old-infra/.env";
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
        // the real keys a canary must pass for: Stripe-like publishable ids, 24 alphanumerics after pk_live_
        for (String id : List.of("pk_live_51HqLyjWDarjtT1zdp7dcXa9b", "pk_live_9fKd02LmPq4RsTv8WyZa1Bc3",
                "pk_live_Zz81abQWerty12UiopAsdf34", "svc-legacy-1")) {
            assertOk(api.put("/api/v1/keys/" + id, "{\"owner\":\"team-billing\"}"), 201);
        }
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
    void mintsACanaryThatLooksLikeTheRealKeysAndRegistersItAsOne() {
        Response minted = assertOk(api.withActor("alice").post("/api/v1/keys/canaries", "{\"plantedAt\":\""
                + PLANTED + "\",\"owner\":\"team-security\",\"service\":\"billing\",\"scopes\":[\"invoices:read\"]}"),
                201);

        String keyId = minted.json().path("keyId").asText();
        assertThat(keyId).matches("pk_live_[0-9A-Za-z]{24}");
        assertThat(minted.json().at("/metadata/canary").asBoolean()).isTrue();
        assertThat(minted.json().at("/metadata/plantedAt").asText()).isEqualTo(PLANTED);
        assertThat(minted.json().at("/metadata/owner").asText()).isEqualTo("team-security");
        assertThat(minted.json().path("registryUpdatedOnBehalfOf").asText()).isEqualTo("alice");

        JsonNode shown = assertOk(api.get("/api/v1/keys/" + keyId), 200).json();
        assertThat(shown.at("/metadata/canary").asBoolean()).isTrue();
        assertThat(shown.at("/metadata/plantedAt").asText()).isEqualTo(PLANTED);

        // the topology hears of it: the key-state record's registry entry says canary and where
        List<KeyState> states = kafka.keyStates(settings.topics().keyState(), keyId, Duration.ofMillis(500));
        assertThat(states).last().satisfies(state -> {
            assertThat(state.metadata().canaryKey()).isTrue();
            assertThat(state.metadata().plantedAt()).isEqualTo(PLANTED);
        });

        // two mints, two different ids
        String second = assertOk(api.post("/api/v1/keys/canaries", "{\"plantedAt\":\"laptop-7\"}"), 201)
                .json().path("keyId").asText();
        assertThat(second).startsWith("pk_live_").isNotEqualTo(keyId);
    }

    @Test
    void thePrefixCanBeChosen() {
        String keyId = assertOk(api.post("/api/v1/keys/canaries",
                "{\"plantedAt\":\"s3://acme-backups/config.json\",\"prefix\":\"ak_\"}"), 201)
                .json().path("keyId").asText();
        assertThat(keyId).matches("ak_[0-9A-Za-z]{24}");
        // every id of this shape is a Stripe secret key to keywatch: its events would be fingerprinted, the canary
        // never seen (a shape only *most* of whose draws look random enough is not refused: the minter keeps drawing
        // until one does not, and that one id is never fingerprinted)
        assertThat(assertError(api.post("/api/v1/keys/canaries",
                "{\"plantedAt\":\"x\",\"prefix\":\"sk_live_\"}"), 400)).contains("prefix: ids of this shape")
                .contains("stripe-secret-key");
    }

    @Test
    void theListFiltersCanaries() {
        String keyId = assertOk(api.put("/api/v1/keys/decoy-listed",
                "{\"canary\":true,\"plantedAt\":\"" + PLANTED + "\"}"), 201).json().path("keyId").asText();

        List<String> canaries = ids(assertOk(api.get("/api/v1/keys?canary=true&limit=500"), 200));
        List<String> real = ids(assertOk(api.get("/api/v1/keys?canary=false&limit=500"), 200));
        assertThat(canaries).contains(keyId).doesNotContain("svc-legacy-1", "pk_live_51HqLyjWDarjtT1zdp7dcXa9b");
        assertThat(real).contains("svc-legacy-1").doesNotContain(keyId);
        assertThat(assertError(api.get("/api/v1/keys?canary=maybe"), 400)).contains("canary");
    }

    @Test
    void refusesBadRequestsNamingTheFieldAndNeverEchoingASecret() {
        assertThat(assertError(api.post("/api/v1/keys/canaries", "{\"owner\":\"x\"}"), 400)).contains("plantedAt");
        assertThat(assertError(api.post("/api/v1/keys/canaries", "{\"plantedAt\":\"x\",\"prefix\":\"a b\"}"), 400))
                .contains("prefix");
        // a field the body does not have: refused without quoting its name (an attacker's string)
        assertThat(assertError(api.post("/api/v1/keys/canaries", "{\"plantedAt\":\"x\",\"canary\":false}"), 400))
                .contains("unknown field").doesNotContain("canary");
        String secret = "sk_" + "live_" + "Qr7" + "x9Kd2LmPq4RsTv8WyZa1Bc3";
        assertThat(assertError(api.post("/api/v1/keys/canaries", "{\"plantedAt\":\"repo/.env " + secret + "\"}"),
                400)).contains("plantedAt").doesNotContain(secret);
        assertThat(assertError(api.post("/api/v1/keys/canaries", "{\"plantedAt\":\"x\",\"prefix\":\"sk_live_\"}"),
                400)).contains("secret");
        assertThat(assertError(api.put("/api/v1/keys/decoy-bad", "{\"plantedAt\":\"laptop\"}"), 400))
                .contains("plantedAt");
        assertThat(assertError(api.put("/api/v1/keys/decoy-bad", "{\"canary\":\"yes\"}"), 400)).contains("canary");
        assertThat(assertError(api.put("/api/v1/keys/decoy-bad",
                "{\"canary\":true,\"plantedAt\":\"" + "p".repeat(201) + "\"}"), 400)).contains("plantedAt");
    }

    private static List<String> ids(Response page) {
        List<String> ids = new ArrayList<>();
        page.json().path("items").forEach(item -> ids.add(item.path("keyId").asText()));
        return ids;
    }
}
