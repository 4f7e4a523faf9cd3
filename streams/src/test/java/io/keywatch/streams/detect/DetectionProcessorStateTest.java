package io.keywatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.StreamsSettings;
import io.keywatch.streams.TestStores;
import io.keywatch.streams.route.KeyPartitioner;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.aggregate.KeyProfileSerde;
import io.keywatch.streams.aggregate.KeyScopeUsageSerde;
import io.keywatch.streams.aggregate.MinuteAggregateSerde;
import io.keywatch.streams.keystate.KeyStateSerde;
import io.keywatch.streams.stores.ObjectStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection processor over real (RocksDB) stores, driven directly, so that a task's re-initialisation (Kafka
 * Streams calls {@code init()} again on the same processor after rewinding the stores to the committed offsets) and a
 * restart after a crash (a new processor over the same stores) can be shown, which a TopologyTestDriver cannot do.
 */
class DetectionProcessorStateTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final DetectionProcessor.StoreNames NAMES =
            new DetectionProcessor.StoreNames("usage", "profile", "key-states", "clock", "scopes",
                    "hygiene-cursor");

    @TempDir
    Path dir;

    private final StreamsSettings settings = StreamsSettings.fromEnv(TestStores.env(Map.of("KEYWATCH_TOPIC_PARTITIONS", "1")));
    private MockProcessorContext<String, DetectionOutput> context;
    private List<StateStore> stores;
    private KeyValueStore<String, Long> clock;
    private KeyValueStore<String, KeyProfile> profile;
    private KeyValueStore<String, KeyState> keyStates;
    private KeyValueStore<String, String> cursor;
    private boolean profileFails;

    @BeforeEach
    void openStores() {
        Properties props = settings.toProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        context = new MockProcessorContext<>(props, new TaskId(1, 0), dir.toFile());
        context.setCurrentSystemTimeMs(T0.plus(Duration.ofHours(1)).toEpochMilli());
        // the write-back stores of the topology: what the processor reads are their live objects
        var usage = ObjectStores.writeBackWindowStore(Stores.persistentWindowStore(NAMES.usage(),
                settings.usageRetention(), StreamsSettings.WINDOW_SIZE, false), Serdes.String(),
                new MinuteAggregateSerde(), 100).withLoggingDisabled().build();
        profile = failingWhenAsked(ObjectStores.writeBackKeyValueStore(Stores.persistentKeyValueStore(NAMES.profile()),
                Serdes.String(), new KeyProfileSerde(), 100).withLoggingDisabled().build());
        keyStates = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES.keyStates()), Serdes.String(),
                new KeyStateSerde()).withLoggingDisabled().build();
        clock = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES.clock()), Serdes.String(),
                Serdes.Long()).withLoggingDisabled().build();
        var scopes = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES.scopes()), Serdes.String(),
                new KeyScopeUsageSerde()).withLoggingDisabled().build();
        cursor = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES.hygieneCursor()), Serdes.String(),
                Serdes.String()).withLoggingDisabled().build();
        stores = List.of(usage, profile, keyStates, clock, scopes, cursor);
        for (StateStore store : stores) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
    }

    @AfterEach
    void closeStores() {
        for (StateStore store : stores) {
            if (store.isOpen()) {
                store.close();
            }
        }
    }

    /** The store, except that every read throws while {@link #profileFails} is set. */
    @SuppressWarnings("unchecked")
    private KeyValueStore<String, KeyProfile> failingWhenAsked(KeyValueStore<String, KeyProfile> store) {
        return (KeyValueStore<String, KeyProfile>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (profileFails && method.getName().equals("get")) {
                        throw new IllegalStateException("profile store unavailable");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private DetectionProcessor processor() {
        DetectionProcessor processor = new DetectionProcessor(NAMES, settings.detection(), StreamsSettings.WINDOW_SIZE,
                settings.windowGrace(), settings.usageRetention(), new KeyPartitioner(1), 100);
        processor.init(context);
        return processor;
    }

    private DetectionProcessor processor(Detectors rules) {
        DetectionProcessor processor = new DetectionProcessor(NAMES, settings.detection(), StreamsSettings.WINDOW_SIZE,
                settings.windowGrace(), settings.usageRetention(), new KeyPartitioner(1), 100, rules);
        processor.init(context);
        return processor;
    }

    /** A rule as a later one would be added: one class; here it fires on any use of a key its owner calls a decoy. */
    private static final class DecoyRule implements Detector.OnEvent {
        private static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.UNKNOWN_KEY, Trigger.EVENT,
                Dedup.MINUTE, "`CRITICAL`", Toggle.GLOBAL_AND_PER_KEY, "decoy", List.of(), "a decoy key was used");

        @Override
        public RuleDeclaration declaration() {
            return DECLARATION;
        }

        @Override
        public Verdict evaluate(EventContext context) {
            if (context.metadata() == null || !"decoy".equals(context.metadata().owner())) {
                return null;
            }
            return Verdict.of(Severity.CRITICAL, (start, end) -> new Finding(AlertRule.UNKNOWN_KEY, Severity.CRITICAL,
                    1, 1, null, "decoy " + context.keyId() + " used in " + Instant.ofEpochMilli(start), Map.of()));
        }
    }

    private static KeyState registered(String keyId, String owner, Map<String, Double> thresholds) {
        return new KeyState(keyId, KeyStatus.ACTIVE, T0, null, null, new KeyMetadata(owner, "billing", null, null,
                null, null, null, null, null, thresholds));
    }

    @Test
    void aRuleInTheListRunsOnEventsWithTheDeduplicationAndSwitchItDeclares() {
        keyStates.put("decoy-1", registered("decoy-1", "decoy", null));
        keyStates.put("decoy-off", registered("decoy-off", "decoy", Map.of("decoy.enabled", 0.0)));
        keyStates.put("real-1", registered("real-1", "team-billing", null));
        DetectionProcessor processor = processor(new Detectors(List.of(new DecoyRule())));
        Instant minute = T0.plus(Duration.ofMinutes(1));

        for (int second : new int[] {1, 2, 61}) {
            for (String key : List.of("decoy-1", "decoy-off", "real-1")) {
                processor.process(record(event(key, minute.plusSeconds(second))));
            }
        }

        assertThat(context.forwarded()).extracting(f -> f.record().value())
                .filteredOn(DetectionOutput.Raised.class::isInstance)
                .extracting(v -> ((DetectionOutput.Raised) v).alert().summary())
                .as("once per minute (the declared window), only for the decoy, not where its switch is off")
                .containsExactly("decoy decoy-1 used in " + minute, "decoy decoy-1 used in " + minute.plusSeconds(60));
    }

    /** The decoy rule again, declared with a week window. */
    private static final class WeeklyDecoyRule implements Detector.OnEvent {
        private static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.UNKNOWN_KEY, Trigger.EVENT,
                Dedup.WEEK, "`LOW`", Toggle.GLOBAL_ONLY, null, List.of(), "a decoy key was used this week");

        @Override
        public RuleDeclaration declaration() {
            return DECLARATION;
        }

        @Override
        public Verdict evaluate(EventContext context) {
            return Verdict.of(Severity.LOW, (start, end) -> new Finding(AlertRule.UNKNOWN_KEY, Severity.LOW, 1, 1, null,
                    "week " + Instant.ofEpochMilli(start) + " to " + Instant.ofEpochMilli(end), Map.of()));
        }
    }

    @Test
    void aRuleDeclaredWithAWeekWindowRaisesOncePerKeyAndIsoWeek() {
        DetectionProcessor processor = processor(new Detectors(List.of(new WeeklyDecoyRule())));
        // T0 is Monday 2026-03-02; the next ISO week starts on Monday 2026-03-09 00:00 UTC
        for (Instant at : List.of(T0, T0.plus(Duration.ofDays(3)), Instant.parse("2026-03-08T23:59:00Z"),
                Instant.parse("2026-03-09T00:00:30Z"), Instant.parse("2026-03-12T08:00:00Z"))) {
            processor.process(record(event("k", at)));
        }

        assertThat(context.forwarded()).extracting(f -> f.record().value())
                .filteredOn(DetectionOutput.Raised.class::isInstance)
                .extracting(v -> ((DetectionOutput.Raised) v).alert().summary())
                .containsExactly("week 2026-03-02T00:00:00Z to 2026-03-09T00:00:00Z",
                        "week 2026-03-09T00:00:00Z to 2026-03-16T00:00:00Z");
    }

    private static UsageEvent event(String keyId, Instant at) {
        return UsageEvent.of("evt-" + at.toEpochMilli(), keyId, at, "billing", AuthResult.OK)
                .withRequest("GET", "/v1/invoices", 200).withClient("10.0.0.1", "DE", "curl/8");
    }

    private static Record<String, UsageEvent> record(UsageEvent event) {
        return new Record<>(event.keyId(), event, event.timestamp().toEpochMilli());
    }

    /** Runs the hygiene scan's newest punctuator (a processor started later schedules its own) at {@code at}. */
    private void hygieneStep(Instant at) {
        List<MockProcessorContext.CapturedPunctuator> hygiene = context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.STREAM_TIME)
                .filter(p -> p.getInterval().equals(KeyHygieneScan.STEP_INTERVAL))
                .toList();
        hygiene.get(hygiene.size() - 1).getPunctuator().punctuate(at.toEpochMilli());
    }

    private List<String> expiringAlerts() {
        return context.forwarded().stream().map(f -> f.record().value())
                .filter(DetectionOutput.Raised.class::isInstance)
                .map(v -> ((DetectionOutput.Raised) v).alert())
                .filter(alert -> alert.rule() == AlertRule.KEY_EXPIRING)
                .map(alert -> alert.keyId())
                .toList();
    }

    private void registerExpiringKeys(int count) {
        for (int i = 0; i < count; i++) {
            String keyId = "key-%05d".formatted(i);
            keyStates.put(keyId, new KeyState(keyId, KeyStatus.ACTIVE, T0, null, null, new KeyMetadata("team",
                    "billing", null, null, T0.plus(Duration.ofDays(5)), null, null, null, null, null)));
        }
    }

    @Test
    void aRestartedTaskResumesTheHygienePassAfterTheLastKeyItLookedAt() {
        registerExpiringKeys(5_000);
        processor();
        hygieneStep(T0);
        assertThat(expiringAlerts()).hasSize(KeyHygieneScan.KEYS_PER_STEP)
                .startsWith("key-00000").endsWith("key-01999");
        context.resetForwards();
        // the key the pass stopped at leaves the registry while the task is down
        keyStates.delete("key-01999");

        // killed: a new processor over the same stores, the pass's position read from the cursor store
        processor();
        hygieneStep(T0.plus(KeyHygieneScan.STEP_INTERVAL));

        assertThat(expiringAlerts()).as("the second step of the pass, not the first again")
                .hasSize(KeyHygieneScan.KEYS_PER_STEP).startsWith("key-02000").endsWith("key-03999");
        context.resetForwards();
        hygieneStep(T0.plus(KeyHygieneScan.STEP_INTERVAL.multipliedBy(2)));
        assertThat(expiringAlerts()).hasSize(1_000).endsWith("key-04999");
        assertThat(cursor.get("pass.after")).as("the pass is over").isNull();

        // and the next pass keeps to its schedule across a restart too: due ten minutes after the first began
        context.resetForwards();
        processor();
        hygieneStep(T0.plus(Duration.ofMinutes(5)));
        assertThat(cursor.get("pass.after")).as("no pass before it is due").isNull();
    }

    @Test
    void aShorterScanIntervalAfterARestartBringsTheNextPassForward() {
        registerExpiringKeys(3);
        processor(); // hygiene.scanMinutes 10: the pass at T0, the next due at T0 + 10 min
        hygieneStep(T0);
        assertThat(clock.get("next-hygiene-pass-at")).isEqualTo(T0.plus(Duration.ofMinutes(10)).toEpochMilli());

        // restarted with hygiene.scanMinutes 1: the stored due time is no later than one new interval from now
        DetectionProcessor restarted = new DetectionProcessor(NAMES,
                settings.detection().with(KeyHygieneScan.SCAN_MINUTES, 1), StreamsSettings.WINDOW_SIZE,
                settings.windowGrace(), settings.usageRetention(), new KeyPartitioner(1), 100);
        restarted.init(context);
        Instant restart = T0.plus(Duration.ofMinutes(2));
        hygieneStep(restart);
        assertThat(clock.get("next-hygiene-pass-at")).isEqualTo(restart.plus(Duration.ofMinutes(1)).toEpochMilli());
        hygieneStep(restart.plus(Duration.ofMinutes(1)));
        assertThat(clock.get("next-hygiene-pass-at")).as("a pass ran one new interval later, not at T0 + 10 min")
                .isEqualTo(restart.plus(Duration.ofMinutes(2)).toEpochMilli());
    }

    @Test
    void aCursorSomeoneElseWroteIsDroppedAndTheCleanUpStartsOver() {
        // the cursor's changelog is keywatch's own, but a record another writer put there (a NUL, a year-999999999
        // day, a megabyte key) must not stop the stream thread: the day's clean-up (idempotent) starts over
        KeyValueStore<String, KeyScopeUsage> scopes = context.getStateStore(NAMES.scopes());
        scopes.put("gone-1", new KeyScopeUsage("gone-1", java.time.LocalDate.of(2026, 3, 1), Map.of(), false));
        cursor.put("cleanup.day", "+999999999-01-01\u0000");
        cursor.put("cleanup.after", "x".repeat(1_000_000));
        processor();
        hygieneStep(T0);
        hygieneStep(T0.plus(KeyHygieneScan.STEP_INTERVAL));
        assertThat(scopes.get("gone-1")).as("the clean-up ran from the start").isNull();
        assertThat(cursor.get("cleanup.day")).as("the day's clean-up is over").isNull();
    }

    @Test
    void aRestartedTaskResumesTheDailyCleanUpWhereItStopped() {
        // 10,000 registered keys' scope usage (kept) in front of 15,000 entries of keys no longer registered: one
        // clean-up step of 10,000 entries looks at the kept ones only
        KeyValueStore<String, KeyScopeUsage> scopes = context.getStateStore(NAMES.scopes());
        for (int i = 0; i < 10_000; i++) {
            String keyId = "a-kept-%05d".formatted(i);
            keyStates.put(keyId, registered(keyId, "team", null));
            scopes.put(keyId, new KeyScopeUsage(keyId, java.time.LocalDate.of(2026, 3, 1), Map.of(), false));
        }
        for (int i = 0; i < 15_000; i++) {
            String keyId = "gone-%05d".formatted(i);
            scopes.put(keyId, new KeyScopeUsage(keyId, java.time.LocalDate.of(2026, 3, 1), Map.of(), false));
        }
        processor();
        hygieneStep(T0);
        assertThat(countAll(scopes)).isEqualTo(25_000);
        assertThat(cursor.get("cleanup.after")).isEqualTo("a-kept-09999");
        // the entry the clean-up stopped at is removed while the task is down
        keyStates.delete("a-kept-09999");
        scopes.delete("a-kept-09999");

        // killed: a new processor over the same stores goes on after it, rather than over the kept entries again
        processor();
        hygieneStep(T0.plus(KeyHygieneScan.STEP_INTERVAL));
        assertThat(countAll(scopes)).as("the first 10,000 forgotten entries").isEqualTo(9_999 + 5_000);
        hygieneStep(T0.plus(KeyHygieneScan.STEP_INTERVAL.multipliedBy(2)));
        assertThat(countAll(scopes)).isEqualTo(9_999);
        assertThat(cursor.get("cleanup.day")).as("the day's clean-up is over").isNull();
        assertThat(clock.get("last-cleanup-day")).isEqualTo(T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .toEpochMilli());
    }

    private static int countAll(KeyValueStore<String, ?> store) {
        int n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private long late() {
        return context.forwarded().stream().filter(f -> f.record().value() instanceof DetectionOutput.Late).count();
    }

    @Test
    void aProcessorStartedAfterACrashStillJudgesAnOldEventLate() {
        processor().process(record(event("k", T0.plus(Duration.ofMinutes(10)))));
        context.resetForwards();

        // killed: a new processor over the same stores, its newest event time read from the clock store
        processor().process(record(event("k", T0.plus(Duration.ofMinutes(1)))));

        assertThat(late()).as("an event nine minutes behind is late after a restart too").isEqualTo(1);
    }

    @Test
    void aReinitialisedTaskJudgesLatenessFromItsRestoredClockNotFromMemory() {
        DetectionProcessor processor = processor();
        processor.process(record(event("k", T0.plus(Duration.ofMinutes(1)))));
        long committed = clock.get(DetectionProcessor.MAX_EVENT_TIME);
        processor.process(record(event("k", T0.plus(Duration.ofMinutes(10)))));
        // the task is corrupted: Kafka Streams rewinds its stores and offsets to the last commit and calls init again
        clock.put(DetectionProcessor.MAX_EVENT_TIME, committed);
        processor.init(context);
        context.resetForwards();

        processor.process(record(event("k", T0.plus(Duration.ofMinutes(1)).plusSeconds(20))));

        assertThat(late()).as("an event re-processed after the rewind is not late").isZero();
    }

    @Test
    void aTaskClosedDirtyReadsItsClockAgainOnceItsStoresAreRestored() {
        // seen in a soak run: a task re-created after corruption judged its whole rewound backlog late against the
        // clock of the aborted transaction; the clock is read at the first record after init or close, when the
        // stores are restored, not in init (which may run before that)
        DetectionProcessor processor = processor();
        processor.process(record(event("k", T0.plus(Duration.ofMinutes(1)))));
        long committed = clock.get(DetectionProcessor.MAX_EVENT_TIME);
        processor.init(context);
        processor.process(record(event("k", T0.plus(Duration.ofMinutes(10)))));
        processor.close();
        clock.put(DetectionProcessor.MAX_EVENT_TIME, committed); // restored to the last commit after the close
        context.resetForwards();

        processor.process(record(event("k", T0.plus(Duration.ofMinutes(1)).plusSeconds(20))));

        assertThat(late()).as("an event re-processed after the rewind is not late").isZero();
    }

    @Test
    void anEventWhoseDetectionThrowsRaisesNoAlert() {
        Instant at = T0.plus(Duration.ofMinutes(1));
        keyStates.put("k", new KeyState("k", KeyStatus.REVOKED, T0, "leaked", "security-team"));
        DetectionProcessor processor = processor();
        UsageEvent failed = UsageEvent.of("evt-1", "k", at, "billing", AuthResult.INVALID_SECRET)
                .withRequest("GET", "/v1/invoices", 401);
        processor.process(record(failed));
        context.resetForwards();
        // the next event raises REVOKED_KEY_USED, then needs the profile (for INSECURE_TRANSPORT), which fails
        profileFails = true;
        UsageEvent used = event("k", at.plusSeconds(5)).withDetails(null, null, false, null);

        assertThatThrownBy(() -> processor.process(record(used))).isInstanceOf(RuntimeException.class);
        assertThat(context.forwarded()).as("the event goes to the dead-letter topic: none of its alerts may be out")
                .isEmpty();

        // the failed detection left no "already alerted" mark: the next use of the key in the minute raises it
        profileFails = false;
        processor.process(record(event("k", at.plusSeconds(10)).withDetails(null, null, false, null)));
        assertThat(context.forwarded()).extracting(f -> f.record().value())
                .filteredOn(DetectionOutput.Raised.class::isInstance)
                .extracting(v -> ((DetectionOutput.Raised) v).alert().rule())
                .contains(AlertRule.REVOKED_KEY_USED, AlertRule.INSECURE_TRANSPORT);
    }
}
