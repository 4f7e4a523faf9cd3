package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.DetectionSetting;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KEY_IN_URL: the key was sent in the query string ({@code credentialLocation == QUERY}), where access logs, proxies
 * and browser histories keep it. MEDIUM. At most once per key per {@code insecure.periodHours} (default 1, aligned to
 * UTC hours).
 */
public final class KeyInUrlRule implements Detector.OnEvent {

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.KEY_IN_URL, Trigger.EVENT, Dedup.INSECURE_PERIOD,
            "`MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "keyInUrl", List.of(InsecureTransportRule.PERIOD_DOC),
            "the key sent in the query string, where logs and proxies keep it");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (!matches(context.event())) {
            return null;
        }
        return Verdict.of(Severity.MEDIUM, (start, end) -> describe(context.event(), Evidence.instant(start),
                Evidence.instant(end)));
    }


    public boolean matches(UsageEvent event) {
        return event.credentialLocation() == CredentialLocation.QUERY;
    }

    public Finding describe(UsageEvent event, Instant windowStart, Instant windowEnd) {
        String summary = String.format(Locale.ROOT,
                "Key %s was sent in the URL query string at %s (service %s%s%s), where logs and proxies keep it. "
                        + "Reported once per key between %s and %s.",
                event.keyId(), event.timestamp(), event.service(),
                event.path() == null ? "" : ", " + event.path(),
                event.clientIp() == null ? "" : ", from " + event.clientIp(), windowStart, windowEnd);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("credentialLocation", CredentialLocation.QUERY.name());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.KEY_IN_URL, Severity.MEDIUM, 1, 1, null, summary, evidence);
    }
}
