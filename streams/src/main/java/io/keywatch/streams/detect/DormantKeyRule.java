package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.KeyProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DORMANT_KEY_REACTIVATED: the first use after at least {@code dormant.days} (30) without any, measured from the last
 * minute keywatch saw the key used (a key keywatch never saw is not dormant: it may simply predate keywatch). Checked
 * once, when the key's first minute after the silence opens. MEDIUM: old keys get forgotten, and forgotten keys get
 * found. Window: the minute of the reactivation.
 */
public final class DormantKeyRule implements Detector.OnEvent {

    public static final DetectionSetting DAYS = DetectionSetting.wholeNumber("dormant.days", 30, 1, 3650);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.DORMANT_KEY_REACTIVATED, Trigger.MINUTE_OPEN, Dedup.MINUTE,
            "`MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "dormant", List.of(
                    SettingDoc.of(DAYS, "days", "silence before a use is a reactivation")),
            "first use after a long silence (30 days by default)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        Long since = context.dormantSince();
        if (since == null) {
            return null;
        }
        return Verdict.of(Severity.MEDIUM, (start, end) -> describe(context.event(), since, context.thresholds()));
    }


    /** The last-seen minute when the minute opening at {@code windowStart} ends a long silence; null otherwise. */
    public Long silenceEndedBy(KeyProfile profile, long windowStart, KeyThresholds thresholds) {
        if (!profile.seen() || profile.lastSeenMinute() == Long.MIN_VALUE) {
            return null;
        }
        long silence = windowStart - profile.lastSeenMinute();
        return silence >= thresholds.getInt(DAYS) * Evidence.DAY_MS
                ? profile.lastSeenMinute() : null;
    }

    public Finding describe(UsageEvent event, long lastSeenMinute, KeyThresholds thresholds) {
        long silence = event.timestamp().toEpochMilli() - lastSeenMinute;
        String summary = String.format(Locale.ROOT,
                "Key %s was used at %s%s after %s days without any use (last used in the minute starting %s).",
                event.keyId(), event.timestamp(), event.clientIp() == null ? "" : " from " + event.clientIp(),
                Evidence.days(silence), Instant.ofEpochMilli(lastSeenMinute));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("lastSeen", Instant.ofEpochMilli(lastSeenMinute).toString());
        evidence.put("silentDays", Double.parseDouble(Evidence.days(silence)));
        evidence.put("dormantDays", thresholds.getInt(DAYS));
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.DORMANT_KEY_REACTIVATED, Severity.MEDIUM,
                Double.parseDouble(Evidence.days(silence)), thresholds.getInt(DAYS), null,
                summary, evidence);
    }
}
