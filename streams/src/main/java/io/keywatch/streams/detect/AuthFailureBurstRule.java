package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AUTH_FAILURE_BURST: many INVALID_SECRET results for one key in one minute, what brute force looks like. HIGH from
 * {@code authFailures.high}, CRITICAL from {@code authFailures.critical} (never below the HIGH threshold). Window:
 * the minute.
 */
public final class AuthFailureBurstRule implements Detector.OnEvent {

    public static final DetectionSetting HIGH = DetectionSetting.wholeNumber("authFailures.high", 20, 1, 1e9);
    public static final DetectionSetting CRITICAL = DetectionSetting.wholeNumber("authFailures.critical", 100, 1, 1e9);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.AUTH_FAILURE_BURST, Trigger.EVENT, Dedup.MINUTE,
            "`HIGH`, `CRITICAL` above a second threshold", Toggle.GLOBAL_AND_PER_KEY, "authFailures", List.of(
                    SettingDoc.of(HIGH, "failures/min",
                            "INVALID_SECRET checks in a minute for HIGH"),
                    SettingDoc.of(CRITICAL, "failures/min",
                            "... for CRITICAL (never below the HIGH one)")),
            "many `INVALID_SECRET` checks for one key within a minute (brute force)");

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


    /** The severity this minute deserves so far, or null when the failures are below the threshold. */
    public Severity severity(MinuteAggregate usage, KeyThresholds thresholds) {
        long failures = usage.authFailures();
        if (failures >= critical(thresholds)) {
            return Severity.CRITICAL;
        }
        return failures >= high(thresholds) ? Severity.HIGH : null;
    }

    private static int high(KeyThresholds thresholds) {
        return thresholds.getInt(HIGH);
    }

    private static int critical(KeyThresholds thresholds) {
        return Math.max(high(thresholds), thresholds.getInt(CRITICAL));
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, Severity severity,
                            KeyThresholds thresholds) {
        int high = high(thresholds);
        int critical = critical(thresholds);
        int threshold = severity == Severity.CRITICAL ? critical : high;
        String summary = String.format(Locale.ROOT,
                "Key %s failed %d secret checks (INVALID_SECRET) in the minute starting %s, out of %d requests "
                        + "from %d client IPs; %d failures raise HIGH, %d CRITICAL. This looks like brute force.",
                keyId, usage.authFailures(), windowStart, usage.requests(), usage.clientIps().distinct(),
                high, critical);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("highThreshold", high);
        evidence.put("criticalThreshold", critical);
        return new Finding(AlertRule.AUTH_FAILURE_BURST, severity, usage.authFailures(), threshold, null, summary,
                evidence);
    }
}
