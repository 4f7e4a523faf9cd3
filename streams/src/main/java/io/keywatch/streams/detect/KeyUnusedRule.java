package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.KeyProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KEY_UNUSED (hygiene, from the scan): a registered, active, unexpired key not used for {@code unused.days} (30) of
 * stream time: since its last-seen minute, or since its {@code createdAt} when keywatch never saw it used. The silence
 * only counts from when this keywatch task started observing, so a fresh deployment (or a backtest) does not call
 * every key unused on its first scan. LOW: an unused key is attack surface nobody watches. Once per key per UTC day.
 */
public final class KeyUnusedRule implements Detector.OnScan {

    public static final DetectionSetting DAYS = DetectionSetting.wholeNumber("unused.days", 30, 1, 3650);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.KEY_UNUSED, Trigger.HYGIENE_SCAN, Dedup.DAY,
            "`LOW`", Toggle.GLOBAL_AND_PER_KEY, "unused", List.of(
                    SettingDoc.of(DAYS, "days", "a key unused this long is reported"),
                    SettingDoc.of(KeyHygieneScan.SCAN_MINUTES, "minutes",
                            "stream-time minutes between hygiene scans (global only)")),
            "the key has not been used for a long time (registry hygiene; silence counts from when keywatch "
                    + "started observing)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Finding evaluate(ScanContext context) {
        // cheap pre-check so that most keys need no profile read: only keys old enough can be unused
        long needed = context.thresholds().getInt(DAYS) * Evidence.DAY_MS;
        long now = context.now();
        if (now - context.observingSince() < needed || (context.metadata().createdAt() != null
                && now - context.metadata().createdAt().toEpochMilli() < needed)) {
            return null;
        }
        return check(context.keyId(), context.metadata(), context.existingProfile(), now, context.observingSince(),
                context.thresholds());
    }


    /**
     * @param profile        the key's profile, or null when this task never saw it
     * @param observingSince stream time at which this task started observing
     */
    public Finding check(String keyId, KeyMetadata metadata, KeyProfile profile, long now, long observingSince,
                         KeyThresholds thresholds) {
        boolean seen = profile != null && profile.seen();
        Long reference = seen ? Long.valueOf(profile.lastSeenMinute())
                : metadata.createdAt() == null ? null : metadata.createdAt().toEpochMilli();
        long since = reference == null ? observingSince : Math.max(reference, observingSince);
        int days = thresholds.getInt(DAYS);
        if (now - since < days * Evidence.DAY_MS) {
            return null;
        }
        long unusedFor = now - (reference == null ? observingSince : reference);
        double unusedDays = Double.parseDouble(Evidence.days(unusedFor));
        String summary = seen
                ? String.format(Locale.ROOT, "Key %s%s has not been used for %s days (last used in the minute "
                        + "starting %s); unused keys should be revoked.", keyId, owner(metadata), Evidence.days(unusedFor),
                        Instant.ofEpochMilli(reference))
                : String.format(Locale.ROOT, "Key %s%s has never been used in %s days%s; unused keys should be revoked.",
                        keyId, owner(metadata), Evidence.days(unusedFor),
                        metadata.createdAt() == null ? "" : " since it was created at " + metadata.createdAt());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("lastSeen", seen ? Instant.ofEpochMilli(reference).toString() : "never");
        Evidence.putIfPresent(evidence, "createdAt", metadata.createdAt() == null ? null : metadata.createdAt().toString());
        evidence.put("unusedDays", unusedDays);
        evidence.put("thresholdDays", days);
        evidence.put("observingSince", Instant.ofEpochMilli(observingSince).toString());
        evidence.put("checkedAt", Instant.ofEpochMilli(now).toString());
        Evidence.putIfPresent(evidence, "owner", metadata.owner());
        return new Finding(AlertRule.KEY_UNUSED, Severity.LOW, unusedDays, days, null, summary, evidence);
    }

    private static String owner(KeyMetadata metadata) {
        return metadata.owner() == null ? "" : " of " + metadata.owner();
    }
}
