package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.events.LogSampling;
import io.keywatch.events.RejectCode;
import io.keywatch.events.SafeText;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.route.KeyPartitioner;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.redact.RedactSecretsProcessor;
import io.keywatch.streams.errors.DeadLetterHeaders;
import io.keywatch.streams.scopes.ScopeUsageRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds each event to its key's one-minute aggregate and runs the detectors on the updated minute, so an alert goes
 * out with the very event that crosses a threshold rather than when the window closes.
 *
 * <p>Why one processor rather than a DSL {@code aggregate()} followed by detectors: a DSL windowed aggregate only
 * passes every update downstream with caching off, which would write every update to RocksDB and the changelog.
 * Here the store is read and written once per event (a write-back store: the key's open minute is an object while
 * in use, serialized to RocksDB and the changelog once per commit), the detectors see every update, and the marks of
 * alerts already raised live in the same store value, so "at most once per key, rule and minute" needs no extra
 * state and survives restarts and replays exactly like the counts do.
 *
 * <p>Per event: one read of the key's state from the global store (its registry metadata and status), one read and
 * write of the minute aggregate (values read are the stores' live objects: every change is put back). The key's
 * {@link KeyProfile} (baselines, activity, countries, marks of hour- and day-windowed alerts) is read and written
 * when the key's minute opens, and otherwise only when a rule needs it: a country new in the minute, the first
 * insecure request of a minute, an alert with an hour or day window.
 *
 * <p>Each event that used a scope also goes to the {@link ScopeUsageRecorder} (which reads its store at most once
 * per key, scope and UTC day); when the key's scope usage changed, its whole {@link KeyScopeUsage} goes out for the
 * key-scopes topic.
 *
 * <p>A {@code STREAM_TIME} punctuator runs the hygiene scan ({@link KeyHygieneScan}) every
 * {@code hygiene.scanMinutes}, in steps of a bounded number of keys, so a backtest replays the same hygiene alerts.
 * A second one, every minute of stream time, looks at the task's busy keys ({@link BusyKeys}) for VOLUME_DROP of a
 * key that stopped entirely (when that rule is on for it).
 *
 * <p>When a key's minute opens, the volume judgement ({@link VolumeJudge}) stores in it the count at which it is a
 * spike, so the per-event VOLUME_SPIKE check is a comparison.
 */
public final class DetectionProcessor implements Processor<String, UsageEvent, String, DetectionOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionProcessor.class);
    /** Clock-store keys of this task's newest event time and newest window start. */
    static final String MAX_EVENT_TIME = "max-event-time";
    static final String MAX_WINDOW_START = "max-window-start";
    /**
     * How far ahead of the wall clock an event may move the lateness clock. An event stamped further ahead (within
     * the parser's future skew) is counted, but does not make the task's real-time events late.
     */
    static final long FUTURE_TOLERANCE_MS = 5_000;
    /** The newest event time is written back to the clock store when it moved at least this much. */
    private static final long SAVE_STEP_MS = 1_000;

    private final StoreNames stores;
    private final DetectionSettings settings;
    private final KeyThresholds globalThresholds;
    private final long windowMs;
    private final long graceMs;
    private final KeyPartitioner partitioner;
    private final Detectors rules;
    private final List<Detector.OnEvent> detectors;
    // helpers the processor itself needs around the rules: counting scope violations, opening a minute, late events
    private final ScopeViolationRule scopeViolation = new ScopeViolationRule();
    private final RateLimitRule rateLimit = new RateLimitRule();
    private final DormantKeyRule dormantKey = new DormantKeyRule();
    private final SecretInTelemetryRule secretInTelemetry = new SecretInTelemetryRule();
    private final VolumeJudge volumeJudge = new VolumeJudge();
    private final VolumeDropRule volumeDrop = new VolumeDropRule();
    /** The task's busy keys, for VOLUME_DROP of a key that stops entirely; rebuilt from events after a restart. */
    private final BusyKeys busyKeys = new BusyKeys();
    private final AlertFactory alerts = new AlertFactory();
    private final ScopeUsageRecorder scopeUsage;

    private ProcessorContext<String, DetectionOutput> context;
    private WindowStore<String, MinuteAggregate> usageStore;
    private KeyValueStore<String, KeyProfile> profileStore;
    private KeyValueStore<String, KeyState> keyStates;
    private KeyValueStore<String, KeyScopeUsage> scopeStore;
    private KeyHygieneScan hygiene;
    private final long retentionMs;
    private KeyValueStore<String, Long> clock;
    /**
     * The newest event time of the task's usage-events input among events not stamped ahead of the wall clock
     * ({@link #advanceClock}): what the late test measures a usage event against. Events that reach the task through
     * the re-keying topic are not judged by it, nor by a clock of their own: that topic interleaves the output of
     * every upstream task, and after a restart those are minutes apart, so a clock would make a slow task's events
     * late (seen in soak runs); they are only kept within the usage store's retention. Read from the clock store at
     * the first record after {@link #init} or {@link #close}, when the task's stores are restored to its committed
     * offsets.
     */
    private long maxEventTime = Long.MIN_VALUE;
    /** {@link #maxEventTime} as last written to the clock store (it may lag: that only makes the late test lenient). */
    private long savedEventTime = Long.MIN_VALUE;
    /** Whether {@link #maxEventTime} and {@link #maxWindowStart} were read from the clock store since init or close. */
    private boolean clockLoaded;
    /** The newest window start written to the usage store: the store drops windows older than it by the retention. */
    private long maxWindowStart = Long.MIN_VALUE;
    /** What one event raises, forwarded only once the stores are updated; reused, so the common case allocates none. */
    private final List<Record<String, DetectionOutput>> pending = new ArrayList<>();
    /**
     * The marks of the event's minute and of its key's profile as they were before the event: the values are the
     * write-back stores' live objects, so a detection that throws would otherwise leave "already alerted" marks for
     * alerts that never went out, and the commit would write them back.
     */
    private final MinuteAggregate.Marks minuteMarks = new MinuteAggregate.Marks();
    private final KeyProfile.Marks profileMarks = new KeyProfile.Marks();
    private long lateCount;
    /** Created with the first late event: most tasks never need it. */
    private JsonSerde<UsageEvent> lateJson;
    private boolean warnedAboutPartitions;

    /**
     * The names of the stores the processor uses.
     *
     * @param scopes each key's {@link KeyScopeUsage} ({@link ScopeUsageRecorder})
     * @param hygieneCursor per task: where the hygiene scan's pass and clean-up are ({@link HygieneCursor})
     */
    public record StoreNames(String usage, String profile, String keyStates, String clock, String scopes,
                             String hygieneCursor) {
    }

    /**
     * @param partitioner which partition owns a key id: the hygiene scan reports a registered key from that task
     * @param hotKeys     the task's hot keys: as many (key, scope) pairs are remembered as recorded for their day
     */
    public DetectionProcessor(StoreNames stores, DetectionSettings settings, Duration window, Duration grace,
                              Duration retention, KeyPartitioner partitioner, int hotKeys) {
        this(stores, settings, window, grace, retention, partitioner, hotKeys, Detectors.all());
    }

    /** @param rules the rules to run (every rule keywatch has in production; a test may run its own) */
    public DetectionProcessor(StoreNames stores, DetectionSettings settings, Duration window, Duration grace,
                              Duration retention, KeyPartitioner partitioner, int hotKeys, Detectors rules) {
        this.stores = stores;
        this.settings = settings;
        this.globalThresholds = KeyThresholds.global(settings);
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.retentionMs = retention.toMillis();
        this.partitioner = partitioner;
        this.rules = rules;
        this.detectors = rules.onEvent();
        this.scopeUsage = new ScopeUsageRecorder(hotKeys);
    }

    @Override
    public void init(ProcessorContext<String, DetectionOutput> context) {
        this.context = context;
        this.usageStore = context.getStateStore(stores.usage());
        this.profileStore = context.getStateStore(stores.profile());
        this.keyStates = context.getStateStore(stores.keyStates());
        this.clock = context.getStateStore(stores.clock());
        this.scopeStore = context.getStateStore(stores.scopes());
        scopeUsage.init(scopeStore);
        // read from the store at the first record, not now and not from this object: after a re-initialisation the
        // task is back at its committed offsets and the store (changelogged, under exactly-once) with it, but only
        // once its restoration is complete, which the first record to process guarantees
        this.clockLoaded = false;
        pending.clear();
        // in memory only: after a (re-)initialisation the busy keys are learnt again from their events
        busyKeys.clear();
        this.hygiene = new KeyHygieneScan(rules.onScan(), settings, globalThresholds, keyStates, profileStore,
                scopeStore, clock, context.getStateStore(stores.hygieneCursor()), context.taskId().partition(), partitioner, alerts, context::currentSystemTimeMs, this::forwardScanned);
        context.schedule(KeyHygieneScan.STEP_INTERVAL, PunctuationType.STREAM_TIME, hygiene::step);
        context.schedule(Duration.ofMillis(windowMs), PunctuationType.STREAM_TIME, this::checkSilentKeys);
    }

    /** What one event's detection needs, loaded once. */
    private final class EventScope implements EventContext {
        final Record<String, UsageEvent> record;
        final UsageEvent event;
        final String keyId;
        final long windowStart;
        final KeyState state;
        final KeyMetadata metadata;
        final KeyThresholds thresholds;
        /** The format of the secret the key id was, as the redact-secrets step says; null for an ordinary key id. */
        final String secretFormat;
        private KeyProfile profile;
        boolean profileChanged;
        Long dormantSince;
        MinuteAggregate usage;
        boolean newIp;
        boolean newCountryInMinute;
        boolean violation;
        boolean opened;
        /** The VOLUME_DROP streak this event alerted, marked in the profile once the event's detection succeeded. */
        long dropAlertedStreak = Long.MIN_VALUE;

        EventScope(Record<String, UsageEvent> record, long windowStart) {
            this.record = record;
            this.event = record.value();
            this.keyId = event.keyId();
            this.windowStart = windowStart;
            this.state = keyStates.get(keyId);
            this.metadata = state == null ? null : state.metadata();
            this.thresholds = KeyThresholds.forKey(settings, globalThresholds, metadata);
            this.secretFormat = RedactSecretsProcessor.secretFormat(record.headers());
        }

        @Override
        public UsageEvent event() {
            return event;
        }

        @Override
        public String keyId() {
            return keyId;
        }

        @Override
        public long minuteStart() {
            return windowStart;
        }

        @Override
        public MinuteAggregate usage() {
            return usage;
        }

        @Override
        public KeyState state() {
            return state;
        }

        @Override
        public KeyMetadata metadata() {
            return metadata;
        }

        @Override
        public KeyThresholds thresholds() {
            return thresholds;
        }

        @Override
        public String secretFormat() {
            return secretFormat;
        }

        @Override
        public void profileChanged() {
            profileChanged = true;
        }

        @Override
        public boolean newIp() {
            return newIp;
        }

        @Override
        public boolean newCountryInMinute() {
            return newCountryInMinute;
        }

        @Override
        public boolean scopeViolation() {
            return violation;
        }

        @Override
        public boolean minuteOpened() {
            return opened;
        }

        @Override
        public Long dormantSince() {
            return dormantSince;
        }

        @Override
        public Map<String, Long> streakMinutes(long streakStart) {
            return DetectionProcessor.this.streakMinutes(keyId, streakStart, windowStart, usage);
        }

        @Override
        public KeyProfile profile() {
            if (profile == null) {
                profile = profileStore.get(keyId);
                if (profile == null) {
                    profile = new KeyProfile();
                }
                profile.saveMarks(profileMarks);
            }
            return profile;
        }

        /** Takes back the marks this event set on the profile (when it was loaded at all). */
        void restoreMarks() {
            if (profile != null) {
                profile.restoreMarks(profileMarks);
            }
        }

        void save() {
            if (dropAlertedStreak != Long.MIN_VALUE) {
                profile.volumeModel().markDropAlerted(dropAlertedStreak);
                profileChanged = true;
            }
            if (profileChanged) {
                profileStore.put(keyId, profile);
            }
        }
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        UsageEvent event = record.value();
        String keyId = event.keyId();
        long eventTime = event.timestamp().toEpochMilli();
        if (!clockLoaded) {
            loadClock();
        }
        long windowStart = eventTime - Math.floorMod(eventTime, windowMs);
        if (!reKeyed() && isLate(eventTime, windowStart)) {
            deadLetterLate(record, "event time " + Instant.ofEpochMilli(eventTime) + " is " + (maxEventTime - eventTime)
                    + " ms behind the newest event time " + Instant.ofEpochMilli(maxEventTime) + " of this task: its "
                    + "minute " + Instant.ofEpochMilli(windowStart) + " closed with the grace of " + graceMs + " ms");
            return;
        }
        // the usage store would drop the window without a word (its stream time may be ahead of the lateness clock);
        // a window exactly the retention behind is kept but no longer read back (fetch starts one ms after it)
        if (maxWindowStart != Long.MIN_VALUE && windowStart <= maxWindowStart - retentionMs) {
            // measured against the newest minute: the lateness clock may be behind the event (or not set at all)
            deadLetterLate(record, "event time " + Instant.ofEpochMilli(eventTime) + ": its minute "
                    + Instant.ofEpochMilli(windowStart) + " is " + (maxWindowStart - windowStart)
                    + " ms behind the newest minute " + Instant.ofEpochMilli(maxWindowStart) + " of this task, older "
                    + "than the usage store's retention of " + retentionMs + " ms");
            return;
        }

        EventScope scope = new EventScope(record, windowStart);
        MinuteAggregate usage = usageStore.fetch(keyId, windowStart);
        if (usage == null) {
            usage = new MinuteAggregate();
            openMinute(scope, usage);
        }
        // looked at before the event is counted: only a value new in the minute needs the per-value rules
        scope.usage = usage;
        scope.newIp = event.clientIp() != null && usage.clientIps().count(event.clientIp()) == 0;
        scope.newCountryInMinute = event.country() != null && usage.countries().count(event.country()) == 0;
        usage.add(event);
        scope.violation = scopeViolation.isViolation(event, scope.metadata);
        if (scope.violation) {
            usage.addScopeViolation(event.scope(), scopeViolation.accepted(event));
        }

        pending.clear();
        usage.saveMarks(minuteMarks);
        try {
            detect(scope, usage);
        } catch (RuntimeException | Error e) {
            // the event is dead-lettered and its alerts are not sent: the rules must be free to fire for the next one
            pending.clear();
            usage.restoreMarks(minuteMarks);
            scope.restoreMarks();
            throw e;
        }
        usageStore.put(keyId, usage, windowStart);
        scope.save();
        if (windowStart > maxWindowStart) {
            maxWindowStart = windowStart;
            clock.put(MAX_WINDOW_START, windowStart);
        }
        // only now: a throw above dead-letters the event, and then none of its alerts may be out
        if (!pending.isEmpty()) {
            for (Record<String, DetectionOutput> alert : pending) {
                context.forward(alert);
            }
            pending.clear();
        }
        // after the alerts are out, so that a failure here cannot hold back alerts whose marks are already stored;
        // the store is read at most once per key, scope and UTC day, and only a change is published
        KeyScopeUsage scopesChanged = scopeUsage.record(event, scope.state);
        if (scopesChanged != null) {
            context.forward(new Record<>(keyId, new DetectionOutput.ScopesUsed(scopesChanged), record.timestamp()));
        }
    }

    /** Whether the record came through the re-keying topic, the only repartition topic detection reads. */
    private boolean reKeyed() {
        return context.recordMetadata()
                .filter(metadata -> metadata.topic() != null && metadata.topic().endsWith("-repartition"))
                .isPresent();
    }

    /** Moves the lateness clock ({@link #advanceClock}), then: did the event's minute close before it? */
    private boolean isLate(long eventTime, long windowStart) {
        advanceClock(eventTime);
        return windowStart + windowMs + graceMs <= maxEventTime;
    }

    private void loadClock() {
        Long eventTime = clock.get(MAX_EVENT_TIME);
        this.maxEventTime = eventTime == null ? Long.MIN_VALUE : eventTime;
        this.savedEventTime = maxEventTime;
        Long windowStart = clock.get(MAX_WINDOW_START);
        this.maxWindowStart = windowStart == null ? Long.MIN_VALUE : windowStart;
        this.clockLoaded = true;
    }

    /** A dirty close (a corrupted task) may be followed by a revival of this very object: forget the clock. */
    @Override
    public void close() {
        clockLoaded = false;
        scopeUsage.close();
    }

    /**
     * Moves the lateness clock to the event's time, unless the event is stamped ahead of the wall clock (by more than
     * {@link #FUTURE_TOLERANCE_MS}): such an event is counted, but it does not move the clock at all. Capping it at
     * the wall clock would not do: while a task works off a backlog (after a restart), the wall clock is minutes ahead
     * of the events, and one future-stamped record would make the whole backlog late. A backtest's wall clock follows
     * event time, so there this changes nothing.
     */
    private void advanceClock(long eventTime) {
        if (eventTime > maxEventTime && eventTime <= context.currentSystemTimeMs() + FUTURE_TOLERANCE_MS) {
            maxEventTime = eventTime;
            if (savedEventTime == Long.MIN_VALUE || eventTime - savedEventTime >= SAVE_STEP_MS) {
                savedEventTime = eventTime;
                clock.put(MAX_EVENT_TIME, eventTime);
            }
        }
    }

    /**
     * Called for a key's first event in a minute: when the minute is newer than the key's current one, the current
     * minute is complete, so its final numbers (and zeros for any quiet minutes in between) go into the profile.
     * The new minute keeps a snapshot of what the profile expects of it; a minute that opens late, behind the key's
     * current one, gets no snapshot and so no baseline-driven alerts.
     */
    private void openMinute(EventScope scope, MinuteAggregate usage) {
        KeyProfile profile = scope.profile();
        long windowStart = scope.windowStart;
        if (profile.seen() && windowStart < profile.currentMinuteStart()) {
            return;
        }
        if (!profile.seen()) {
            checkPartitioning(scope.keyId);
            profile.advanceTo(windowStart, 0, 0, 0.1, Double.NaN);
            scope.profileChanged = true;
        } else if (windowStart > profile.currentMinuteStart()) {
            if (scope.thresholds.enabled(AlertRule.DORMANT_KEY_REACTIVATED)) {
                scope.dormantSince = dormantKey.silenceEndedBy(profile, windowStart, scope.thresholds);
            }
            MinuteAggregate completed = usageStore.fetch(scope.keyId, profile.currentMinuteStart());
            // a minute past the store's retention reads as quiet; after hours of zeros that changes nothing
            long volume = completed == null ? 0 : completed.volume();
            int ips = completed == null ? 0 : completed.clientIps().distinct();
            profile.advanceTo(windowStart, volume, ips, volumeJudge.learning(completed, scope.thresholds),
                    rateLimit.limitThreshold(scope.metadata, scope.thresholds));
            scope.profileChanged = true;
        }
        usage.setBaseline(profile, windowStart);
        volumeJudge.judge(usage, scope.thresholds);
        scope.opened = true;
        // registered keys only: made-up key ids must not fill the bounded list and evict the real ones
        if (scope.state != null && volumeJudge.busy(usage, scope.thresholds)
                && scope.thresholds.enabled(VolumeDropRule.DECLARATION)) {
            busyKeys.seen(scope.keyId, windowStart);
        } else {
            busyKeys.forget(scope.keyId);
        }
    }

    /**
     * VOLUME_DROP of a busy key that stopped entirely (it sends no event that could show it): each minute of stream
     * time, the task's busy keys silent for {@code drop.minutes} are judged from their profiles, once per silence.
     */
    private void checkSilentKeys(long streamTime) {
        if (busyKeys.size() == 0) {
            return;
        }
        long now = streamTime - Math.floorMod(streamTime, windowMs);
        // a key silent for at least one complete minute; VolumeDropRule.silence asks for drop.minutes of them
        for (Map.Entry<String, Long> silent : busyKeys.takeSilentSince(now - 2 * windowMs)) {
            String keyId = silent.getKey();
            long lastMinute = silent.getValue();
            KeyState state = keyStates.get(keyId);
            KeyThresholds thresholds = KeyThresholds.forKey(settings, globalThresholds,
                    state == null ? null : state.metadata());
            KeyProfile profile = profileStore.get(keyId);
            if (profile == null || !profile.seen() || profile.currentMinuteStart() != lastMinute
                    || !thresholds.enabled(VolumeDropRule.DECLARATION)) {
                continue;
            }
            long first = volumeDrop.silence(profile, lastMinute, now, thresholds);
            if (first == Long.MIN_VALUE) {
                // not silent for long enough yet: look again at the next check
                if (lastMinute + (thresholds.getInt(VolumeDropRule.MINUTES) + 1) * windowMs > now) {
                    busyKeys.seen(keyId, lastMinute);
                }
                continue;
            }
            // the last minute itself may already have been low: then the streak (as the next event will count it)
            // starts there
            MinuteAggregate last = usageStore.fetch(keyId, lastMinute);
            long streakStart = last != null && volumeJudge.low(last, thresholds) ? lastMinute : first;
            if (profile.volumeModel().dropStreakAlerted() && profile.volumeModel().dropStreakStart() == streakStart) {
                continue;
            }
            profile.volumeModel().markDropAlerted(streakStart);
            profileStore.put(keyId, profile);
            int minutes = (int) ((now - streakStart) / windowMs);
            Finding finding = volumeDrop.describe(keyId, streakStart, now, minutes,
                    profile.dropExpectedVolume(first), profile.dispersion(), thresholds, "no requests at all");
            Alert alert = alerts.create(finding, keyId, Instant.ofEpochMilli(streakStart), Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(now), Instant.ofEpochMilli(context.currentSystemTimeMs()), null);
            forwardScanned(alert, streamTime);
        }
    }

    /** Runs every event rule the key has switched on, and raises what each finds as its declaration de-duplicates. */
    private void detect(EventScope scope, MinuteAggregate usage) {
        for (Detector.OnEvent detector : detectors) {
            RuleDeclaration declaration = detector.declaration();
            AlertRule rule = declaration.rule();
            if (!scope.thresholds.enabled(declaration) || alreadyDone(usage, declaration)) {
                continue;
            }
            Verdict verdict = detector.evaluate(scope);
            if (verdict != null) {
                raise(scope, usage, declaration, verdict);
            }
        }
    }

    /** Whether the minute's marks say the rule has nothing left to raise in it, so it need not even be evaluated. */
    private static boolean alreadyDone(MinuteAggregate usage, RuleDeclaration declaration) {
        switch (declaration.dedup()) {
            case FIRST_IN_MINUTE:
                return usage.alerted(declaration.rule()) != null;
            case STREAK:
                return usage.rateStreakAlerted();
            case ANOMALY_STREAK:
                // the rule knows its streak and what it already raised
                return false;
            case INSECURE_PERIOD:
            case DAY:
            case WEEK:
                return usage.handled(declaration.rule());
            default:
                return false;
        }
    }

    private void raise(EventScope scope, MinuteAggregate usage, RuleDeclaration declaration, Verdict verdict) {
        AlertRule rule = declaration.rule();
        long minuteEnd = scope.windowStart + windowMs;
        switch (declaration.dedup()) {
            case MINUTE:
            case FIRST_IN_MINUTE:
                if (escalates(usage, rule, verdict.severity())) {
                    emit(scope, usage, verdict.explanation().explain(scope.windowStart, minuteEnd));
                }
                break;
            case STREAK:
                long streakStart = verdict.streakStart();
                usage.markRateStreakAlerted();
                usage.markAlerted(rule, verdict.severity());
                scope.profile().markRateStreakAlerted(streakStart);
                scope.profileChanged = true;
                emit(scope, usage, verdict.explanation().explain(streakStart, minuteEnd), streakStart, minuteEnd);
                break;
            case ANOMALY_STREAK:
                if (escalates(usage, rule, verdict.severity())) {
                    long anomalyStart = verdict.streakStart();
                    if (rule == AlertRule.VOLUME_DROP) {
                        scope.dropAlertedStreak = anomalyStart;
                    }
                    emit(scope, usage, verdict.explanation().explain(anomalyStart, minuteEnd), anomalyStart,
                            minuteEnd);
                }
                break;
            case INSECURE_PERIOD:
            case DAY:
            case WEEK:
                usage.handleOnce(rule);
                long period = declaration.dedup().periodMs(scope.thresholds);
                long windowStart = declaration.dedup().windowStart(scope.event.timestamp().toEpochMilli(), period);
                emitOncePerWindow(scope, usage, rule, windowStart, period,
                        () -> verdict.explanation().explain(windowStart, windowStart + period));
                break;
            default:
                throw new IllegalStateException(rule + " is declared " + declaration.dedup()
                        + ", which the topology does not raise");
        }
    }

    /** The requests of each minute of a rate-limit streak, oldest first, as far as the usage store still has them. */
    private Map<String, Long> streakMinutes(String keyId, long streakStart, long windowStart, MinuteAggregate current) {
        Map<String, Long> perMinute = new LinkedHashMap<>();
        long from = Math.max(streakStart, windowStart - 30 * windowMs);
        for (long minute = from; minute < windowStart; minute += windowMs) {
            MinuteAggregate usage = usageStore.fetch(keyId, minute);
            perMinute.put(Instant.ofEpochMilli(minute).toString(), usage == null ? 0 : usage.volume());
        }
        perMinute.put(Instant.ofEpochMilli(windowStart).toString(), current.volume());
        return perMinute;
    }

    /** Emits an hour- or day-windowed rule unless the key's profile says it already alerted in that window. */
    private void emitOncePerWindow(EventScope scope, MinuteAggregate usage, AlertRule rule, long windowStart,
                                   long period, java.util.function.Supplier<Finding> finding) {
        KeyProfile profile = scope.profile();
        if (profile.alertedIn(rule, windowStart)) {
            return;
        }
        profile.markAlerted(rule, windowStart);
        scope.profileChanged = true;
        Finding found = finding.get();
        escalates(usage, rule, found.severity());
        emit(scope, usage, found, windowStart, windowStart + period);
    }

    /** True (and marked) when the severity is higher than anything this rule already raised this minute. */
    private static boolean escalates(MinuteAggregate usage, AlertRule rule, Severity severity) {
        if (severity == null) {
            return false;
        }
        Severity already = usage.alerted(rule);
        if (already != null && severity.compareTo(already) <= 0) {
            return false;
        }
        usage.markAlerted(rule, severity);
        return true;
    }

    private void emit(EventScope scope, MinuteAggregate usage, Finding finding) {
        emit(scope, usage, finding, scope.windowStart, scope.windowStart + windowMs);
    }

    private void emit(EventScope scope, MinuteAggregate usage, Finding finding, long windowStart, long windowEnd) {
        UsageEvent event = scope.event;
        Alert alert = alerts.create(finding, event.keyId(), Instant.ofEpochMilli(windowStart),
                Instant.ofEpochMilli(windowEnd), event.timestamp(), Instant.ofEpochMilli(context.currentSystemTimeMs()),
                usage);
        LOG.info("{} {} for key {} in window {}: {}", alert.severity(), alert.rule(), alert.keyId(),
                alert.windowStart(), alert.summary());
        // a fresh record: the usage event's headers do not belong on the alert; sent once the stores are updated
        pending.add(new Record<>(event.keyId(), new DetectionOutput.Raised(alert), scope.record.timestamp()));
    }

    private void forwardScanned(Alert alert, long timestamp) {
        LOG.info("{} {} for key {} on {}: {}", alert.severity(), alert.rule(), alert.keyId(), alert.windowStart(),
                alert.summary());
        context.forward(new Record<>(alert.keyId(), new DetectionOutput.Raised(alert), timestamp));
    }

    /**
     * Warns once when a key's event reaches a task other than its own: the topology routes every event to the task of
     * {@link KeyPartitioner}'s partition, so this means the re-key topic and the usage-events topic disagree on the
     * partition count (partitions were added to one of them while keywatch ran).
     */
    private void checkPartitioning(String keyId) {
        if (warnedAboutPartitions) {
            return;
        }
        int expected = partitioner.partitionOf(keyId);
        int actual = context.taskId().partition();
        if (expected != actual) {
            warnedAboutPartitions = true;
            LOG.warn("key {} arrived on partition {} but belongs to partition {} of {}: did the usage-events topic or "
                            + "its re-key topic change partition count? Restart keywatch streams so that it reads the "
                            + "count again; until then a key's events may be counted by two tasks",
                    SafeText.quote(keyId), actual, expected, partitioner.partitions());
        }
    }

    /**
     * Sends an event too late for its minute to the dead-letter topic, re-serialized as JSON (the original bytes are
     * gone by now; the event parses back to itself), with the lateness as the reason.
     */
    private void deadLetterLate(Record<String, UsageEvent> record, String reason) {
        lateCount++;
        String origin = context.recordMetadata()
                .map(m -> DeadLetterHeaders.origin(m.topic(), m.partition(), m.offset())).orElse("unknown");
        // the DLQ is where the reasons are read; the log only samples them
        if (LogSampling.shouldLog(lateCount)) {
            LOG.warn("dead-lettered late usage event from {} ({} so far by this task): {}", origin, lateCount, reason);
        }
        if (lateJson == null) {
            lateJson = new JsonSerde<>(UsageEvent.class);
        }
        byte[] json = lateJson.toBytes(record.value());
        context.forward(record.withValue(new DetectionOutput.Late(json))
                .withHeaders(DeadLetterHeaders.of(record.headers(), RejectCode.LATE, reason, origin)));
        raiseSecretInTelemetryOfLate(record);
    }

    /**
     * A late event whose key id was a secret still says that the secret leaked: the alert goes out without the
     * minute's state (no marks to keep it to once a day: its id, the rule's, key's and day's, lets the API fold it
     * into the day's alert).
     */
    private void raiseSecretInTelemetryOfLate(Record<String, UsageEvent> record) {
        String format = RedactSecretsProcessor.secretFormat(record.headers());
        if (!secretInTelemetry.matches(format) || settings.isDisabled(AlertRule.SECRET_IN_TELEMETRY)) {
            return;
        }
        UsageEvent event = record.value();
        long dayStart = Evidence.windowStart(event.timestamp().toEpochMilli(), Evidence.DAY_MS);
        Alert alert = alerts.create(secretInTelemetry.describe(event, format, Evidence.instant(dayStart)),
                event.keyId(), Instant.ofEpochMilli(dayStart), Instant.ofEpochMilli(dayStart + Evidence.DAY_MS),
                event.timestamp(), Instant.ofEpochMilli(context.currentSystemTimeMs()), null);
        context.forward(new Record<>(event.keyId(), new DetectionOutput.Raised(alert), record.timestamp()));
    }
}
