package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KEY_EXPIRING (hygiene, from the scan): a registered, active key whose {@code expiresAt} lies within
 * {@code expiring.days} (14) of now (stream time) and not yet in the past. MEDIUM: an outage waiting to happen unless
 * someone rotates it. Once per key per UTC day.
 */
public final class KeyExpiringRule implements Detector.OnScan {

    public static final DetectionSetting DAYS = DetectionSetting.wholeNumber("expiring.days", 14, 1, 3650);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.KEY_EXPIRING, Trigger.HYGIENE_SCAN, Dedup.DAY,
            "`MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "expiring", List.of(
                    SettingDoc.of(DAYS, "days", "warn when `expiresAt` is this close"),
                    SettingDoc.of(KeyHygieneScan.SCAN_MINUTES, "minutes",
                            "stream-time minutes between hygiene scans (global only)")),
            "the key's registered `expiresAt` is near (registry hygiene)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Finding evaluate(ScanContext context) {
        return check(context.keyId(), context.metadata(), context.now(), context.thresholds());
    }


    public Finding check(String keyId, KeyMetadata metadata, long now, KeyThresholds thresholds) {
        if (metadata.expiresAt() == null) {
            return null;
        }
        long left = metadata.expiresAt().toEpochMilli() - now;
        int days = thresholds.getInt(DAYS);
        if (left <= 0 || left > days * Evidence.DAY_MS) {
            return null;
        }
        double daysLeft = Double.parseDouble(Evidence.days(left));
        String summary = String.format(Locale.ROOT, "Key %s%s expires at %s, in %s days (warning from %d days).",
                keyId, metadata.owner() == null ? "" : " of " + metadata.owner(), metadata.expiresAt(),
                Evidence.days(left), days);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("expiresAt", metadata.expiresAt().toString());
        evidence.put("daysLeft", daysLeft);
        evidence.put("warningDays", days);
        evidence.put("checkedAt", Instant.ofEpochMilli(now).toString());
        Evidence.putIfPresent(evidence, "owner", metadata.owner());
        Evidence.putIfPresent(evidence, "service", metadata.service());
        return new Finding(AlertRule.KEY_EXPIRING, Severity.MEDIUM, daysLeft, days, null, summary, evidence);
    }
}
