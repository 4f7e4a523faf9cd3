package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.VolumeLearning;

/**
 * Judges a key's minute against its expected count and dispersion: improbably high (VOLUME_SPIKE) or low
 * (VOLUME_DROP). When the minute opens it stores the effect-size bound (cheap); only a minute whose count reaches it
 * pays for the tail (the critical count, found once and stored), so the per-event check stays a comparison. When
 * the minute is complete, the same judgement tells the profile how to learn it.
 */
public final class VolumeJudge {

    /** Whether the key's baseline was known and warm when the minute opened. */
    private static boolean warm(MinuteAggregate usage, KeyThresholds thresholds) {
        return usage.hasBaseline()
                && usage.baselineMinutes() >= thresholds.getInt(VolumeSpikeRule.WARMUP_MINUTES);
    }

    /** Called when the minute opens (its baseline snapshot taken): the effect-size bound, or never while warming up. */
    public void judge(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!warm(usage, thresholds)) {
            usage.setSpikeCritical(Long.MAX_VALUE, true);
            return;
        }
        double byFactor = Math.ceil(usage.baselineMean() * thresholds.get(VolumeSpikeRule.FACTOR));
        long effect = byFactor >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) byFactor;
        usage.setSpikeCritical(Math.max(effect, thresholds.getInt(VolumeSpikeRule.MIN_REQUESTS)), false);
    }

    /**
     * Once the count reached the bound: the smallest count that is a spike, improbable
     * ({@code P(X >= x) <= volume.probability}) as well as at least {@code volume.factor} x expected and
     * {@code volume.minRequests}; stored in the minute.
     */
    public void resolve(MinuteAggregate usage, KeyThresholds thresholds) {
        if (usage.spikeCriticalExact()) {
            return;
        }
        long tail = CountTail.criticalHigh(usage.baselineMean(), usage.dispersion(),
                thresholds.get(VolumeSpikeRule.PROBABILITY));
        usage.setSpikeCritical(Math.max(usage.spikeCritical(), tail), true);
    }

    /** Whether the (complete) minute was an improbable spike. */
    public boolean high(MinuteAggregate usage, KeyThresholds thresholds) {
        if (usage.volume() < usage.spikeCritical()) {
            return false;
        }
        return usage.spikeCriticalExact() || CountTail.upper(usage.volume(), usage.baselineMean(),
                usage.dispersion()) <= thresholds.get(VolumeSpikeRule.PROBABILITY);
    }

    /** Whether the key is busy enough in this minute for a drop to be judged ({@code drop.minExpected}). */
    public boolean busy(MinuteAggregate usage, KeyThresholds thresholds) {
        return warm(usage, thresholds) && usage.dropMean() >= thresholds.get(VolumeDropRule.MIN_EXPECTED);
    }

    /** Whether the (complete) minute was an improbable drop: {@code P(X <= x) <= volume.probability}. */
    public boolean low(MinuteAggregate usage, KeyThresholds thresholds) {
        return busy(usage, thresholds) && usage.volume() < usage.dropMean()
                && CountTail.lower(usage.volume(), usage.dropMean(), usage.dispersion())
                <= thresholds.get(VolumeSpikeRule.PROBABILITY);
    }

    /** How the profile is to learn a completed minute (null: not kept any more, so quiet) given its judgement. */
    public VolumeLearning learning(MinuteAggregate completed, KeyThresholds thresholds) {
        Severity alerted = completed == null ? null : completed.alerted(AlertRule.VOLUME_SPIKE);
        return new VolumeLearning(thresholds.get(VolumeSpikeRule.SMOOTHING),
                thresholds.get(VolumeSpikeRule.PROBABILITY),
                thresholds.get(VolumeDropRule.MIN_EXPECTED),
                thresholds.getInt(VolumeSpikeRule.ADAPT_MINUTES),
                completed != null && high(completed, thresholds) ? completed.volume() : Long.MAX_VALUE,
                completed != null && low(completed, thresholds) ? completed.volume() : -1,
                alerted == null ? 0 : alerted.code() + 1);
    }
}
