package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * IP_FANOUT: far more distinct client IPs in a minute than the key's baseline, a shared or leaked key. The baseline
 * is an EWMA of the distinct IPs of the key's active minutes (clipped like the volume one, see
 * {@code KeyProfile}); the threshold is the largest of {@code ipFanout.floor} (10), {@code ipFanout.factor} (5) times
 * the baseline and the baseline plus {@code ipFanout.deviations} (6) mean absolute deviations, after
 * {@code ipFanout.warmupMinutes} (10) active minutes. All client IPs that presented the key count, whatever the
 * service answered. HIGH. Window: the minute.
 */
public final class IpFanoutRule {

    /** The distinct IPs at which this minute fans out, or NaN while the key's IP baseline warms up. */
    public double threshold(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!usage.hasBaseline()
                || usage.ipBaselineMinutes() < thresholds.getInt(DetectionSetting.IP_FANOUT_WARMUP_MINUTES)) {
            return Double.NaN;
        }
        double mean = usage.ipBaselineMean();
        return Math.ceil(Math.max(thresholds.get(DetectionSetting.IP_FANOUT_FLOOR),
                Math.max(mean * thresholds.get(DetectionSetting.IP_FANOUT_FACTOR),
                        mean + thresholds.get(DetectionSetting.IP_FANOUT_DEVIATIONS) * usage.ipBaselineDeviation())));
    }

    public Severity severity(MinuteAggregate usage, KeyThresholds thresholds) {
        return usage.clientIps().distinct() >= threshold(usage, thresholds) ? Severity.HIGH : null;
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, KeyThresholds thresholds) {
        double threshold = threshold(usage, thresholds);
        int ips = usage.clientIps().distinct();
        String summary = String.format(Locale.ROOT,
                "Key %s was used from %s%d distinct client IPs in %d countries in the minute starting %s; it "
                        + "usually uses %.1f per minute (threshold %.0f). A shared or leaked key?",
                keyId, usage.clientIps().saturated() ? "at least " : "", ips, usage.countries().distinct(),
                windowStart, usage.ipBaselineMean(), threshold);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("baselineClientIpsPerMinute", Evidence.round(usage.ipBaselineMean()));
        evidence.put("baselineClientIpsDeviation", Evidence.round(usage.ipBaselineDeviation()));
        evidence.put("baselineActiveMinutes", usage.ipBaselineMinutes());
        evidence.put("clientIps", usage.clientIps().top(MinuteUsage.TOP_N * 3));
        evidence.put("floor", thresholds.getInt(DetectionSetting.IP_FANOUT_FLOOR));
        evidence.put("factor", thresholds.get(DetectionSetting.IP_FANOUT_FACTOR));
        return new Finding(AlertRule.IP_FANOUT, Severity.HIGH, ips, threshold, usage.ipBaselineMean(), summary,
                evidence);
    }
}
