package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * VOLUME_SPIKE: a key's requests in the current minute far above its own baseline. The threshold is the largest of
 * a fixed floor (tiny keys never page anyone), a multiple of the baseline, and the baseline plus a number of mean
 * absolute deviations (bursty keys need more room). A spike from many client IPs in several countries looks like a
 * leaked key and is CRITICAL; otherwise HIGH.
 */
public final class VolumeSpikeRule {

    private final DetectionSettings settings;

    public VolumeSpikeRule(DetectionSettings settings) {
        this.settings = settings;
    }

    /** The request count at which this minute spikes, or NaN while the baseline is unknown or warming up. */
    public double threshold(MinuteAggregate usage) {
        if (!usage.hasBaseline() || usage.baselineMinutes() < settings.volumeWarmupMinutes()) {
            return Double.NaN;
        }
        double mean = usage.baselineMean();
        double threshold = Math.max(settings.volumeFloor(),
                Math.max(mean * settings.volumeFactor(), mean + settings.volumeDeviations() * usage.baselineDeviation()));
        return Math.ceil(threshold);
    }

    /** The severity this minute deserves so far, or null when it is not a spike. */
    public Severity severity(MinuteAggregate usage) {
        double threshold = threshold(usage);
        // NaN compares false: no alert while warming up
        if (!(usage.requests() >= threshold)) {
            return null;
        }
        return looksLeaked(usage) ? Severity.CRITICAL : Severity.HIGH;
    }

    private boolean looksLeaked(MinuteAggregate usage) {
        return usage.clientIps().distinct() >= settings.leakMinClientIps()
                && usage.countries().distinct() >= settings.leakMinCountries();
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, Severity severity) {
        double threshold = threshold(usage);
        double mean = usage.baselineMean();
        String summary = String.format(Locale.ROOT,
                "Key %s reached %d requests in the minute starting %s, above its threshold of %.0f "
                        + "(its usual volume is %.1f requests per minute).",
                keyId, usage.requests(), windowStart, threshold, mean);
        if (severity == Severity.CRITICAL) {
            summary += String.format(Locale.ROOT,
                    " The requests came from %s%d client IPs in %d countries, which looks like a leaked key.",
                    usage.clientIps().saturated() ? "at least " : "", usage.clientIps().distinct(),
                    usage.countries().distinct());
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("baselineRequestsPerMinute", round(mean));
        evidence.put("baselineDeviation", round(usage.baselineDeviation()));
        evidence.put("baselineMinutes", usage.baselineMinutes());
        if (mean > 0) {
            evidence.put("ratioToBaseline", round(usage.requests() / mean));
        }
        evidence.put("leakMinClientIps", settings.leakMinClientIps());
        evidence.put("leakMinCountries", settings.leakMinCountries());
        return new Finding(AlertRule.VOLUME_SPIKE, severity, usage.requests(), threshold, mean, summary, evidence);
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
