package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RATE_LIMIT_EXCEEDED: sustained use above the key's registered {@code rateLimitPerMinute}. A minute is above the
 * limit when its requests (INVALID_SECRET ones excluded; RATE_LIMITED ones included, the client made them) exceed
 * {@code limit x rateLimit.tolerance}; the rule fires with the request that puts the {@code rateLimit.minutes}-th
 * (default 3) consecutive minute above it, not on one busy minute. MEDIUM (the service enforces its own limit; this
 * is a misbehaving or abused client). Window: the streak, identified by its first minute, so a streak alerts once
 * however long it lasts; a new streak after a minute at or below the limit alerts again.
 */
public final class RateLimitRule implements Detector.OnEvent {

    public static final DetectionSetting MINUTES = DetectionSetting.wholeNumber("rateLimit.minutes", 3, 1, 1440);
    public static final DetectionSetting TOLERANCE = DetectionSetting.positiveNumber("rateLimit.tolerance", 1.0, 1e6);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.RATE_LIMIT_EXCEEDED, Trigger.EVENT, Dedup.STREAK,
            "`MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "rateLimit", List.of(
                    SettingDoc.of(MINUTES, "minutes",
                            "consecutive minutes above the key's `rateLimitPerMinute`"),
                    SettingDoc.of(TOLERANCE, "x limit",
                            "a minute is above when its requests exceed limit x tolerance")),
            "several consecutive minutes above the key's registered limit");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        Severity severity = severity(context.usage(), context.metadata(), context.thresholds());
        if (severity == null) {
            return null;
        }
        long streakStart = streakStart(context.usage(), context.minuteStart());
        return new Verdict(severity, streakStart, (start, end) -> describe(context.keyId(), context.minute(),
                context.usage(), context.metadata(), context.thresholds(), context.streakMinutes(streakStart)));
    }


    /** Requests per minute above which a minute counts, or NaN when the key has no registered limit. */
    public double limitThreshold(KeyMetadata metadata, KeyThresholds thresholds) {
        if (metadata == null || metadata.rateLimitPerMinute() == null || metadata.rateLimitPerMinute() <= 0) {
            return Double.NaN;
        }
        return metadata.rateLimitPerMinute() * thresholds.get(TOLERANCE);
    }

    /** MEDIUM when this minute is above the limit and completes a streak not alerted yet; null otherwise. */
    public Severity severity(MinuteAggregate usage, KeyMetadata metadata, KeyThresholds thresholds) {
        double limit = limitThreshold(metadata, thresholds);
        if (!(usage.volume() > limit) || !usage.hasBaseline() || usage.rateStreakAlerted()) {
            return null;
        }
        int needed = thresholds.getInt(MINUTES);
        return usage.rateStreakMinutes() + 1 >= needed ? Severity.MEDIUM : null;
    }

    /** The first minute of the streak this minute completes. */
    public long streakStart(MinuteAggregate usage, long windowStart) {
        return usage.rateStreakMinutes() > 0 ? usage.rateStreakStart() : windowStart;
    }

    /**
     * @param perMinute requests of each minute of the streak, oldest first, this one included (as far as kept)
     */
    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, KeyMetadata metadata,
                            KeyThresholds thresholds, Map<String, Long> perMinute) {
        int limit = metadata.rateLimitPerMinute();
        double threshold = limitThreshold(metadata, thresholds);
        int minutes = usage.rateStreakMinutes() + 1;
        String summary = String.format(Locale.ROOT,
                "Key %s has been above its rate limit of %d requests per minute for %d consecutive minutes "
                        + "(this minute, starting %s: %d requests so far); %s.",
                keyId, limit, minutes, windowStart, usage.volume(), perMinute);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rateLimitPerMinute", limit);
        evidence.put("tolerance", thresholds.get(TOLERANCE));
        evidence.put("consecutiveMinutes", minutes);
        evidence.put("requiredMinutes", thresholds.getInt(MINUTES));
        evidence.put("requestsPerMinute", perMinute);
        evidence.put("rateLimited", usage.authResultCount(io.keywatch.events.AuthResult.RATE_LIMITED));
        return new Finding(AlertRule.RATE_LIMIT_EXCEEDED, Severity.MEDIUM, usage.volume(), threshold,
                (double) limit, summary, evidence);
    }
}
