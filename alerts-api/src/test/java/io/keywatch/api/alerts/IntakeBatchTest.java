package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Set-based intake decides inside a chunk exactly as one occurrence at a time did: an occurrence sent twice in one
 * batch is a duplicate (or an escalation), an occurrence folds into the alert an earlier one of the same batch opened,
 * and a batch larger than a chunk folds across chunks; a replayed batch changes nothing.
 */
@ExtendWith(SharedInfra.class)
class IntakeBatchTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static AlertStore store;

    @BeforeAll
    static void startDatabase(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        ObjectMapper json = KeywatchJson.newMapper();
        jdbi = ApiJdbi.create(dataSource, json);
        store = new AlertStore(jdbi, json);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @Test
    void duplicatesEscalationsAndFoldsInsideOneBatch() {
        Alert first = TestAlerts.alert("dup-1", "dup-key", AlertRule.AUTH_FAILURE_BURST, Severity.LOW, T0);
        Alert again = first;
        Alert escalated = TestAlerts.withSeverity(first, Severity.HIGH, 5_000);
        Alert second = TestAlerts.alert("dup-2", "dup-key", AlertRule.AUTH_FAILURE_BURST, Severity.MEDIUM,
                T0.plusSeconds(60));

        List<IntakeOutcome> outcomes = store.intake(List.of(first, again, escalated, second));

        assertThat(outcomes).extracting(IntakeOutcome::kind).containsExactly(IntakeOutcome.Kind.OPENED,
                IntakeOutcome.Kind.DUPLICATE, IntakeOutcome.Kind.ESCALATED, IntakeOutcome.Kind.FOLDED);
        assertThat(outcomes).extracting(IntakeOutcome::alertId).containsOnly("dup-1");
        StoredAlert stored = store.find("dup-1").orElseThrow();
        assertThat(stored.occurrences()).isEqualTo(2);
        assertThat(stored.severity()).isEqualTo(Severity.HIGH);
        // the escalation inside the batch reached the occurrence row written in the same batch
        assertThat(count("SELECT severity_rank FROM alert_occurrences WHERE id = 'dup-1'"))
                .isEqualTo(Severity.HIGH.code());
        assertThat(store.history("dup-1")).extracting(AlertHistoryEntry::action)
                .containsExactly("opened", "escalated");

        // a replay: the same outcomes' groups, nothing changed
        List<IntakeOutcome> replay = store.intake(List.of(first, again, escalated, second));
        assertThat(replay).extracting(IntakeOutcome::kind).containsOnly(IntakeOutcome.Kind.DUPLICATE);
        assertThat(store.find("dup-1").orElseThrow().occurrences()).isEqualTo(2);
        assertThat(store.history("dup-1")).hasSize(2);
    }

    @Test
    void aBatchLargerThanAChunkFoldsAcrossChunks() {
        List<Alert> batch = new ArrayList<>();
        for (int i = 0; i < AlertStore.CHUNK * 2 + 7; i++) {
            batch.add(TestAlerts.alert("big-" + i, "big-key-" + (i % 3), AlertRule.VOLUME_SPIKE, Severity.LOW,
                    T0.plusSeconds(i)));
        }

        List<IntakeOutcome> outcomes = store.intake(batch);

        assertThat(outcomes).filteredOn(o -> o.kind() == IntakeOutcome.Kind.OPENED).hasSize(3);
        assertThat(count("SELECT sum(occurrences) FROM alerts WHERE key_id LIKE 'big-key-%'"))
                .isEqualTo(batch.size());
        assertThat(store.find("big-0").orElseThrow().lastSeen())
                .isEqualTo(T0.plusSeconds((batch.size() - 1) / 3 * 3));
    }

    private static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
