package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.VolumeBaseline;
import java.time.Duration;
import java.time.Instant;
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
 * Here the (cached) store is read and written once per event, the detectors see every update, and the marks of
 * alerts already raised live in the same store value, so "at most once per key, rule and minute" needs no extra
 * state and survives restarts and replays exactly like the counts do.
 */
public final class DetectionProcessor implements Processor<String, UsageEvent, String, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionProcessor.class);

    private final StoreNames stores;
    private final DetectionSettings settings;
    private final long windowMs;
    private final long graceMs;
    private final VolumeSpikeRule volumeSpike;
    private final AuthFailureBurstRule authFailureBurst;
    private final RevokedKeyUseRule revokedKeyUse = new RevokedKeyUseRule();
    private final AlertFactory alerts = new AlertFactory();

    private ProcessorContext<String, Alert> context;
    private WindowStore<String, MinuteAggregate> usageStore;
    private KeyValueStore<String, VolumeBaseline> baselineStore;
    private KeyValueStore<String, KeyState> revokedKeys;
    private long maxEventTime = Long.MIN_VALUE;
    private long lateCount;

    /** The names of the stores the processor uses. */
    public record StoreNames(String usage, String baseline, String revokedKeys) {
    }

    public DetectionProcessor(StoreNames stores, DetectionSettings settings, Duration window, Duration grace) {
        this.stores = stores;
        this.settings = settings;
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.volumeSpike = new VolumeSpikeRule(settings);
        this.authFailureBurst = new AuthFailureBurstRule(settings);
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.usageStore = context.getStateStore(stores.usage());
        this.baselineStore = context.getStateStore(stores.baseline());
        this.revokedKeys = context.getStateStore(stores.revokedKeys());
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        UsageEvent event = record.value();
        String keyId = event.keyId();
        long eventTime = event.timestamp().toEpochMilli();
        maxEventTime = Math.max(maxEventTime, eventTime);
        long windowStart = eventTime - Math.floorMod(eventTime, windowMs);
        if (windowStart + windowMs + graceMs <= maxEventTime) {
            dropLate(event);
            return;
        }

        MinuteAggregate usage = usageStore.fetch(keyId, windowStart);
        if (usage == null) {
            usage = new MinuteAggregate();
            VolumeBaseline baseline = openMinute(keyId, windowStart);
            if (baseline != null) {
                usage.setBaseline(baseline);
            }
        }
        usage.add(event);

        detect(record, event, windowStart, usage);
        usageStore.put(keyId, usage, windowStart);
    }

    /**
     * Called for a key's first event in a minute: when the minute is newer than the key's current one, the current
     * minute is complete, so its final count (and zeros for any quiet minutes in between) go into the baseline.
     * Returns the baseline the new minute is judged against, or null for a minute that opens late, behind the key's
     * current one, and so has no baseline of its own.
     */
    private VolumeBaseline openMinute(String keyId, long windowStart) {
        VolumeBaseline baseline = baselineStore.get(keyId);
        if (baseline == null) {
            baseline = VolumeBaseline.startingAt(windowStart);
            baselineStore.put(keyId, baseline);
            return baseline;
        }
        if (windowStart < baseline.currentMinuteStart()) {
            return null;
        }
        if (windowStart > baseline.currentMinuteStart()) {
            MinuteAggregate completed = usageStore.fetch(keyId, baseline.currentMinuteStart());
            // a minute past the store's retention reads as quiet; after hours of zeros that changes nothing
            long completedRequests = completed == null ? 0 : completed.requests();
            baseline = baseline.advanceTo(windowStart, completedRequests, settings.volumeSmoothing());
            baselineStore.put(keyId, baseline);
        }
        return baseline;
    }

    private void detect(Record<String, UsageEvent> record, UsageEvent event, long windowStart, MinuteAggregate usage) {
        String keyId = event.keyId();
        Instant start = Instant.ofEpochMilli(windowStart);

        Severity volume = volumeSpike.severity(usage);
        if (escalates(usage, AlertRule.VOLUME_SPIKE, volume)) {
            emit(record, event, start, usage, volumeSpike.describe(keyId, start, usage, volume));
        }

        Severity burst = authFailureBurst.severity(usage);
        if (escalates(usage, AlertRule.AUTH_FAILURE_BURST, burst)) {
            emit(record, event, start, usage, authFailureBurst.describe(keyId, start, usage, burst));
        }

        // the store lookup only for uses that look accepted and only until this minute has alerted
        if (usage.alerted(AlertRule.REVOKED_KEY_USED) == null && revokedKeyUse.looksSuccessful(event)) {
            KeyState revoked = revokedKeys.get(keyId);
            Severity severity = revokedKeyUse.severity(event, revoked);
            if (escalates(usage, AlertRule.REVOKED_KEY_USED, severity)) {
                emit(record, event, start, usage, revokedKeyUse.describe(event, revoked));
            }
        }
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

    private void emit(Record<String, UsageEvent> record, UsageEvent event, Instant windowStart,
                      MinuteAggregate usage, Finding finding) {
        Alert alert = alerts.create(finding, event.keyId(), windowStart, windowStart.plusMillis(windowMs),
                event.timestamp(), Instant.ofEpochMilli(context.currentSystemTimeMs()), usage);
        LOG.info("{} {} for key {} in minute {}: {}", alert.severity(), alert.rule(), alert.keyId(),
                alert.windowStart(), alert.summary());
        // a fresh record: the usage event's headers do not belong on the alert
        context.forward(new Record<>(event.keyId(), alert, record.timestamp()));
    }

    private void dropLate(UsageEvent event) {
        lateCount++;
        if (lateCount <= 10 || lateCount % 1000 == 0) {
            LOG.warn("dropped usage event {} for key {} at {}: more than {} ms behind the newest event time {} "
                            + "({} dropped so far by this task)", event.eventId(), event.keyId(), event.timestamp(),
                    graceMs, Instant.ofEpochMilli(maxEventTime), lateCount);
        }
    }
}
