package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.Severity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Record or environment? On real Kafka and PostgreSQL: when no record of a batch can be stored alone, the intake
 * runs a known-good alert through the intake path (rolled back). A constraint only the record breaks: the probe
 * passes and the record is quarantined at once, even alone in its poll. A constraint every alert breaks (a broken
 * migration): the probe fails too, and the batch is retried, nothing quarantined, until the database is fixed.
 */
@ExtendWith(SharedInfra.class)
class AlertIntakeProbeTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(30);

    private static RunningApi stack;
    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = RunningApi.start(postgres, broker);
        settings = stack.settings();
        service = stack.service();
        api = stack.api();
        kafka = stack.kafka();
    }

    @AfterAll
    static void stopService() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aLoneRecordTheDatabaseRefusesIsQuarantinedPromptlyWhileAKnownGoodAlertCanBeStored() throws SQLException {
        long quarantinedBefore = quarantined();
        execute("ALTER TABLE alerts ADD CONSTRAINT test_refuses_one_key CHECK (key_id <> 'probe-poison') NOT VALID");
        try {
            kafka.publish(settings.topics().alerts(), alert("probe-poison-1", "probe-poison", Severity.LOW,
                    Instant.now()));

            await().atMost(PROMPTLY).until(() -> quarantined() == quarantinedBefore + 1);
            assertThat(kafka.records(settings.topics().alertsDlq(), (int) quarantinedBefore + 1))
                    .last().satisfies(record -> {
                        assertThat(KafkaTestClients.header(record, DeadLetter.REASON_CODE_HEADER))
                                .isEqualTo("database-rejected");
                        assertThat(KafkaTestClients.header(record, DeadLetter.REASON_HEADER))
                                .isEqualTo("the database refused it: SQLState 23514, constraint "
                                        + "test_refuses_one_key");
                    });
            assertThat(api.get("/api/v1/alerts/probe-poison-1").status()).isEqualTo(404);
            assertThat(api.get("/api/v1/alerts/keywatch-intake-probe").status())
                    .as("the probe leaves nothing behind").isEqualTo(404);
        } finally {
            execute("ALTER TABLE alerts DROP CONSTRAINT test_refuses_one_key");
        }
    }

    @Test
    void whenAKnownGoodAlertFailsTooTheBatchIsRetriedAndNothingIsQuarantined() throws SQLException {
        long quarantinedBefore = quarantined();
        // a broken migration: every alert is refused, with a "permanent" SQLState (23514)
        execute("ALTER TABLE alerts ADD CONSTRAINT test_refuses_all CHECK (false) NOT VALID");
        try {
            kafka.publish(settings.topics().alerts(), alert("env-1", "env-key", Severity.LOW, Instant.now()));
            kafka.publish(settings.topics().alerts(), alert("env-2", "env-key", Severity.LOW, Instant.now()));

            IntakeStatus status = service.intakeStatus();
            await().atMost(PROMPTLY).until(() -> status.retrying().map(IntakeStatus.Retrying::attempts)
                    .orElse(0L) >= 2);
            assertThat(status.retrying()).get().extracting(IntakeStatus.Retrying::reasonCode)
                    .isEqualTo(IntakeCode.DATABASE_REJECTED);
            assertThat(quarantined()).isEqualTo(quarantinedBefore);
        } finally {
            execute("ALTER TABLE alerts DROP CONSTRAINT test_refuses_all");
        }

        await().atMost(PROMPTLY).until(() -> api.get("/api/v1/alerts/env-2").status() == 200);
        assertThat(api.get("/api/v1/alerts/env-1").status()).isEqualTo(200);
        assertThat(quarantined()).as("nothing quarantined").isEqualTo(quarantinedBefore);
    }

    private static long quarantined() {
        return api.get("/health").json().at("/components/alertIntake/figures/quarantinedRecords")
                .asLong();
    }

    /** DDL: as the tables' owner, which the API's own role is not. */
    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.dbUrl(), settings.migration().user(),
                settings.migration().password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
