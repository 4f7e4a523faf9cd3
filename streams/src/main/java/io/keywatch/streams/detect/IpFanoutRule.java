package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
public final class IpFanoutRule implements Detector.OnEvent {

    public static final DetectionSetting FLOOR =
            DetectionSetting.wholeNumber("ipFanout.floor", 10, 1, MinuteAggregate.MAX_CLIENT_IPS);
    public static final DetectionSetting FACTOR = DetectionSetting.positiveNumber("ipFanout.factor", 5.0, 1e6);
    public static final DetectionSetting DEVIATIONS = DetectionSetting.positiveNumber("ipFanout.deviations", 6.0, 1e6);
    public static final DetectionSetting WARMUP_MINUTES =
            DetectionSetting.wholeNumber("ipFanout.warmupMinutes", 10, 1, 1_000_000);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.IP_FANOUT, Trigger.EVENT, Dedup.MINUTE,
            "`HIGH`", Toggle.GLOBAL_AND_PER_KEY, "ipFanout", List.of(
                    SettingDoc.of(FLOOR, "IPs/min", "below this IP_FANOUT never fires"),
                    SettingDoc.of(FACTOR, "x baseline",
                            "at least this many times the key's IP baseline ..."),
                    SettingDoc.of(DEVIATIONS, "deviations",
                            "... and this many mean absolute deviations above it"),
                    SettingDoc.of(WARMUP_MINUTES, "minutes",
                            "active minutes before IP_FANOUT may fire")),
            "far more distinct client IPs in a minute than the key's baseline: a shared or leaked key");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (!context.newIp()) {
            return null;
        }
        return Verdict.of(severity(context.usage(), context.thresholds()),
                (start, end) -> describe(context.keyId(), context.minute(), context.usage(), context.thresholds()));
    }


    /** The distinct IPs at which this minute fans out, or NaN while the key's IP baseline warms up. */
    public double threshold(MinuteAggregate usage, KeyThresholds thresholds) {
        if (!usage.hasBaseline()
                || usage.ipBaselineMinutes() < thresholds.getInt(WARMUP_MINUTES)) {
            return Double.NaN;
        }
        double mean = usage.ipBaselineMean();
        return Math.ceil(Math.max(thresholds.get(FLOOR),
                Math.max(mean * thresholds.get(FACTOR),
                        mean + thresholds.get(DEVIATIONS) * usage.ipBaselineDeviation())));
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
        evidence.put("floor", thresholds.getInt(FLOOR));
        evidence.put("factor", thresholds.get(FACTOR));
        return new Finding(AlertRule.IP_FANOUT, Severity.HIGH, ips, threshold, usage.ipBaselineMean(), summary,
                evidence);
    }
}
