package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.DetectionSetting;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EXPIRED_KEY_USED: a successful-looking use (auth OK, status absent or below 400) at or after the key's registered
 * {@code expiresAt} (plus {@code expired.graceSeconds}, default 0, for clock skew): a service still accepts a key
 * that should have stopped working. HIGH (not CRITICAL like a revoked key: expiry is hygiene, not a known
 * compromise). Window: the minute.
 */
public final class ExpiredKeyUseRule implements Detector.OnEvent {

    public static final DetectionSetting GRACE_SECONDS =
            DetectionSetting.wholeNumber("expired.graceSeconds", 0, 0, 86_400 * 365.0);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.EXPIRED_KEY_USED, Trigger.EVENT, Dedup.FIRST_IN_MINUTE,
            "`HIGH`", Toggle.GLOBAL_AND_PER_KEY, "expired", List.of(
                    SettingDoc.of(GRACE_SECONDS, "seconds",
                            "uses this long after `expiresAt` are still tolerated (clock skew)")),
            "a successful-looking use after the key's registered `expiresAt`");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (context.metadata() == null) {
            return null;
        }
        return Verdict.of(severity(context.event(), context.metadata(), context.thresholds()),
                (start, end) -> describe(context.event(), context.metadata(), context.thresholds()));
    }


    /** The instant from which accepted uses are flagged, or null when the key has no expiry. */
    public Instant flaggedFrom(KeyMetadata metadata, KeyThresholds thresholds) {
        if (metadata == null || metadata.expiresAt() == null) {
            return null;
        }
        return metadata.expiresAt().plusSeconds(thresholds.getInt(GRACE_SECONDS));
    }

    /** HIGH when the event is an accepted use at or after the expiry (plus grace); null otherwise. */
    public Severity severity(UsageEvent event, KeyMetadata metadata, KeyThresholds thresholds) {
        Instant from = flaggedFrom(metadata, thresholds);
        if (from == null || !Evidence.accepted(event) || event.timestamp().isBefore(from)) {
            return null;
        }
        return Severity.HIGH;
    }

    public Finding describe(UsageEvent event, KeyMetadata metadata, KeyThresholds thresholds) {
        long lateMs = event.timestamp().toEpochMilli() - metadata.expiresAt().toEpochMilli();
        String summary = String.format(Locale.ROOT,
                "Key %s was used successfully at %s (service %s%s) although it expired at %s, %s days earlier.",
                event.keyId(), event.timestamp(), event.service(),
                event.clientIp() == null ? "" : ", from " + event.clientIp(), metadata.expiresAt(),
                Evidence.days(lateMs));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("expiresAt", metadata.expiresAt().toString());
        evidence.put("usedAt", event.timestamp().toString());
        evidence.put("secondsAfterExpiry", lateMs / 1000);
        evidence.put("graceSeconds", thresholds.getInt(GRACE_SECONDS));
        Evidence.putIfPresent(evidence, "owner", metadata.owner());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.EXPIRED_KEY_USED, Severity.HIGH, lateMs / 1000.0,
                thresholds.getInt(GRACE_SECONDS), null, summary, evidence);
    }
}
