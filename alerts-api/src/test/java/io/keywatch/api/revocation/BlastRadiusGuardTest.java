package io.keywatch.api.revocation;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detector gone wrong: 1,000 critical alerts for 1,000 keys, consumed by TWO API instances sharing one database
 * and one consumer group. The guard (20 per 10 min, the defaults) must hold exactly across both.
 */
@ExtendWith(SharedInfra.class)
class BlastRadiusGuardTest {

    private static final Logger LOG = LoggerFactory.getLogger(BlastRadiusGuardTest.class);
    private static final int KEYS = 1_000;

    private static ApiSettings settings;
    private static AlertsApiService first;
    private static AlertsApiService second;
    private static HikariDataSource dataSource;
    private static Jdbi db;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker);
        first = new AlertsApiService(settings).start();
        second = new AlertsApiService(settings).start();
        dataSource = DataSources.pooled(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        db = Jdbi.create(dataSource);
        kafka = new KafkaTestClients(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        for (AlertsApiService service : new AlertsApiService[] {first, second}) {
            if (service != null) {
                service.close();
            }
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private static int count(String sql) {
        return db.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    @Test
    void aStormOfCriticalAlertsRevokesExactlyTheLimitAndTheRestWaitForApproval() {
        Instant now = Instant.now();
        List<Alert> storm = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            storm.add(TestAlerts.alert("storm-" + i, "storm-key-" + i, AlertRule.VOLUME_SPIKE, Severity.CRITICAL,
                    now));
        }
        long started = System.nanoTime();

        kafka.publishAll(settings.topics().alerts(), storm);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> count("SELECT count(*) FROM revocation_decision_alerts"), n -> n == KEYS);
        LOG.info("{} critical alerts decided in {} ms", KEYS, (System.nanoTime() - started) / 1_000_000);
        Map<String, Integer> byStatus = db.withHandle(h -> h.createQuery(
                        "SELECT status, count(*) AS n FROM revocation_decisions GROUP BY status")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).list())
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(byStatus).containsOnly(Map.entry("REVOKED", 20), Map.entry("PENDING_APPROVAL", KEYS - 20));
        assertThat(count("SELECT count(*) FROM keys WHERE status = 'REVOKED'")).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM revocation_audit WHERE action = 'REVOKED'")).isEqualTo(20);

        ApiClient api = new ApiClient(first.port(), TestServices.TOKEN);
        JsonNode tripped = api.get("/api/v1/alerts?rule=REVOCATION_GUARD_TRIPPED").json().path("items");
        assertThat(tripped).hasSize(1);
        assertThat(tripped.get(0).path("occurrences").asInt()).isEqualTo(1);
        assertThat(tripped.get(0).path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(tripped.get(0).path("keyId").asText()).isEqualTo(RevocationEngine.GUARD_KEY_ID);
        JsonNode pending = api.get("/api/v1/revocations?status=PENDING_APPROVAL&limit=5").json();
        assertThat(pending.path("items")).hasSize(5);
        assertThat(pending.path("items").get(0).path("pendingReason").asText()).isEqualTo("GUARD");
        assertThat(pending.path("nextCursor").isNull()).isFalse();

        // a person may still revoke past the guard: approvals are not automatic revocations
        JsonNode decision = pending.path("items").get(0);
        ApiClient other = new ApiClient(second.port(), TestServices.TOKEN);
        assertOk(other.post("/api/v1/revocations/" + decision.path("id").asText() + "/approve", ""), 200);
        assertThat(api.get("/api/v1/keys/" + decision.path("keyId").asText()).json().path("status").asText())
                .isEqualTo("REVOKED");
    }
}
