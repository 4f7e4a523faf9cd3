package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.detect.KeyThresholds;
import io.keywatch.streams.detect.VolumeJudge;
import io.keywatch.streams.detect.VolumeSpikeRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleToLongFunction;
import java.util.function.LongToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Drives one key's profile minute by minute exactly as the detection processor does (open: baseline snapshot and
 * judgement; events: the count; complete: learn with the judgement), without the topology, so that weeks of traffic
 * take milliseconds. Counts the VOLUME_SPIKE alerts the processor would raise (one per streak, again when the
 * severity rises or the count climbs another volume.factor) and the minutes VOLUME_DROP's streak would fire on.
 */
public final class VolumeWeekSimulation {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** A Monday, 00:00 UTC. */
    public static final long MONDAY = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    /** One alert: when, how bad, what was seen against what was expected. */
    record Raised(long minute, Severity severity, long count, double expected, long critical, long streakStart) {
        @Override
        public String toString() {
            return Instant.ofEpochMilli(minute) + " " + severity + " " + count + " vs " + Math.round(expected * 10) / 10.0
                    + " (critical " + critical + ")";
        }
    }

    private final KeyThresholds thresholds;
    private final VolumeJudge judge = new VolumeJudge();
    private final VolumeSpikeRule spike = new VolumeSpikeRule();
    final KeyProfile profile = new KeyProfile();
    final List<Raised> spikes = new ArrayList<>();
    final List<Long> drops = new ArrayList<>();
    private MinuteAggregate current;
    private long currentMinute = Long.MIN_VALUE;

    VolumeWeekSimulation(KeyThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The key makes {@code count} requests in the minute starting at {@code minute} (0: the minute is silent). */
    void minute(long minute, long count) {
        minute(minute, expected -> count);
    }

    /**
     * The key makes as many requests in the minute starting at {@code minute} as {@code attacker} chooses, knowing what
     * the profile expects of the minute (the worst case: an attacker who knows the model and the key's history).
     */
    void minute(long minute, DoubleToLongFunction attacker) {
        if (attacker.applyAsLong(profile.seen() ? profile.expectedVolume(minute) : 0) <= 0) {
            return;
        }
        minuteKnowing(minute, usage -> attacker.applyAsLong(usage.baselineMean()));
    }

    /**
     * The key makes as many requests (at least one) in the minute starting at {@code minute} as {@code attacker}
     * chooses, knowing all the minute's judgement when it opened (expected count, critical count, what the recurring
     * peak allows).
     */
    void minuteKnowing(long minute, ToLongFunction<MinuteAggregate> attacker) {
        if (current == null) {
            profile.advanceTo(minute, 0, 0, judge.learning(null, thresholds), Double.NaN);
        } else {
            profile.advanceTo(minute, current.volume(), 1, judge.learning(current, thresholds), Double.NaN);
            if (profile.volumeModel().dropStreakMinutes() >= 5 && !profile.volumeModel().dropStreakAlerted()) {
                drops.add(minute);
                profile.volumeModel().markDropAlerted(profile.volumeModel().dropStreakStart());
            }
        }
        MinuteAggregate usage = new MinuteAggregate();
        usage.setBaseline(profile, minute);
        judge.judge(usage, thresholds);
        long count = Math.max(1, attacker.applyAsLong(usage));
        usage.requests = count;
        Severity severity = spike.severity(usage, thresholds);
        if (severity != null) {
            Severity already = usage.spikeStreakAlerted();
            boolean again = already != null && severity.compareTo(already) <= 0
                    && VolumeSpikeRule.raisesAgain(usage, thresholds);
            if (already == null || severity.compareTo(already) > 0 || again) {
                spikes.add(new Raised(minute, severity, count, usage.baselineMean(), usage.spikeCritical(),
                        usage.spikeStreakMinutes() > 0 && !again ? usage.spikeStreakStart() : minute));
                usage.markAlerted(AlertRule.VOLUME_SPIKE, severity);
            }
        }
        current = usage;
        currentMinute = minute;
    }

    /** Runs {@code minutes} minutes from {@code start} with Poisson counts around {@code rate} (per minute). */
    void run(long start, int minutes, LongToDoubleFunction rate, SplittableRandom random) {
        for (int m = 0; m < minutes; m++) {
            long minute = start + m * MINUTE;
            minute(minute, poisson(rate.applyAsDouble(minute), random));
        }
    }

    long currentMinute() {
        return currentMinute;
    }

    public static long poisson(double lambda, SplittableRandom random) {
        long total = 0;
        // Knuth's method on chunks small enough that e^-chunk does not underflow
        while (lambda > 0) {
            double chunk = Math.min(lambda, 30);
            lambda -= chunk;
            double limit = Math.exp(-chunk);
            double product = random.nextDouble();
            while (product > limit) {
                total++;
                product *= random.nextDouble();
            }
        }
        return total;
    }

    /**
     * A working week's rhythm: quiet nights (15 % of the day's level), a steep ramp from 08:55 to 09:05, a plateau, a ramp
     * down from 17:00 to 19:00; weekends at {@code weekend} of that; a multiplicative day-to-day and minute-to-minute
     * wobble (lognormal, sd about 10 %) so that the counts are overdispersed as real ones are.
     */
    public static LongToDoubleFunction officeHours(double peak, double weekend, SplittableRandom random) {
        return minute -> {
            double hour = Math.floorMod(minute, DAY) / (double) HOUR;
            double level;
            // 08:55 to 09:05: the office comes in
            if (hour < 8 + 55 / 60.0) {
                level = 0.15;
            } else if (hour < 9 + 5 / 60.0) {
                level = 0.15 + 0.85 * (hour - 8 - 55 / 60.0) * 6;
            } else if (hour < 17) {
                level = 1.0;
            } else if (hour < 19) {
                level = 1.0 - 0.85 * (hour - 17) / 2;
            } else {
                level = 0.15;
            }
            int day = VolumeModel.dayOfWeek(minute);
            double dayLevel = day >= 5 ? weekend : 1.0;
            double wobble = Math.exp(0.1 * random.nextGaussian() - 0.005);
            return peak * level * dayLevel * wobble;
        };
    }
}
