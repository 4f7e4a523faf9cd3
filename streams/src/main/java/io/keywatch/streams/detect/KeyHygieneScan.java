package io.keywatch.streams.detect;

import io.keywatch.streams.DetectionSetting;
import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.route.KeyPartitioner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hygiene scan: every {@code hygiene.scanMinutes} of stream time, looks at the registered, active keys in the
 * global key-state store and raises KEY_EXPIRING, KEY_ROTATION_DUE and KEY_UNUSED, each at most once per key per UTC
 * day, and KEY_OVERPRIVILEGED at most once per key per ISO week (the alert's window, as the rule's declaration says;
 * the mark lives in the key's {@link KeyProfile}). "Now" is the stream time of the
 * punctuation, so a backtest replays the same alerts.
 *
 * <p>Every task sees the whole global store; each key is reported only by the task of the partition {@link KeyPartitioner}
 * gives the key id, the same task that counts its events. Revoked keys and keys already past their expiry are skipped: they are dead, not untidy. Cost per
 * scan: one pass over the global store, plus a profile read for each key this task owns that needs one.
 *
 * <p>A pass is done in steps of at most {@link #KEYS_PER_STEP} keys, one step per {@link #STEP_INTERVAL} of stream
 * time: a punctuation runs inside the task's transaction and holds up the task's events while it runs, so one that
 * walks 100,000 keys (and raises thousands of alerts) on a busy machine can outlast the transaction timeout, which
 * fences the producer and restarts the task; and even a step of 10,000 keys took 30–60 ms per task, a pause every
 * minute that detection latency felt. Small steps every few seconds spread the same work evenly (12,000 keys a minute).
 * Where the pass and the daily clean-up are, and when the next pass is due, live in the task's changelogged state
 * ({@link HygieneCursor}, the clock store): a restarted task resumes after the last committed step.
 */
public final class KeyHygieneScan {

    /**
     * Owned by the scan, which reads it; global only (a punctuator's interval cannot differ per key). The scan rules
     * list it in their declarations; {@link Detectors#settings()} lists it after the rules' own settings.
     */
    public static final DetectionSetting SCAN_MINUTES = DetectionSetting.wholeNumber("hygiene.scanMinutes", 10, 1, 1440)
            .globalOnly();

    private static final Logger LOG = LoggerFactory.getLogger(KeyHygieneScan.class);
    private static final String OBSERVING_SINCE = "observing-since";
    private static final String LAST_CLEANUP_DAY = "last-cleanup-day";
    /** Clock-store key of the stream time at which the next pass is due (kept there so a restart keeps to it). */
    private static final String NEXT_PASS_AT = "next-hygiene-pass-at";
    /** Profiles of keys that are not in the registry are forgotten after this long without use. */
    static final long FORGET_UNREGISTERED_AFTER_MS = 7 * Evidence.DAY_MS;
    /** Registry entries looked at per step of a pass. */
    static final int KEYS_PER_STEP = 2_000;
    /**
     * Profile and scope-usage entries the daily clean-up looks at per step. In one go, a task's share of a million
     * keys (about 670,000 entries and a registry look-up each) held its stream thread for 3.5 s, three tasks on one
     * thread 10 s: the exactly-once transaction timeout, and ten seconds without detection. 10,000 take tens of ms.
     */
    static final int CLEANUP_PER_STEP = 10_000;
    /** Stream time between the steps of a pass (and the finest granularity of the scan interval). */
    public static final java.time.Duration STEP_INTERVAL = java.time.Duration.ofSeconds(10);

    /** Where a scanned alert goes: the processor forwards it with the punctuation's timestamp. */
    interface Sink {
        void accept(Alert alert, long timestamp);
    }

    private final DetectionSettings settings;
    private final KeyThresholds globalThresholds;
    private final KeyValueStore<String, KeyState> keyStates;
    private final KeyValueStore<String, KeyProfile> profiles;
    private final KeyValueStore<String, KeyScopeUsage> scopeUsage;
    private final KeyValueStore<String, Long> clock;
    private final int partition;
    private final KeyPartitioner partitioner;
    private final AlertFactory alerts;
    private final LongSupplier wallClock;
    private final Sink sink;
    private final List<Detector.OnScan> detectors;
    // where the pass and the clean-up in progress are: in the task's state, so a restart resumes them
    private final HygieneCursor cursor;
    // what the clean-up in progress forgot since this task (re)started it: for its log line only
    private int profilesForgotten;
    private int scopesForgotten;

    KeyHygieneScan(List<Detector.OnScan> detectors, DetectionSettings settings, KeyThresholds globalThresholds,
                   KeyValueStore<String, KeyState> keyStates, KeyValueStore<String, KeyProfile> profiles,
                   KeyValueStore<String, KeyScopeUsage> scopeUsage, KeyValueStore<String, Long> clock,
                   KeyValueStore<String, String> cursor, int partition,
                   KeyPartitioner partitioner, AlertFactory alerts, LongSupplier wallClock, Sink sink) {
        this.detectors = List.copyOf(detectors);
        this.settings = settings;
        this.globalThresholds = globalThresholds;
        this.keyStates = keyStates;
        this.profiles = profiles;
        this.scopeUsage = scopeUsage;
        this.clock = clock;
        this.cursor = new HygieneCursor(cursor);
        this.partition = partition;
        this.partitioner = partitioner;
        this.alerts = alerts;
        this.wallClock = wallClock;
        this.sink = sink;
    }


    /**
     * The punctuator: takes the day's clean-up one step further, starts a pass when one is due, and takes the pass in
     * progress one step further.
     */
    void step(long now) {
        cleanUpStep(now);
        String after = cursor.passAfter();
        if (after == null) {
            long interval = settings.hygieneScanInterval().toMillis();
            Long nextPassAt = clock.get(NEXT_PASS_AT);
            if (nextPassAt != null && nextPassAt > now + interval) {
                // set under a longer interval (before a restart with a shorter one): due no later than the new one
                nextPassAt = now + interval;
                clock.put(NEXT_PASS_AT, nextPassAt);
            }
            if (nextPassAt != null && now < nextPassAt) {
                return;
            }
            clock.put(NEXT_PASS_AT, now + interval);
        }
        String last = scan(now, after, KEYS_PER_STEP);
        if (last != null || after != null) {
            cursor.passAt(last);
        }
    }

    /**
     * Looks at up to {@code limit} keys after {@code after} (null: from the first); returns the last, null when done.
     */
    String scan(long now, String after, int limit) {
        Long since = clock.get(OBSERVING_SINCE);
        if (since == null) {
            // the first scan of this task: the clock starts now, and KEY_UNUSED silences count from here
            clock.put(OBSERVING_SINCE, now);
            since = now;
        }
        // the rules switched on globally; with none, the pass need not even walk the registry
        List<Detector.OnScan> on = new ArrayList<>(detectors.size());
        for (Detector.OnScan detector : detectors) {
            if (!settings.isDisabled(detector.declaration().rule())) {
                on.add(detector);
            }
        }
        if (on.isEmpty()) {
            return null;
        }
        int reported = 0;
        int looked = 0;
        String last = null;
        try (KeyValueIterator<String, KeyState> all = after == null ? keyStates.all() : keyStates.range(after, null)) {
            while (all.hasNext()) {
                KeyValue<String, KeyState> entry = all.next();
                if (entry.key.equals(after)) {
                    continue; // range() includes its lower bound, which the previous step already looked at
                }
                if (looked == limit) {
                    break;
                }
                looked++;
                last = entry.key;
                KeyState state = entry.value;
                if (state == null || !state.isRegistered() || state.isRevoked()
                        || partitioner.partitionOf(entry.key) != partition) {
                    continue;
                }
                KeyMetadata metadata = state.metadata();
                if (metadata.expiresAt() != null && metadata.expiresAt().toEpochMilli() <= now) {
                    continue;
                }
                if (metadata.canaryKey()) {
                    continue; // a decoy is unused and unrotated on purpose: hygiene findings would only be noise
                }
                KeyThresholds thresholds = KeyThresholds.forKey(settings, globalThresholds, metadata);
                Candidate candidate = new Candidate(entry.key, metadata, now, since, thresholds);
                for (Detector.OnScan detector : on) {
                    if (thresholds.enabled(detector.declaration())) {
                        reported += candidate.report(detector.evaluate(candidate), detector.declaration().dedup(),
                                now);
                    }
                }
                candidate.save();
            }
        }
        if (reported > 0) {
            LOG.info("hygiene scan at {} (partition {}): {} alerts", Instant.ofEpochMilli(now), partition, reported);
        }
        return looked == limit ? last : null;
    }

    /**
     * Once per UTC day, {@link #CLEANUP_PER_STEP} entries per step: forgets the profiles of keys that are not
     * registered and were not used for a week, so that traffic for random key ids (someone guessing) cannot grow the
     * profile store without bound, then the scope usage of keys no longer registered. Registered keys keep their
     * profiles: KEY_UNUSED and DORMANT_KEY_REACTIVATED need their last use, however old.
     */
    private void cleanUpStep(long now) {
        HygieneCursor.Cleanup position = cursor.cleanup();
        if (position == null) {
            long day = Evidence.windowStart(now, Evidence.DAY_MS);
            Long last = clock.get(LAST_CLEANUP_DAY);
            if (last != null && last >= day) {
                return;
            }
            position = new HygieneCursor.Cleanup(day, false, null);
            profilesForgotten = 0;
            scopesForgotten = 0;
        }
        HygieneCursor.Cleanup next = cleanUp(position, now, CLEANUP_PER_STEP);
        if (next != null) {
            cursor.cleanupAt(next);
            return;
        }
        cursor.cleanupDone();
        clock.put(LAST_CLEANUP_DAY, position.day());
        if (profilesForgotten > 0) {
            LOG.info("forgot the profiles of {} unregistered keys unused for {} days (partition {})",
                    profilesForgotten, FORGET_UNREGISTERED_AFTER_MS / Evidence.DAY_MS, partition);
        }
        if (scopesForgotten > 0) {
            LOG.info("forgot the scope usage of {} keys no longer registered (partition {})", scopesForgotten,
                    partition);
        }
        profilesForgotten = 0;
        scopesForgotten = 0;
    }

    /**
     * One step of a day's clean-up, the profiles then the scope usage, from {@code position}: looks at up to
     * {@code limit} entries; returns where the next step resumes, or null when both stores are done.
     */
    private HygieneCursor.Cleanup cleanUp(HygieneCursor.Cleanup position, long now, int limit) {
        int budget = limit;
        String after = position.after();
        if (!position.profilesDone()) {
            Slice slice = forget(profiles, after, budget, (keyId, profile) -> (profile == null || !profile.seen()
                    || now - profile.lastSeenMinute() >= FORGET_UNREGISTERED_AFTER_MS) && !registered(keyId));
            profilesForgotten += slice.forgotten();
            if (slice.last() != null) {
                return new HygieneCursor.Cleanup(position.day(), false, slice.last());
            }
            budget -= slice.looked();
            after = null;
            if (budget <= 0) {
                return new HygieneCursor.Cleanup(position.day(), true, null);
            }
        }
        // scope usage is recorded for registered keys only; a key taken out of the registry leaves it behind
        Slice slice = forget(scopeUsage, after, budget, (keyId, usage) -> !registered(keyId));
        scopesForgotten += slice.forgotten();
        return slice.last() == null ? null : new HygieneCursor.Cleanup(position.day(), true, slice.last());
    }

    /** What one slice of a clean-up did: the last key looked at (null: the store is done), and how many. */
    private record Slice(String last, int looked, int forgotten) {
    }

    private boolean registered(String keyId) {
        KeyState state = keyStates.get(keyId);
        return state != null && state.isRegistered();
    }

    /**
     * Deletes the entries of {@code store} after {@code after} (null: from the first), up to {@code limit} of them,
     * that {@code forget} picks (after the walk).
     */
    private static <V> Slice forget(KeyValueStore<String, V> store, String after, int limit,
                                    BiPredicate<String, V> forget) {
        List<String> picked = new ArrayList<>();
        int looked = 0;
        String last = null;
        boolean more = false;
        try (KeyValueIterator<String, V> all = after == null ? store.all() : store.range(after, null)) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (entry.key.equals(after)) {
                    continue; // range() includes its lower bound, which the previous slice already looked at
                }
                if (looked == limit) {
                    more = true;
                    break;
                }
                looked++;
                last = entry.key;
                if (forget.test(entry.key, entry.value)) {
                    picked.add(entry.key);
                }
            }
        }
        picked.forEach(store::delete);
        return new Slice(more ? last : null, looked, picked.size());
    }

    /** One key in the scan: its profile is read at most once, and written only when an alert was marked. */
    private final class Candidate implements ScanContext {
        private final String keyId;
        private final KeyMetadata metadata;
        private final long now;
        private final long observingSince;
        private final KeyThresholds thresholds;
        private KeyProfile profile;
        private boolean loaded;
        private boolean changed;
        private KeyScopeUsage scopes;
        private boolean scopesLoaded;

        Candidate(String keyId, KeyMetadata metadata, long now, long observingSince, KeyThresholds thresholds) {
            this.keyId = keyId;
            this.metadata = metadata;
            this.now = now;
            this.observingSince = observingSince;
            this.thresholds = thresholds;
        }

        @Override
        public String keyId() {
            return keyId;
        }

        @Override
        public KeyMetadata metadata() {
            return metadata;
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public long observingSince() {
            return observingSince;
        }

        @Override
        public KeyThresholds thresholds() {
            return thresholds;
        }

        @Override
        public KeyProfile existingProfile() {
            if (!loaded) {
                profile = profiles.get(keyId);
                loaded = true;
            }
            return profile;
        }

        @Override
        public KeyScopeUsage scopeUsage() {
            if (!scopesLoaded) {
                scopes = scopeUsage.get(keyId);
                scopesLoaded = true;
            }
            return scopes;
        }

        /** Raises the finding unless the key's profile says the rule already did in this window (a day or week). */
        int report(Finding finding, Dedup dedup, long now) {
            if (finding == null) {
                return 0;
            }
            long period = dedup.periodMs(thresholds);
            long windowStart = dedup.windowStart(now, period);
            long windowEnd = windowStart + period;
            if (existingProfile() == null) {
                profile = new KeyProfile();
            }
            if (profile.alertedIn(finding.rule(), windowStart)) {
                return 0;
            }
            profile.markAlerted(finding.rule(), windowStart);
            changed = true;
            Alert alert = alerts.create(finding, keyId, Instant.ofEpochMilli(windowStart),
                    Instant.ofEpochMilli(windowEnd), Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(wallClock.getAsLong()), null);
            sink.accept(alert, now);
            return 1;
        }

        void save() {
            if (changed) {
                profiles.put(keyId, profile);
            }
        }
    }
}
