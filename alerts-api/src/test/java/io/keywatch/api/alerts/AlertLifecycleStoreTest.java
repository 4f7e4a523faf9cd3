package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.occurrence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.silences.Silence;
import io.keywatch.api.silences.SilenceStore;
import io.keywatch.api.support.MutableClock;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Grouping, lifecycle, auto-resolve and silences in the store, on real PostgreSQL with a clock the test moves. */
@ExtendWith(SharedInfra.class)
class AlertLifecycleStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-27T19:00:00Z");

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static final MutableClock CLOCK = new MutableClock(T0);
    private static AlertStore store;
    private static SilenceStore silences;

    @BeforeAll
    static void startDatabase(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        ObjectMapper json = KeywatchJson.newMapper();
        jdbi = ApiJdbi.create(dataSource, json);
        store = new AlertStore(jdbi, json, CLOCK);
        silences = new SilenceStore(jdbi, CLOCK);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @BeforeEach
    void emptyTables() {
        jdbi.useHandle(h -> h.execute("TRUNCATE alerts, alert_occurrences, alert_history, silences, keys"));
        CLOCK.set(T0.plus(Duration.ofMinutes(10)));
    }

    private static Alert window(int minute, Severity severity, double observed) {
        return occurrence("key-1", AlertRule.VOLUME_SPIKE, severity, T0.plus(Duration.ofMinutes(minute)), observed);
    }

    @Test
    void foldsOccurrencesOfOneRuleAndKeyIntoOneAlert() {
        Alert first = window(0, Severity.HIGH, 1000);
        store.storeAll(List.of(first, window(1, Severity.CRITICAL, 3000)));
        store.store(window(2, Severity.MEDIUM, 2000));

        assertThat(store.search(AlertQuery.newest(50)).items()).singleElement().satisfies(alert -> {
            assertThat(alert.id()).as("the first occurrence's id").isEqualTo(first.id());
            assertThat(alert.fingerprint()).isEqualTo("VOLUME_SPIKE:key-1");
            assertThat(alert.occurrences()).isEqualTo(3);
            assertThat(alert.firstSeen()).isEqualTo(T0.plusSeconds(10));
            assertThat(alert.detectedAt()).isEqualTo(alert.firstSeen());
            assertThat(alert.lastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(2)).plusSeconds(10));
            assertThat(alert.severity()).as("the highest").isEqualTo(Severity.CRITICAL);
            assertThat(alert.observed()).as("the latest occurrence's").isEqualTo(2000);
            assertThat(alert.summary()).contains("2000");
            assertThat(alert.windowStart()).isEqualTo(T0);
            assertThat(alert.windowEnd()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
            assertThat(alert.status()).isEqualTo(AlertStatus.OPEN);
        });
    }

    @Test
    void aReplayedOccurrenceCountsOnceAndAnyOccurrenceIdFindsTheAlert() {
        Alert first = window(0, Severity.HIGH, 1000);
        Alert third = window(2, Severity.HIGH, 1000);
        store.storeAll(List.of(first, window(1, Severity.HIGH, 1000), third));

        assertThat(store.storeAll(List.of(third, first))).as("nothing changed").isZero();

        assertThat(store.find(first.id()).orElseThrow().occurrences()).isEqualTo(3);
        assertThat(store.find(third.id()).orElseThrow().id()).isEqualTo(first.id());
    }

    @Test
    void anEscalationResentWithTheSameIdRaisesTheSeverityWithoutCounting() {
        Alert first = window(0, Severity.HIGH, 1000);
        Alert second = window(1, Severity.HIGH, 1000);
        store.storeAll(List.of(first, second));

        store.store(TestAlerts.withSeverity(second, Severity.CRITICAL, 9000));

        StoredAlert alert = store.find(first.id()).orElseThrow();
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.occurrences()).isEqualTo(2);
        assertThat(alert.observed()).isEqualTo(9000);
        assertThat(store.history(first.id())).extracting(AlertHistoryEntry::action)
                .containsExactly("opened", "escalated");
        // the same escalation again changes nothing
        assertThat(store.store(TestAlerts.withSeverity(second, Severity.CRITICAL, 9000))).isZero();
        assertThat(store.history(first.id())).hasSize(2);
    }

    @Test
    void aNewAlertOpensOnlyAfterThePreviousOneIsResolved() {
        Alert first = window(0, Severity.HIGH, 1000);
        store.store(first);
        store.transition(first.id(), AlertStatus.ACKNOWLEDGED, EnumSet.of(AlertStatus.OPEN), "alice", null, null);
        store.store(window(1, Severity.HIGH, 1000));
        assertThat(store.find(first.id()).orElseThrow().occurrences()).as("acknowledged still collects").isEqualTo(2);

        store.transition(first.id(), AlertStatus.RESOLVED, EnumSet.of(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
                "alice", "rotated", Resolution.FIXED);
        Alert next = window(5, Severity.HIGH, 1000);
        store.store(next);

        assertThat(store.search(AlertQuery.newest(50)).items()).extracting(StoredAlert::id, StoredAlert::status,
                        StoredAlert::occurrences)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(next.id(), AlertStatus.OPEN, 1),
                        org.assertj.core.groups.Tuple.tuple(first.id(), AlertStatus.RESOLVED, 2));
        StoredAlert resolved = store.find(first.id()).orElseThrow();
        assertThat(resolved.resolution()).isEqualTo("fixed");
        assertThat(resolved.resolvedBy()).isEqualTo("alice");
        assertThat(resolved.acknowledgedBy()).isEqualTo("alice");
    }

    @Test
    void refusesIllegalTransitionsAndKeepsTheHistoryOfLegalOnes() {
        Alert alert = window(0, Severity.HIGH, 1000);
        store.store(alert);
        store.transition(alert.id(), AlertStatus.RESOLVED, EnumSet.of(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
                "bob", "known load test", Resolution.EXPECTED);

        assertThatThrownBy(() -> store.transition(alert.id(), AlertStatus.ACKNOWLEDGED, EnumSet.of(AlertStatus.OPEN),
                "bob", null, null)).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("RESOLVED");
        assertThat(store.transition("no-such-alert", AlertStatus.ACKNOWLEDGED, EnumSet.of(AlertStatus.OPEN), "bob",
                null, null)).isEmpty();

        assertThat(store.history(alert.id())).satisfiesExactly(
                opened -> assertThat(opened.actor()).isEqualTo("system"),
                resolved -> {
                    assertThat(resolved.actor()).isEqualTo("bob");
                    assertThat(resolved.fromStatus()).isEqualTo(AlertStatus.OPEN);
                    assertThat(resolved.toStatus()).isEqualTo(AlertStatus.RESOLVED);
                    assertThat(resolved.resolution()).isEqualTo("expected");
                    assertThat(resolved.note()).isEqualTo("known load test");
                    assertThat(resolved.at()).isEqualTo(CLOCK.instant());
                });
    }

    @Test
    void autoResolvesAlertsQuietForThePeriodAsSystem() {
        Alert quiet = occurrence("key-quiet", AlertRule.IP_FANOUT, Severity.HIGH, T0, 10);
        Alert busy = occurrence("key-busy", AlertRule.IP_FANOUT, Severity.HIGH, T0.plus(Duration.ofMinutes(55)), 10);
        store.storeAll(List.of(quiet, busy));
        store.transition(quiet.id(), AlertStatus.ACKNOWLEDGED, EnumSet.of(AlertStatus.OPEN), "carol", null, null);
        CLOCK.set(T0.plus(Duration.ofMinutes(61)));

        assertThat(new AlertAutoResolver(store, Duration.ofMinutes(60)).runOnce()).isEqualTo(1);

        StoredAlert resolved = store.find(quiet.id()).orElseThrow();
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.resolution()).isEqualTo("auto_resolved");
        assertThat(resolved.resolvedBy()).isEqualTo("system");
        assertThat(store.history(quiet.id())).last().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo("system");
            assertThat(entry.fromStatus()).isEqualTo(AlertStatus.ACKNOWLEDGED);
            assertThat(entry.resolution()).isEqualTo("auto_resolved");
            assertThat(entry.note()).contains("60 min");
        });
        assertThat(store.find(busy.id()).orElseThrow().status()).isEqualTo(AlertStatus.OPEN);
        assertThat(store.autoResolve(Duration.ofMinutes(60))).as("nothing left").isZero();
    }

    @Test
    void anActiveSilenceMarksNewOccurrencesAndAnExpiredOneDoesNot() {
        Silence silence = silences.create("key-1", null, CLOCK.instant().plus(Duration.ofHours(1)), "load test",
                "dave");
        Alert first = window(0, Severity.CRITICAL, 1000);

        List<IntakeOutcome> outcomes = store.intake(List.of(first));

        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.silenceId()).isEqualTo(silence.id()));
        StoredAlert stored = store.find(first.id()).orElseThrow();
        assertThat(stored.silenced()).isTrue();
        assertThat(stored.silenceId()).isEqualTo(silence.id());
        assertThat(store.search(new AlertQuery(null, null, null, null, null, null, 50, null, true)).items())
                .extracting(StoredAlert::id).containsExactly(first.id());
        assertThat(store.search(new AlertQuery(null, null, null, null, null, null, 50, null, false)).items()).isEmpty();
        // a replay is judged as it was when it first arrived
        assertThat(store.intake(List.of(first))).singleElement()
                .satisfies(o -> assertThat(o.silenceId()).isEqualTo(silence.id()));

        CLOCK.advance(Duration.ofHours(2));
        Alert later = window(1, Severity.CRITICAL, 1000);
        assertThat(store.intake(List.of(later))).singleElement().satisfies(o -> assertThat(o.silenced()).isFalse());
        assertThat(store.find(first.id()).orElseThrow().silenced()).isFalse();
        assertThat(silences.list(false, 50)).isEmpty();
        assertThat(silences.list(true, 50)).extracting(Silence::id, Silence::active)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(silence.id(), false));
    }

    @Test
    void creatingASilenceMarksTheOpenAlertsItCoversAndDeletingEndsIt() {
        Alert spike = occurrence("key-2", AlertRule.VOLUME_SPIKE, Severity.HIGH, T0, 10);
        Alert fanout = occurrence("key-2", AlertRule.IP_FANOUT, Severity.HIGH, T0, 10);
        store.storeAll(List.of(spike, fanout));

        Silence silence = silences.create("key-2", "IP_FANOUT", CLOCK.instant().plus(Duration.ofHours(1)),
                "shared NAT", "erin");

        assertThat(store.find(fanout.id()).orElseThrow().silenceId()).isEqualTo(silence.id());
        assertThat(store.find(spike.id()).orElseThrow().silenced()).isFalse();
        assertThat(store.history(fanout.id())).last().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("silenced");
            assertThat(entry.actor()).isEqualTo("erin");
        });

        assertThat(silences.delete(silence.id(), "erin")).isTrue();
        assertThat(silences.delete("no-such-silence", "erin")).isFalse();
        assertThat(silences.find(silence.id()).orElseThrow().deletedBy()).isEqualTo("erin");
        assertThat(store.intake(List.of(occurrence("key-2", AlertRule.IP_FANOUT, Severity.HIGH,
                T0.plus(Duration.ofMinutes(1)), 10)))).singleElement().satisfies(o -> assertThat(o.silenced()).isFalse());
    }

    @Test
    void listFiltersAreServedByIndexesInPageOrder() {
        assertThat(plan("""
                SELECT * FROM alerts WHERE silenced ORDER BY detected_at DESC, id DESC LIMIT 51
                """)).contains("alerts_silenced_detected_idx").doesNotContain("Sort");
        assertThat(plan("""
                SELECT id FROM alerts WHERE fingerprint = 'VOLUME_SPIKE:k' AND status <> 'RESOLVED'
                """)).contains("alerts_open_fingerprint_idx");
        assertThat(plan("""
                SELECT id FROM alerts WHERE status <> 'RESOLVED' AND last_seen < now() ORDER BY last_seen LIMIT 1000
                """)).contains("alerts_unresolved_last_seen_idx").doesNotContain("Sort");
    }

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
}
