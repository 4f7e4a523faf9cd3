package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VOLUME_SPIKE: a key's requests in the current minute (INVALID_SECRET ones excluded: brute force is
 * AUTH_FAILURE_BURST's) far above what its profile expects of that minute, which is the larger of its recent average
 * and, once learnt, the average of the same UTC hour of day (see {@link KeyProfile}). The threshold is the largest of
 * a fixed floor ({@code volume.floor}: tiny keys never page anyone), a multiple of the expected volume
 * ({@code volume.factor}) and the expected volume plus a number of mean absolute deviations
 * ({@code volume.deviations}: bursty keys need more room); nothing fires before {@code volume.warmupMinutes}. A spike
 * from at least {@code leak.minClientIps} client IPs in {@code leak.minCountries} countries looks like a leaked key
 * and is CRITICAL; otherwise HIGH. Window: the minute.
 */
public final class VolumeSpikeRule implements Detector.OnEvent {

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.VOLUME_SPIKE, Trigger.EVENT, Dedup.MINUTE,
            "`HIGH`; `CRITICAL` when the spike also comes from many IPs and countries (a leaked key)",
            Toggle.GLOBAL_AND_PER_KEY, "volume", List.of(
                    SettingDoc.of(DetectionSetting.VOLUME_WARMUP_MINUTES, "minutes",
                            "completed minutes before VOLUME_SPIKE may fire"),
                    SettingDoc.of(DetectionSetting.VOLUME_FLOOR, "requests/min", "below this no spike is raised"),
                    SettingDoc.of(DetectionSetting.VOLUME_FACTOR, "x baseline",
                            "a spike is at least this many times the expected volume ..."),
                    SettingDoc.of(DetectionSetting.VOLUME_DEVIATIONS, "deviations",
                            "... and this many mean absolute deviations above it"),
                    SettingDoc.of(DetectionSetting.VOLUME_SMOOTHING, "weight",
                            "weight of the newest minute in the key's recent averages"),
                    SettingDoc.of(DetectionSetting.LEAK_MIN_CLIENT_IPS, "IPs",
                            "a spike from this many client IPs ..."),
                    SettingDoc.of(DetectionSetting.LEAK_MIN_COUNTRIES, "countries",
                            "... and this many countries is CRITICAL (a leaked key)")),
            "a key's requests in a minute are far above its own baseline, which learns the key's daily rhythm and is "
                    + "not thrown by its own outliers (after a warm-up, above a floor; failed secret checks are not "
                    + "volume)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        Severity severity = severity(context.usage(), context.thresholds());
        return Verdict.of(severity, (start, end) -> describe(context.keyId(), context.minute(), context.usage(),
                severity, context.thresholds()));
    }


    /** The request count at which this minute spikes, or NaN while the baseline is unknown or warming up. */
    public double threshold(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!usage.hasBaseline() || usage.baselineMinutes() < thresholds.getInt(DetectionSetting.VOLUME_WARMUP_MINUTES)) {
            return Double.NaN;
        }
        double mean = usage.baselineMean();
        double threshold = Math.max(thresholds.get(DetectionSetting.VOLUME_FLOOR),
                Math.max(mean * thresholds.get(DetectionSetting.VOLUME_FACTOR),
                        mean + thresholds.get(DetectionSetting.VOLUME_DEVIATIONS) * usage.baselineDeviation()));
        return Math.ceil(threshold);
    }

    /** The severity this minute deserves so far, or null when it is not a spike. */
    public Severity severity(MinuteAggregate usage, KeyThresholds thresholds) {
        double threshold = threshold(usage, thresholds);
        // NaN compares false: no alert while warming up
        if (!(usage.volume() >= threshold)) {
            return null;
        }
        return looksLeaked(usage, thresholds) ? Severity.CRITICAL : Severity.HIGH;
    }

    private static boolean looksLeaked(MinuteAggregate usage, KeyThresholds thresholds) {
        return usage.clientIps().distinct() >= thresholds.getInt(DetectionSetting.LEAK_MIN_CLIENT_IPS)
                && usage.countries().distinct() >= thresholds.getInt(DetectionSetting.LEAK_MIN_COUNTRIES);
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, Severity severity,
                            KeyThresholds thresholds) {
        double threshold = threshold(usage, thresholds);
        double mean = usage.baselineMean();
        // the alert goes out when the count reaches the threshold: "above" only when it is
        String summary = String.format(Locale.ROOT,
                "Key %s reached %d requests in the minute starting %s, %s its threshold of %.0f "
                        + "(its usual volume is %.1f requests per minute).",
                keyId, usage.volume(), windowStart, usage.volume() > threshold ? "above" : "at", threshold, mean);
        if (severity == Severity.CRITICAL) {
            summary += String.format(Locale.ROOT,
                    " The requests came from %s%d client IPs in %d countries, which looks like a leaked key.",
                    usage.clientIps().saturated() ? "at least " : "", usage.clientIps().distinct(),
                    usage.countries().distinct());
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("volume", usage.volume());
        evidence.put("baselineRequestsPerMinute", Evidence.round(mean));
        evidence.put("baselineDeviation", Evidence.round(usage.baselineDeviation()));
        evidence.put("baselineMinutes", usage.baselineMinutes());
        evidence.put("recentRequestsPerMinute", Evidence.round(usage.recentMean()));
        evidence.put("hourOfDayUtc", KeyProfile.hourOfDay(windowStart.toEpochMilli()));
        if (!Double.isNaN(usage.hourMean())) {
            evidence.put("hourOfDayRequestsPerMinute", Evidence.round(usage.hourMean()));
        }
        if (mean > 0) {
            evidence.put("ratioToBaseline", Evidence.round(usage.volume() / mean));
        }
        evidence.put("floor", thresholds.getInt(DetectionSetting.VOLUME_FLOOR));
        evidence.put("factor", thresholds.get(DetectionSetting.VOLUME_FACTOR));
        evidence.put("deviations", thresholds.get(DetectionSetting.VOLUME_DEVIATIONS));
        evidence.put("leakMinClientIps", thresholds.getInt(DetectionSetting.LEAK_MIN_CLIENT_IPS));
        evidence.put("leakMinCountries", thresholds.getInt(DetectionSetting.LEAK_MIN_COUNTRIES));
        return new Finding(AlertRule.VOLUME_SPIKE, severity, usage.volume(), threshold, mean, summary, evidence);
    }
}
