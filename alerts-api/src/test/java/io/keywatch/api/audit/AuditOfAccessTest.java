package io.keywatch.api.audit;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.approvals.FourEyesSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentities;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeywatchJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who gets in and what two people decided are changes too: named tokens created and revoked, four-eyes requests and
 * decisions, and the change an approval carries out, each in the audit trail under the identity that made it.
 */
@ExtendWith(SharedInfra.class)
class AuditOfAccessTest {

    private static final ObjectMapper JSON = KeywatchJson.newMapper();

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

    @Test
    void tokensAndFourEyesDecisionsAreInTheTrailUnderTheirIdentities() throws Exception {
        long from = entries(0).stream().mapToLong(e -> e.path("id").asLong()).max().orElse(0);

        String tokenId = assertOk(bootstrap.post("/api/v1/tokens", "{\"name\":\"audited-ci\",\"role\":\"viewer\"}"),
                201).json().path("id").asText();
        assertOk(bootstrap.delete("/api/v1/tokens/" + tokenId), 200);
        assertOk(bootstrap.delete("/api/v1/tokens/" + tokenId), 200); // again: no change, no entry
        ApiClient alice = bootstrap.withToken(TestIdentities.token("alice"));
        ApiClient bob = bootstrap.withToken(TestIdentities.token("bob"));
        assertOk(alice.post("/api/v1/keys/audited-key/revoke", "{\"reason\":\"leaked\"}"), 200);
        String request = assertOk(bob.post("/api/v1/keys/audited-key/reinstate", "{\"reason\":\"rotated upstream\"}"),
                202).json().path("id").asText();
        assertOk(bootstrap.withToken(TestIdentities.token("carol")).post("/api/v1/approvals/" + request + "/approve",
                "{}"), 200);

        List<JsonNode> entries = entries(from);
        assertThat(entries).extracting(e -> e.path("action").asText() + " by " + e.path("identity").asText())
                .containsExactly(
                        "token.created by api:admin",
                        "token.revoked by api:admin",
                        "key.revoked by alice",
                        "approval.requested by bob",
                        "approval.approved by carol",
                        "key.reinstated by carol");
        assertThat(entries.get(0).toString()).doesNotContain("secret_hash").doesNotContain("kw_");
        assertThat(bootstrap.get("/api/v1/audit/verify").json().path("ok").asBoolean()).isTrue();
    }

    private static List<JsonNode> entries(long afterId) throws Exception {
        String body = assertOk(bootstrap.get("/api/v1/audit/export?limit=10000&afterId=" + afterId), 200).body();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                entries.add(JSON.readTree(line));
            }
        }
        return entries;
    }
}
