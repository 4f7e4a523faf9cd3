package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * REVOKED_KEY_USED: a successful-looking use (auth OK, status absent or below 400) of a revoked key, which means a
 * service still accepts a key that should be dead. Uses made before the revocation (events that were in flight
 * when it happened) are legitimate and stay quiet; so do uses the service rejected. CRITICAL; window: the minute.
 * Cannot be switched off per key.
 */
public final class RevokedKeyUseRule implements Detector.OnEvent {

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.REVOKED_KEY_USED, Trigger.EVENT, Dedup.FIRST_IN_MINUTE,
            "`CRITICAL`", Toggle.ALWAYS_ON, null, List.of(),
            "a successful-looking use of a key after keywatch revoked it");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (!looksSuccessful(context.event())) {
            return null;
        }
        return Verdict.of(severity(context.event(), context.state()),
                (start, end) -> describe(context.event(), context.state()));
    }


    /** True when the event looks like the service accepted the key: the only case this rule looks at. */
    public boolean looksSuccessful(UsageEvent event) {
        return Evidence.accepted(event);
    }

    /** CRITICAL when the key was revoked at or before the event's time; null otherwise. */
    public Severity severity(UsageEvent event, KeyState revoked) {
        if (revoked == null || !revoked.isRevoked() || event.timestamp().isBefore(revoked.changedAt())) {
            return null;
        }
        return Severity.CRITICAL;
    }

    public Finding describe(UsageEvent event, KeyState revoked) {
        String summary = String.format(Locale.ROOT,
                "Key %s was used successfully at %s (service %s%s%s) although it was revoked at %s%s.",
                event.keyId(), event.timestamp(), event.service(),
                event.path() == null ? "" : ", " + (event.method() == null ? "" : event.method() + " ") + event.path(),
                event.clientIp() == null ? "" : ", from " + event.clientIp(),
                revoked.changedAt(),
                revoked.reason() == null ? "" : " (" + revoked.reason() + ")");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("revokedAt", revoked.changedAt().toString());
        putIfPresent(evidence, "revocationReason", revoked.reason());
        putIfPresent(evidence, "revokedBy", revoked.changedBy());
        evidence.put("eventId", event.eventId());
        evidence.put("service", event.service());
        putIfPresent(evidence, "method", event.method());
        putIfPresent(evidence, "path", event.path());
        putIfPresent(evidence, "status", event.status());
        putIfPresent(evidence, "clientIp", event.clientIp());
        putIfPresent(evidence, "country", event.country());
        return new Finding(AlertRule.REVOKED_KEY_USED, Severity.CRITICAL, 1, 1, null, summary, evidence);
    }

    private static void putIfPresent(Map<String, Object> evidence, String name, Object value) {
        if (value != null) {
            evidence.put(name, value);
        }
    }
}
