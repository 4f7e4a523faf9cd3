package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.DataSources;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfra.class)
class AlertStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-27T19:00:00Z");

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static AlertStore store;
    private static ObjectMapper json;

    @BeforeAll
    static void startDatabase(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        json = KeywatchJson.newMapper();
        jdbi = ApiJdbi.create(dataSource, json);
        store = new AlertStore(jdbi, json);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @BeforeEach
    void emptyTables() {
        jdbi.useHandle(h -> h.execute("TRUNCATE alerts, alert_occurrences, alert_history, silences, keys"));
    }

    @Test
    void storesEveryFieldAndReadsItBack() {
        Alert alert = alert("a-1", "key-1", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH,
                Instant.parse("2026-11-27T19:00:00.123456789Z"));

        store.store(alert);

        StoredAlert stored = store.find("a-1").orElseThrow();
        assertThat(stored.rule()).isEqualTo(AlertRule.AUTH_FAILURE_BURST);
        assertThat(stored.severity()).isEqualTo(Severity.HIGH);
        assertThat(stored.keyId()).isEqualTo("key-1");
        // PostgreSQL keeps microseconds
        assertThat(stored.windowStart()).isEqualTo(alert.windowStart().truncatedTo(ChronoUnit.MICROS));
        assertThat(stored.windowEnd()).isEqualTo(alert.windowEnd().truncatedTo(ChronoUnit.MICROS));
        assertThat(stored.detectedAt()).isEqualTo(Instant.parse("2026-11-27T19:00:00.123456Z"));
        assertThat(stored.observed()).isEqualTo(1200);
        assertThat(stored.threshold()).isEqualTo(300);
        assertThat(stored.baseline()).isEqualTo(100.0);
        assertThat(stored.summary()).isEqualTo(alert.summary());
        assertThat(stored.evidence().toMap(json)).containsEntry("requests", 1200)
                .containsEntry("topIps", Map.of("203.0.113.7", 900));
        assertThat(stored.status()).isEqualTo(AlertStatus.OPEN);
        assertThat(stored.storedAt()).isNotNull();
    }

    @Test
    void storingTheSameAlertTwiceKeepsOneRowUnchanged() {
        Alert alert = alert("a-1", "key-1", Severity.HIGH, T0);

        assertThat(store.store(alert)).isEqualTo(1);
        assertThat(store.store(alert)).isZero();

        assertThat(store.search(AlertQuery.newest(50)).items()).extracting(StoredAlert::id).containsExactly("a-1");
    }

    @Test
    void aRepeatWithHigherSeverityEscalatesButALowerOneDoesNotDowngrade() {
        Alert high = alert("a-1", "key-1", Severity.HIGH, T0);
        store.store(high);

        store.store(TestAlerts.withSeverity(high, Severity.CRITICAL, 5000));
        StoredAlert escalated = store.find("a-1").orElseThrow();
        assertThat(escalated.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(escalated.observed()).isEqualTo(5000);
        assertThat(escalated.detectedAt()).as("first detection kept").isEqualTo(T0);

        store.store(TestAlerts.withSeverity(high, Severity.MEDIUM, 1));
        assertThat(store.find("a-1").orElseThrow().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(store.find("a-1").orElseThrow().observed()).isEqualTo(5000);
    }

    @Test
    void anAlertWithoutDetectionTimeIsStoredWithTheTimeItArrived() {
        Alert base = alert("a-1", "key-1", Severity.LOW, T0);
        Alert undated = new Alert(base.id(), base.rule(), base.severity(), base.keyId(), base.windowStart(),
                base.windowEnd(), null, null, 1, 1, null, null, null);

        store.store(undated);

        StoredAlert stored = store.find("a-1").orElseThrow();
        assertThat(stored.detectedAt()).isNotNull();
        assertThat(stored.baseline()).isNull();
        assertThat(stored.evidence().toMap(json)).isEmpty();
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertThat(store.find("missing")).isEmpty();
    }

    @Test
    void filtersByKeyRuleMinimumSeverityStatusAndTimeRange() {
        store.storeAll(List.of(
                alert("a-1", "key-1", AlertRule.VOLUME_SPIKE, Severity.LOW, T0.plusSeconds(1)),
                alert("a-2", "key-1", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, T0.plusSeconds(2)),
                alert("a-3", "key-2", AlertRule.VOLUME_SPIKE, Severity.CRITICAL, T0.plusSeconds(3)),
                alert("a-4", "key-2", AlertRule.REVOKED_KEY_USED, Severity.MEDIUM, T0.plusSeconds(4))));
        jdbi.useHandle(h -> h.execute("UPDATE alerts SET status = 'RESOLVED', resolution = 'fixed' WHERE id = 'a-3'"));

        assertThat(ids(query("key-1", null, null, null, null, null))).containsExactly("a-2", "a-1");
        assertThat(ids(query(null, AlertRule.VOLUME_SPIKE, null, null, null, null))).containsExactly("a-3", "a-1");
        assertThat(ids(query(null, null, Severity.HIGH, null, null, null))).containsExactly("a-3", "a-2");
        assertThat(ids(query(null, null, null, AlertStatus.RESOLVED, null, null))).containsExactly("a-3");
        assertThat(ids(query(null, null, null, AlertStatus.OPEN, null, null))).containsExactly("a-4", "a-2", "a-1");
        assertThat(ids(query(null, null, null, null, T0.plusSeconds(2), T0.plusSeconds(4))))
                .as("since inclusive, until exclusive").containsExactly("a-3", "a-2");
        assertThat(ids(query("key-2", AlertRule.VOLUME_SPIKE, Severity.MEDIUM, null, T0, null)))
                .containsExactly("a-3");
    }

    @Test
    void pagesThroughEachMinimumSeverityAloneAndWithinOneRule() {
        List<Alert> alerts = new ArrayList<>();
        Severity[] severities = Severity.values();
        AlertRule[] rules = {AlertRule.VOLUME_SPIKE, AlertRule.IP_FANOUT};
        for (int i = 0; i < 40; i++) {
            // pairs share a detection time; one key each, so none fold
            alerts.add(alert("a-" + i, "key-" + i, rules[i % 2], severities[i % severities.length],
                    T0.plusSeconds(i / 2)));
        }
        store.storeAll(alerts);
        for (Severity minimum : severities) {
            for (AlertRule rule : new AlertRule[] {null, AlertRule.IP_FANOUT}) {
                List<String> expected = alerts.stream()
                        .filter(a -> a.severity().compareTo(minimum) >= 0 && (rule == null || a.rule() == rule))
                        .sorted(Comparator.comparing(Alert::detectedAt).thenComparing(Alert::id).reversed())
                        .map(Alert::id)
                        .toList();
                List<String> seen = new ArrayList<>();
                AlertQuery query = new AlertQuery(null, rule, minimum, null, null, null, 3, null);
                while (true) {
                    AlertPage page = store.search(query);
                    seen.addAll(ids(page));
                    if (page.nextCursor() == null) {
                        break;
                    }
                    query = query.withAfter(AlertCursor.decode(page.nextCursor()));
                }
                assertThat(seen).as("severity >= %s, rule %s", minimum, rule).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void pagesThroughEveryAlertNewestFirstWithoutDuplicatesOrGapsWhenDetectionTimesTie() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // groups of three share a detection time, so only the id orders them; one key each, so none fold
            alerts.add(alert(UUID.randomUUID().toString(), "key-" + i, Severity.MEDIUM,
                    T0.plusSeconds(i / 3)));
        }
        store.storeAll(alerts);
        List<String> expected = alerts.stream()
                .sorted(Comparator.comparing(Alert::detectedAt).thenComparing(Alert::id).reversed())
                .map(Alert::id)
                .toList();

        List<String> seen = new ArrayList<>();
        AlertQuery query = AlertQuery.newest(5);
        int pages = 0;
        while (true) {
            AlertPage page = store.search(query);
            pages++;
            seen.addAll(ids(page));
            if (page.nextCursor() == null) {
                break;
            }
            query = query.withAfter(AlertCursor.decode(page.nextCursor()));
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(5);
    }

    @Test
    void aFullLastPageHasNoNextCursor() {
        store.storeAll(List.of(alert("a-1", "k1", Severity.LOW, T0), alert("a-2", "k2", Severity.LOW, T0)));

        AlertPage page = store.search(AlertQuery.newest(2));

        assertThat(page.items()).hasSize(2);
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void recentAlertsForAKeyAreItsNewest() {
        store.storeAll(List.of(alert("a-1", "key-1", AlertRule.VOLUME_SPIKE, Severity.LOW, T0),
                alert("a-2", "key-1", AlertRule.IP_FANOUT, Severity.LOW, T0.plusSeconds(1)),
                alert("a-3", "key-2", Severity.LOW, T0.plusSeconds(2))));

        assertThat(store.recentForKey("key-1", 1)).extracting(StoredAlert::id).containsExactly("a-2");
    }

    @Test
    void pagesAreServedInOrderByIndexesWithoutSorting() {
        assertThat(plan("""
                SELECT * FROM alerts WHERE (detected_at, id) < (now(), 'x')
                ORDER BY detected_at DESC, id DESC LIMIT 51
                """)).contains("Scan using alerts_detected_idx").contains("Index Cond").doesNotContain("Sort");
        assertThat(plan("""
                SELECT * FROM alerts WHERE key_id = 'k' AND (detected_at, id) < (now(), 'x')
                ORDER BY detected_at DESC, id DESC LIMIT 51
                """)).contains("Scan using alerts_key_detected_idx").doesNotContain("Sort");
        assertThat(plan("""
                SELECT * FROM alerts WHERE rule = 'VOLUME_SPIKE'
                ORDER BY detected_at DESC, id DESC LIMIT 51
                """)).contains("Scan using alerts_rule_detected_idx").doesNotContain("Sort");
    }

    /** The plan with scans and sorts forbidden, to see whether an index alone can serve the query. */
    private static String plan(String sql) {
        return jdbi.withHandle(h -> {
            h.execute("SET enable_seqscan = off");
            h.execute("SET enable_bitmapscan = off");
            try {
                return String.join("\n", h.createQuery("EXPLAIN " + sql).mapTo(String.class).list());
            } finally {
                h.execute("RESET enable_seqscan");
                h.execute("RESET enable_bitmapscan");
            }
        });
    }

    private static AlertPage query(String keyId, AlertRule rule, Severity severity, AlertStatus status,
                                   Instant since, Instant until) {
        return store.search(new AlertQuery(keyId, rule, severity, status, since, until, 50, null));
    }

    private static List<String> ids(AlertPage page) {
        return page.items().stream().map(StoredAlert::id).toList();
    }
}
