package io.keywatch.api.alerts.stream;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.alerts.AlertQuery;
import io.keywatch.api.alerts.AlertStatus;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The change feed and its fan-out against real PostgreSQL, polled by hand (the scheduled poller waits 10 s): every
 * committed change reaches a subscriber exactly once, whatever order the transactions commit in.
 */
@ExtendWith(SharedInfra.class)
class AlertStreamFeedTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration NOW = Duration.ofMillis(50);
    private static final AlertStreamSettings MANUAL_POLLING = AlertStreamSettings.DEFAULTS
            .withLimits(3, 2).withPollInterval(Duration.ofSeconds(10));

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static AlertStore store;
    private AlertStream stream;
    private final MovableClock clock = new MovableClock();

    /** The stream's clock, moved by hand: how old an identity's streams are. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

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

    @BeforeEach
    void startStream() {
        stream = new AlertStream(new AlertChangeFeed(jdbi), store, MANUAL_POLLING, clock).start();
    }

    @AfterEach
    void stopStream() {
        stream.close();
    }

    private static List<StreamEvent> drain(AlertSubscription subscription) throws InterruptedException {
        List<StreamEvent> events = new ArrayList<>();
        StreamEvent event;
        while ((event = subscription.next(NOW)) != null) {
            events.add(event);
        }
        return events;
    }

    private static List<String> alertIds(List<StreamEvent> events) {
        return events.stream().map(e -> ((StreamEvent.Change) e).alert().id()).toList();
    }

    @Test
    void changesCommittedOutOfSequenceOrderAreEachDeliveredExactlyOnce() throws Exception {
        AlertSubscription subscription = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        try (Handle early = jdbi.open(); Handle late = jdbi.open()) {
            // 1) the lower sequence number commits last
            early.begin();
            store.intake(early, List.of(alert("ooo-1", "ooo-key-1", Severity.LOW, T0)));
            late.begin();
            store.intake(late, List.of(alert("ooo-2", "ooo-key-2", Severity.LOW, T0)));
            late.commit();
            stream.poll();
            // ooo-2 is committed, but a transaction older than it still runs: held back, not delivered past ooo-1
            assertThat(drain(subscription)).isEmpty();
            early.commit();
            stream.poll();
            assertThat(alertIds(drain(subscription))).containsExactly("ooo-1", "ooo-2");

            // 2) the older transaction takes the higher sequence number and commits first
            early.begin();
            early.createQuery("SELECT pg_current_xact_id()").mapTo(String.class).one(); // its xid is taken now
            late.begin();
            store.intake(late, List.of(alert("ooo-3", "ooo-key-3", Severity.LOW, T0)));
            store.intake(early, List.of(alert("ooo-4", "ooo-key-4", Severity.LOW, T0)));
            early.commit();
            stream.poll();
            assertThat(alertIds(drain(subscription))).containsExactly("ooo-4");
            late.commit();
            stream.poll();
            assertThat(alertIds(drain(subscription))).containsExactly("ooo-3");
        }
        stream.poll();
        assertThat(drain(subscription)).isEmpty();
        subscription.close();
    }

    @Test
    void oneChangePerAlertPerTransactionCreatedThenUpdated() throws Exception {
        AlertSubscription subscription = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        store.store(alert("cu-1", "cu-key", Severity.HIGH, T0));
        stream.poll();
        store.transition("cu-1", AlertStatus.ACKNOWLEDGED, java.util.Set.of(AlertStatus.OPEN), "vic", null, null);
        stream.poll();
        List<StreamEvent> events = drain(subscription);
        assertThat(events).hasSize(2);
        StreamEvent.Change created = (StreamEvent.Change) events.get(0);
        StreamEvent.Change updated = (StreamEvent.Change) events.get(1);
        assertThat(created.created()).isTrue();
        assertThat(created.alert().status()).isEqualTo(AlertStatus.OPEN);
        assertThat(updated.created()).isFalse();
        assertThat(updated.alert().status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        assertThat(updated.id()).isGreaterThan(created.id());
    }

    @Test
    void resumeReplaysExactlyTheMissedChangesAndAnUnknownIdResets() throws Exception {
        AlertSubscription first = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        store.store(alert("rs-1", "rs-key-1", Severity.LOW, T0));
        stream.poll();
        long seen = ((StreamEvent.Change) drain(first).get(0)).id();
        first.close();
        store.store(alert("rs-2", "rs-key-2", Severity.LOW, T0));
        store.store(alert("rs-3", "rs-key-3", Severity.LOW, T0));
        stream.poll();

        AlertSubscription resumed = stream.subscribe("vic", a -> true, all -> true, OptionalLong.of(seen));
        assertThat(alertIds(drain(resumed))).containsExactly("rs-2", "rs-3");
        store.store(alert("rs-4", "rs-key-4", Severity.LOW, T0));
        stream.poll();
        assertThat(alertIds(drain(resumed))).containsExactly("rs-4");
        resumed.close();

        AlertSubscription lost = stream.subscribe("vic", a -> true, all -> true, OptionalLong.of(Long.MAX_VALUE));
        List<StreamEvent> events = drain(lost);
        assertThat(events).hasSize(1).first().isInstanceOf(StreamEvent.Reset.class);
        lost.close();
    }

    @Test
    void aResumeFromAPrunedChangeResets() throws Exception {
        AlertSubscription first = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        store.store(alert("pr-1", "pr-key-1", Severity.LOW, T0));
        stream.poll();
        long seen = ((StreamEvent.Change) drain(first).get(0)).id();
        first.close();
        // what the poller does with changes older than KEYWATCH_SSE_REPLAY_HOURS
        assertThat(new AlertChangeFeed(jdbi).prune(Instant.now().plusSeconds(60))).isPositive();

        AlertSubscription resumed = stream.subscribe("vic", a -> true, all -> true, OptionalLong.of(seen));
        List<StreamEvent> events = drain(resumed);
        assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Reset.class,
                reset -> assertThat(reset.reason()).contains("no longer kept").contains("reload the list"));
        store.store(alert("pr-2", "pr-key-2", Severity.LOW, T0));
        stream.poll();
        assertThat(alertIds(drain(resumed))).containsExactly("pr-2");
    }

    @Test
    void anAlertThatCannotBeReadIsSkippedAndTheOthersStillFlow() throws Exception {
        AlertSubscription subscription = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        store.store(alert("poison-1", "poison-key-1", Severity.LOW, T0));
        store.store(alert("poison-2", "poison-key-2", Severity.LOW, T0));
        // a row no mapper reads back (a rule this version does not know), changed in the same batch as a good one
        jdbi.useTransaction(h -> {
            h.execute("UPDATE alerts SET rule = 'RULE_FROM_THE_FUTURE' WHERE id = 'poison-1'");
            h.execute("UPDATE alerts SET summary = 'still fine' WHERE id = 'poison-2'");
        });
        stream.poll();
        List<StreamEvent> events = drain(subscription);
        assertThat(alertIds(events)).containsExactly("poison-2", "poison-2");
        store.store(alert("poison-3", "poison-key-3", Severity.LOW, T0));
        stream.poll();
        assertThat(alertIds(drain(subscription))).containsExactly("poison-3");
    }

    @Test
    void filtersAreTheListsFilters() throws Exception {
        AlertQuery highOnly = new AlertQuery(null, null, Severity.HIGH, null, null, null, 50, null, null);
        AlertQuery oneKey = new AlertQuery("flt-key-1", AlertRule.VOLUME_SPIKE, null, null, null, null, 50, null,
                null);
        AlertSubscription high = stream.subscribe("vic", highOnly::matches, all -> true, OptionalLong.empty());
        AlertSubscription key = stream.subscribe("rita", oneKey::matches, all -> true, OptionalLong.empty());
        store.store(alert("flt-1", "flt-key-1", AlertRule.VOLUME_SPIKE, Severity.LOW, T0));
        store.store(alert("flt-2", "flt-key-2", AlertRule.VOLUME_SPIKE, Severity.CRITICAL, T0));
        store.store(alert("flt-3", "flt-key-1", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, T0));
        stream.poll();
        assertThat(alertIds(drain(high))).containsExactly("flt-2", "flt-3");
        assertThat(alertIds(drain(key))).containsExactly("flt-1");
    }

    @Test
    void anAlertThatStopsMatchingIsSentAsLeftLiveAndOnResume() throws Exception {
        AlertQuery open = new AlertQuery("left-key-1", null, null, AlertStatus.OPEN, null, null, 50, null, null);
        AlertSubscription subscription = stream.subscribe("vic", open::matches,
                a -> AlertStreamController.inScope(open, a), OptionalLong.empty());
        store.store(alert("left-1", "left-key-1", Severity.HIGH, T0));
        store.store(alert("left-2", "left-key-2", Severity.HIGH, T0));
        stream.poll();
        StreamEvent.Change created = (StreamEvent.Change) drain(subscription).get(0);
        store.transition("left-2", AlertStatus.ACKNOWLEDGED, java.util.Set.of(AlertStatus.OPEN), "vic", null, null);
        store.transition("left-1", AlertStatus.ACKNOWLEDGED, java.util.Set.of(AlertStatus.OPEN), "vic", null, null);
        stream.poll();
        List<StreamEvent> events = drain(subscription);
        assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Left.class, left -> {
            assertThat(left.alert().id()).isEqualTo("left-1");
            assertThat(left.alert().status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        });
        subscription.close();

        AlertSubscription resumed = stream.subscribe("vic", open::matches,
                a -> AlertStreamController.inScope(open, a), OptionalLong.of(created.id()));
        assertThat(drain(resumed)).singleElement().isInstanceOf(StreamEvent.Left.class);
        resumed.close();
    }

    @Test
    void aResumeReadWhileThePollerMovesOnMissesNothingAndRepeatsNothing() throws Exception {
        stream.close();
        stream = new AlertStream(new AlertChangeFeed(jdbi), store, MANUAL_POLLING.withLimits(50, 50), clock).start();
        AlertSubscription first = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        store.store(alert("gap-1", "gap-key-1", Severity.LOW, T0));
        stream.poll();
        long seen = ((StreamEvent.Change) drain(first).get(0)).id();
        first.close();
        store.store(alert("gap-2", "gap-key-2", Severity.LOW, T0));
        stream.poll();
        // subscribers are fanned out to concurrently with new ones starting
        List<AlertSubscription> resumed = new ArrayList<>();
        Thread poller = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                store.store(alert("gap-live-" + i, "gap-key-live-" + i, Severity.LOW, T0));
                stream.poll();
            }
        });
        poller.start();
        for (int i = 0; i < 20; i++) {
            AlertSubscription s = stream.subscribe("sub-" + i, a -> true, all -> true, OptionalLong.of(seen));
            resumed.add(s);
        }
        poller.join();
        stream.poll();
        List<String> expected = new ArrayList<>(List.of("gap-2"));
        for (int i = 0; i < 20; i++) {
            expected.add("gap-live-" + i);
        }
        for (AlertSubscription s : resumed) {
            List<String> ids = alertIds(drain(s));
            assertThat(ids).as("exactly once, in order").containsExactlyElementsOf(expected);
            s.close();
        }
    }

    @Test
    void aStreamLivesItsLifetimeOrUntilItsCredentialExpires() {
        assertThat(stream.lifetime(null)).isEqualTo(Duration.ofSeconds(300));
        assertThat(stream.lifetime(T0.plusSeconds(3600))).isEqualTo(Duration.ofSeconds(300));
        assertThat(stream.lifetime(T0.plusSeconds(42))).isEqualTo(Duration.ofSeconds(42));
        assertThat(stream.lifetime(T0.minusSeconds(1))).isEqualTo(Duration.ZERO);
    }

    @Test
    void aPollStuckInTheDatabaseRefusesNewStreamsIn5SecondsInsteadOfHoldingTheirThreads() throws Exception {
        try (Handle blocker = jdbi.open()) {
            blocker.begin();
            // a database that does not answer: the poll's read waits for this lock, holding the poll lock
            blocker.execute("LOCK TABLE alert_changes IN ACCESS EXCLUSIVE MODE");
            Thread polling = new Thread(() -> stream.poll(), "stuck-poll");
            polling.start();
            Thread.sleep(500); // into its query (if not, it takes the poll lock while the subscribe waits: the same)
            long started = System.nanoTime();
            assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(15), () -> stream.subscribe("vic", a -> true, all -> true,
                            OptionalLong.empty())))
                    .isInstanceOfSatisfying(StreamRefusedException.class, e -> {
                        assertThat(e.perIdentity()).isFalse();
                        assertThat(e.getMessage()).contains("slow");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(stream.subscriberCount()).as("the refused stream's place is free again").isZero();
            blocker.rollback();
            polling.join(10_000);
        }
        AlertSubscription later = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        assertThat(later.closedBecause()).isNull();
        later.close();
    }

    @Test
    void aSlowSubscriberIsEndedAndTheOthersStillGetEverything() throws Exception {
        AlertSubscription slow = stream.subscribe("vic", a -> true, all -> true, OptionalLong.empty());
        AlertSubscription fast = stream.subscribe("rita", a -> true, all -> true, OptionalLong.empty());
        int count = AlertStream.BUFFER + 5;
        List<io.keywatch.events.Alert> many = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            many.add(alert("slow-" + i, "slow-key-" + i, Severity.LOW, T0));
        }
        store.storeAll(many);
        List<StreamEvent> received = new ArrayList<>();
        while (stream.poll() > 0) {
            received.addAll(drain(fast));
        }
        received.addAll(drain(fast));
        assertThat(received).hasSize(count);
        assertThat(slow.closedBecause()).contains("did not keep up");
        assertThatThrownBy(() -> slow.next(NOW)).isInstanceOf(AlertSubscription.ClosedException.class);
        assertThat(stream.subscriberCount()).isEqualTo(1);
    }

    @Test
    void anIdentityAtItsLimitReplacesItsOldestStreamAndAFullInstanceRefuses() {
        AlertSubscription a = stream.subscribe("vic", x -> true, all -> true, OptionalLong.empty());
        AlertSubscription b = stream.subscribe("vic", x -> true, all -> true, OptionalLong.empty());
        // more tabs than the limit: while the oldest is young, a new one is refused (429), not traded for it
        assertThatThrownBy(() -> stream.subscribe("vic", x -> true, all -> true, OptionalLong.empty()))
                .isInstanceOfSatisfying(StreamRefusedException.class, e -> {
                    assertThat(e.perIdentity()).isTrue();
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(e.getMessage()).contains("KEYWATCH_SSE_MAX_PER_PRINCIPAL");
                });
        assertThat(a.closedBecause()).isNull();
        assertThat(stream.subscriberCount()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(10));
        // a reloaded page: the third stream of the same identity is served, its oldest ends
        AlertSubscription c = stream.subscribe("vic", x -> true, all -> true, OptionalLong.empty());
        assertThat(a.closedBecause()).contains("replaced by a newer stream").contains("KEYWATCH_SSE_MAX_PER_PRINCIPAL");
        assertThatThrownBy(() -> a.next(NOW)).isInstanceOf(AlertSubscription.ClosedException.class);
        assertThat(b.closedBecause()).isNull();
        assertThat(c.closedBecause()).isNull();
        assertThat(stream.subscriberCount()).isEqualTo(2);
        AlertSubscription d = stream.subscribe("rita", x -> true, all -> true, OptionalLong.empty());
        assertThatThrownBy(() -> stream.subscribe("alice", x -> true, all -> true, OptionalLong.empty()))
                .isInstanceOfSatisfying(StreamRefusedException.class,
                        e -> {
                            assertThat(e.getMessage()).contains("KEYWATCH_SSE_MAX_SUBSCRIBERS");
                            assertThat(e.perIdentity()).isFalse();
                        });
        a.close();
        b.close();
        c.close();
        d.close();
        assertThat(stream.subscriberCount()).isZero();
    }
}
