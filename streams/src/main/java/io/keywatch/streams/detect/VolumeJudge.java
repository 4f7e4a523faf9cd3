package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.aggregate.CountTail;
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

    /**
     * Whether spikes are judged in the minute: once warm, or while a key back after more than a day of silence warms
     * up again (its recent level starts over) if the rhythm it kept knows the minute's hour or, where it does not, the
     * level the key had before the silence is known: a silent key's return is what an attacker with a leaked key looks
     * like, and those minutes must not teach the key the attacker's level.
     */
    private static boolean judgesSpikes(MinuteAggregate usage, KeyThresholds thresholds) {
        return warm(usage, thresholds) || (usage.hasBaseline()
                && (!Double.isNaN(usage.seasonalMean()) || !Double.isNaN(usage.silenceMean())));
    }

    /**
     * However wide the key's dispersion, the critical count is never above this many times {@code volume.factor} x
     * expected (a count above that ceiling is a spike when improbable for a Poisson count): minutes chosen to widen the
     * model must not lift the bar without bound.
     */
    static final double CEILING_FACTORS = 2.0;
    /** The expectation must be at least this many times the slow anchor for the anchor to be consulted. */
    static final double ANCHOR_GAP = 2.0;
    /**
     * Against the slow anchor a minute must also hold this many times {@code volume.minRequests}: a small key's usual
     * rise after a quiet spell (a morning after an idle night not yet in its rhythm) reaches a few times an anchor of
     * one or two requests a minute, and is no attack; a ramp meant to hide a leak passes this within minutes.
     */
    static final int ANCHOR_MIN_REQUESTS_FACTOR = 2;

    /** Called when the minute opens (its baseline snapshot taken): the effect-size bound, or never while warming up. */
    public void judge(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!judgesSpikes(usage, thresholds)) {
            usage.setSpikeCritical(Long.MAX_VALUE, true);
            return;
        }
        // the anchor is at most the expectation, so its effect-size bound is the lower one
        usage.setSpikeCritical(effect(anchor(usage), thresholds), false);
    }

    /**
     * Once the count reached the bound: the smallest count that is a spike, improbable
     * ({@code P(X >= x) <= volume.probability}) as well as at least {@code volume.factor} x expected and
     * {@code volume.minRequests}, against the expected count or against the slow anchor; stored in the minute.
     */
    public void resolve(MinuteAggregate usage, KeyThresholds thresholds) {
        if (usage.spikeCriticalExact()) {
            return;
        }
        usage.setSpikeCritical(critical(usage, thresholds), true);
    }

    /** The smallest count that is a spike against the expected count or the (lower) slow anchor. */
    static long critical(MinuteAggregate usage, KeyThresholds thresholds) {
        double expected = usage.baselineMean();
        double anchor = anchor(usage);
        long byExpected = byExpected(usage, thresholds);
        if (!(anchor < expected)) {
            return byExpected;
        }
        long byAnchor = Math.max(critical(anchor, usage.dispersion(), thresholds),
                (long) ANCHOR_MIN_REQUESTS_FACTOR * thresholds.getInt(VolumeSpikeRule.MIN_REQUESTS));
        return Math.min(byExpected, byAnchor);
    }

    /**
     * The smallest count that is a spike against the expected count: improbable, at least the effect-size bound, and
     * above what the hour's recurring peak allows the minute when it has one (a periodic job's run of about its
     * usual size is no spike, however improbable one busy minute is against the hour's mean). The slow anchor's
     * judgement is not lifted: a key held at the job's burst minute after minute is still a ramp.
     */
    static long byExpected(MinuteAggregate usage, KeyThresholds thresholds) {
        long critical = critical(usage.baselineMean(), usage.dispersion(), thresholds);
        double allowance = usage.peakAllowance();
        if (Double.isNaN(allowance)) {
            return critical;
        }
        double byPeak = Math.floor(allowance) + 1;
        return byPeak >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(critical, (long) byPeak);
    }

    /** The smallest count that is a spike against {@code mu}: improbable, and at least the effect-size bound. */
    static long critical(double mu, double k, KeyThresholds thresholds) {
        double p = thresholds.get(VolumeSpikeRule.PROBABILITY);
        long tail = CountTail.criticalHigh(mu, k, p);
        double ceilingCount = Math.ceil(CEILING_FACTORS * thresholds.get(VolumeSpikeRule.FACTOR) * mu);
        long ceiling = ceilingCount >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) ceilingCount;
        if (tail > ceiling) {
            // the dispersion would lift the bar above the ceiling: there, improbable for a Poisson count suffices
            tail = Math.max(ceiling, CountTail.criticalHigh(mu, 0, p));
        }
        return Math.max(effect(mu, thresholds), tail);
    }

    /** At least {@code volume.factor} x mu and {@code volume.minRequests}. */
    private static long effect(double mu, KeyThresholds thresholds) {
        double byFactor = Math.ceil(mu * thresholds.get(VolumeSpikeRule.FACTOR));
        long effect = byFactor >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) byFactor;
        return Math.max(effect, thresholds.getInt(VolumeSpikeRule.MIN_REQUESTS));
    }

    /**
     * The slow anchor the minute is judged against besides the expectation, once the expectation has risen to at
     * least {@value #ANCHOR_GAP} x it (a ramp's signature); else the expectation itself. Judged against a lower level
     * all the time, a key's ordinary noise would page about as often as against two thresholds.
     */
    static double anchor(MinuteAggregate usage) {
        double anchor = usage.anchorMean();
        double expected = usage.baselineMean();
        return anchor * ANCHOR_GAP <= expected ? anchor : expected;
    }

    /**
     * Whether the (complete) minute was an improbable spike, or goes on a streak while the expectation stays at least
     * {@value #ANCHOR_GAP} x the slow anchor: the minutes of a rise that hover about the anchor's critical count are
     * one anomaly (one alert, and a changepoint after {@code volume.adaptMinutes}), not one alert each.
     */
    public boolean high(MinuteAggregate usage, KeyThresholds thresholds) {
        if (usage.volume() >= usage.spikeCritical()
                && (usage.spikeCriticalExact() || usage.volume() >= critical(usage, thresholds))) {
            return true;
        }
        return judgesSpikes(usage, thresholds) && usage.spikeStreakMinutes() > 0
                && anchor(usage) < usage.baselineMean();
    }

    /**
     * A minute the memory of alerted bursts or a recurring peak lifted, at or above {@code volume.floor} and from as
     * many IPs and countries as a leaked key's: judged from now on without that lift
     * ({@link MinuteAggregate#forgetBurstLift}), since earlier bursts from one client (a job's) say nothing of this
     * one. True when that made the minute a spike. Cheap when nothing lifted it (two NaN checks), as for almost every
     * minute.
     */
    public boolean judgeLeakWithoutBurst(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!usage.liftedByBursts() || usage.volume() < thresholds.get(VolumeSpikeRule.FLOOR)
                || !VolumeSpikeRule.looksLeaked(usage, thresholds) || !judgesSpikes(usage, thresholds)) {
            return false;
        }
        usage.forgetBurstLift();
        usage.setSpikeCritical(critical(usage, thresholds), true);
        return usage.volume() >= usage.spikeCritical();
    }

    /** Whether the minute reached its spike only against the slow anchor, not against the expected count. */
    static boolean byAnchor(MinuteAggregate usage, KeyThresholds thresholds) {
        return usage.volume() < byExpected(usage, thresholds);
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
        // judged once: high() may compute the critical count, byAnchor() another tail
        boolean high = completed != null && high(completed, thresholds);
        return new VolumeLearning(thresholds.get(VolumeSpikeRule.SMOOTHING),
                thresholds.get(VolumeSpikeRule.PROBABILITY),
                thresholds.get(VolumeDropRule.MIN_EXPECTED),
                thresholds.getInt(VolumeSpikeRule.ADAPT_MINUTES),
                high ? completed.volume() : Long.MAX_VALUE,
                completed != null && low(completed, thresholds) ? completed.volume() : -1,
                alerted == null ? 0 : alerted.code() + 1,
                high && byAnchor(completed, thresholds),
                thresholds.get(VolumeSpikeRule.FACTOR),
                thresholds.getInt(VolumeSpikeRule.BURST_MEMORY_MINUTES));
    }
}
