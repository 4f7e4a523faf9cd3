package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.DetectionSetting;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * INSECURE_TRANSPORT: the key was sent without TLS ({@code tls == false}; a missing field says nothing). MEDIUM: the
 * secret crossed the network in clear text. At most once per key per {@code insecure.periodHours} (default 1, aligned
 * to UTC hours), so a misconfigured client does not flood anyone.
 */
public final class InsecureTransportRule implements Detector.OnEvent {

    /** Shared with KEY_IN_URL; the detection processor de-duplicates both by it. */
    public static final DetectionSetting PERIOD_HOURS =
            DetectionSetting.wholeNumber("insecure.periodHours", 1, 1, 24 * 7);

    /** The period both transport rules share (KEY_IN_URL declares it too). */
    static final SettingDoc PERIOD_DOC = SettingDoc.of(PERIOD_HOURS, "hours",
            "INSECURE_TRANSPORT / KEY_IN_URL at most once per key per this period");

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.INSECURE_TRANSPORT, Trigger.EVENT, Dedup.INSECURE_PERIOD,
            "`MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "insecureTransport", List.of(PERIOD_DOC),
            "the key sent without TLS");

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
        return Boolean.FALSE.equals(event.tls());
    }

    public Finding describe(UsageEvent event, Instant windowStart, Instant windowEnd) {
        String summary = String.format(Locale.ROOT,
                "Key %s was sent without TLS at %s (service %s%s%s); its secret crossed the network in clear text. "
                        + "Reported once per key between %s and %s.",
                event.keyId(), event.timestamp(), event.service(),
                event.path() == null ? "" : ", " + event.path(),
                event.clientIp() == null ? "" : ", from " + event.clientIp(), windowStart, windowEnd);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("tls", false);
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.INSECURE_TRANSPORT, Severity.MEDIUM, 1, 1, null, summary, evidence);
    }
}
