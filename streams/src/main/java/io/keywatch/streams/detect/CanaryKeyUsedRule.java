package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.SafeText;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CANARY_KEY_USED: any use of a key registered as a canary (a decoy planted where only an attacker would find it).
 * Any auth result, any endpoint, the very first event: no warm-up, no threshold. CRITICAL at once; window: the
 * minute, so a scraper hammering the decoy raises one alert per minute while the minute still counts every request.
 * Cannot be switched off per key: a canary's entry is exactly what an attacker who can edit the registry would tamper
 * with. Automatic revocation never acts on it (see {@code RevocationPolicy}).
 */
public final class CanaryKeyUsedRule implements Detector.OnEvent {

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.CANARY_KEY_USED, Trigger.EVENT,
            Dedup.FIRST_IN_MINUTE, "`CRITICAL`", Toggle.ALWAYS_ON, null, List.of(),
            "any use of a canary (decoy) key, registered with `canary: true`; never revoked automatically");

    /** The free-text parts of the summary are cut here; the evidence keeps them whole (the parser bounds them). */
    private static final int SUMMARY_TEXT = 200;

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        KeyMetadata metadata = context.metadata();
        if (!matches(metadata)) {
            return null;
        }
        return Verdict.of(Severity.CRITICAL,
                (start, end) -> describe(context.event(), metadata, Evidence.instant(start)));
    }

    public boolean matches(KeyMetadata metadata) {
        return metadata != null && metadata.canaryKey();
    }

    public Finding describe(UsageEvent event, KeyMetadata metadata, Instant minute) {
        String plantedAt = metadata.plantedAt() == null ? "an unrecorded place"
                : SafeText.escape(metadata.plantedAt(), SUMMARY_TEXT);
        String summary = String.format(Locale.ROOT,
                "Canary: decoy key %s planted at %s was used from %s%s at %s (%s%s, auth %s%s). Nobody legitimate "
                        + "holds this key: treat it as a breach of where it was planted. Reported once per minute "
                        + "(from %s); not revoked automatically, so the attacker is not warned.",
                event.keyId(), plantedAt, event.clientIp() == null ? "an unknown address" : event.clientIp(),
                event.country() == null ? "" : " (" + event.country() + ")", event.timestamp(),
                event.method() == null ? "" : event.method() + " ", event.path() == null ? "service " + event.service()
                        : event.path(), event.authResult().name(),
                event.userAgent() == null ? "" : ", user agent " + SafeText.escape(event.userAgent(), SUMMARY_TEXT), minute);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("canary", true);
        Evidence.putIfPresent(evidence, "plantedAt", metadata.plantedAt());
        evidence.put("timestamp", event.timestamp().toString());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.CANARY_KEY_USED, Severity.CRITICAL, 1, 0, null, summary, evidence);
    }
}
