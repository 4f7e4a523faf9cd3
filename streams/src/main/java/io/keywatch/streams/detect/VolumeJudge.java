package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.VolumeLearning;

/**
 * Judges a key's minute once, when it opens: the critical counts at which it is an improbable spike (VOLUME_SPIKE)
 * or drop (VOLUME_DROP) for the key's expected count and dispersion. Stored in the minute, they make the per-event
 * check a comparison, and they tell the profile, when the minute is complete, how to learn it.
 */
public final class VolumeJudge {

    /**
     * The smallest count that is a spike: improbable ({@code P(X >= x) <= volume.probability}), at least
     * {@code volume.factor} times the expected count, and at least {@code volume.minRequests}; {@link Long#MAX_VALUE}
     * while the key warms up.
     */
    public long spikeCritical(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!usage.hasBaseline() || usage.baselineMinutes() < thresholds.getInt(DetectionSetting.VOLUME_WARMUP_MINUTES)) {
            return Long.MAX_VALUE;
        }
        double mu = usage.baselineMean();
        long tail = CountTail.criticalHigh(mu, usage.dispersion(), thresholds.get(DetectionSetting.VOLUME_PROBABILITY));
        double byFactor = Math.ceil(mu * thresholds.get(DetectionSetting.VOLUME_FACTOR));
        long effect = byFactor >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) byFactor;
        return Math.max(tail, Math.max(effect, thresholds.getInt(DetectionSetting.VOLUME_MIN_REQUESTS)));
    }

    /**
     * The largest count that is a drop ({@code P(X <= x) <= volume.probability}) for a busy key (expected at least
     * {@code drop.minExpected}); -1 when none is (a quiet key, or still warming up).
     */
    public long dropCritical(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!usage.hasBaseline() || usage.baselineMinutes() < thresholds.getInt(DetectionSetting.VOLUME_WARMUP_MINUTES)
                || !(usage.dropMean() >= thresholds.get(DetectionSetting.DROP_MIN_EXPECTED))) {
            return -1;
        }
        return CountTail.criticalLow(usage.dropMean(), usage.dispersion(),
                thresholds.get(DetectionSetting.VOLUME_PROBABILITY));
    }

    /** Judges a minute that just opened (its baseline snapshot taken). */
    public void judge(MinuteAggregate usage, KeyThresholds thresholds) {
        usage.setCriticalCounts(spikeCritical(usage, thresholds), dropCritical(usage, thresholds));
    }

    /** How the profile is to learn a completed minute (null: not kept any more, so quiet) given its judgement. */
    public VolumeLearning learning(MinuteAggregate completed, KeyThresholds thresholds) {
        Severity alerted = completed == null ? null : completed.alerted(AlertRule.VOLUME_SPIKE);
        return new VolumeLearning(thresholds.get(DetectionSetting.VOLUME_SMOOTHING),
                thresholds.get(DetectionSetting.VOLUME_PROBABILITY),
                thresholds.get(DetectionSetting.DROP_MIN_EXPECTED),
                thresholds.getInt(DetectionSetting.VOLUME_ADAPT_MINUTES),
                completed == null ? Long.MAX_VALUE : completed.spikeCritical(),
                completed == null ? -1 : completed.dropCritical(),
                alerted == null ? 0 : alerted.code() + 1);
    }
}
