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
 * KEY_ROTATION_DUE (hygiene, from the scan): a registered, active, unexpired key created at least
 * {@code rotation.days} (90) ago (stream time). LOW. Once per key per UTC day.
 */
public final class KeyRotationDueRule implements Detector.OnScan {

    public static final DetectionSetting DAYS = DetectionSetting.wholeNumber("rotation.days", 90, 1, 3650);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.KEY_ROTATION_DUE, Trigger.HYGIENE_SCAN, Dedup.DAY,
            "`LOW`", Toggle.GLOBAL_AND_PER_KEY, "rotation", List.of(
                    SettingDoc.of(DAYS, "days", "a key created this long ago is due"),
                    SettingDoc.of(KeyHygieneScan.SCAN_MINUTES, "minutes",
                            "stream-time minutes between hygiene scans (global only)")),
            "the key is older than the rotation policy allows (registry hygiene)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Finding evaluate(ScanContext context) {
        return check(context.keyId(), context.metadata(), context.now(), context.thresholds());
    }


    public Finding check(String keyId, KeyMetadata metadata, long now, KeyThresholds thresholds) {
        if (metadata.createdAt() == null) {
            return null;
        }
        long age = now - metadata.createdAt().toEpochMilli();
        int days = thresholds.getInt(DAYS);
        if (age < days * Evidence.DAY_MS) {
            return null;
        }
        double ageDays = Double.parseDouble(Evidence.days(age));
        String summary = String.format(Locale.ROOT,
                "Key %s%s was created at %s, %s days ago; the rotation policy asks for a new key every %d days.",
                keyId, metadata.owner() == null ? "" : " of " + metadata.owner(), metadata.createdAt(),
                Evidence.days(age), days);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("createdAt", metadata.createdAt().toString());
        evidence.put("ageDays", ageDays);
        evidence.put("rotationDays", days);
        evidence.put("checkedAt", Instant.ofEpochMilli(now).toString());
        Evidence.putIfPresent(evidence, "owner", metadata.owner());
        Evidence.putIfPresent(evidence, "service", metadata.service());
        return new Finding(AlertRule.KEY_ROTATION_DUE, Severity.LOW, ageDays, days, null, summary, evidence);
    }
}
