package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SECRET_IN_TELEMETRY: a service published a secret where the key id belongs. The redact-secrets step replaced it by
 * its keyed fingerprint (the alert's key id) and named its format; the alert names the service and the format, never
 * the value. CRITICAL, at most once per fingerprint per UTC day. The fix is rotating the leaked secret at its provider
 * and making the service publish the key's public id: automatic revocation never acts on it (the fingerprint names
 * no registered key). Switched off only globally ({@code KEYWATCH_DETECT_DISABLED_RULES=SECRET_IN_TELEMETRY}); the
 * redaction itself always happens.
 */
public final class SecretInTelemetryRule implements Detector.OnEvent {

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.SECRET_IN_TELEMETRY, Trigger.EVENT, Dedup.DAY,
            "`CRITICAL`", Toggle.GLOBAL_ONLY, null, List.of(),
            "a service published a secret where the key id belongs ([Secrets published by mistake]"
                    + "(#secrets-published-by-mistake)); names the service and the secret's format, never its value; "
                    + "never revokes anything (the key id is the secret's fingerprint)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        String format = context.secretFormat();
        if (!matches(format)) {
            return null;
        }
        return Verdict.of(Severity.CRITICAL,
                (start, end) -> describe(context.event(), format, Evidence.instant(start)));
    }


    /** @param format the secret's format as the redact step named it, null when the key id was no secret */
    public boolean matches(String format) {
        return format != null;
    }

    public Finding describe(UsageEvent event, String format, Instant dayStart) {
        String summary = String.format(Locale.ROOT,
                "Service %s published a secret (%s) instead of a key id at %s; keywatch stored only its fingerprint "
                        + "%s. Rotate the leaked secret and make the service publish the key's public id. Reported "
                        + "once per UTC day (%s).",
                event.service(), format, event.timestamp(), event.keyId(), dayStart.toString().substring(0, 10));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("secretFormat", format);
        evidence.put("fingerprint", event.keyId());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.SECRET_IN_TELEMETRY, Severity.CRITICAL, 1, 1, null, summary, evidence);
    }

    /**
     * For a record the parser rejected: its service could not be trusted or read, so the alert names the fingerprint,
     * the format and why the record was rejected.
     */
    public Finding describeRejected(String fingerprint, String rejectCode, Instant at, Instant dayStart) {
        String format = io.keywatch.events.secrets.SecretFingerprinter.formatOf(fingerprint);
        String summary = String.format(Locale.ROOT,
                "A usage event rejected by keywatch (%s) at %s carried a secret (%s); keywatch stored only its "
                        + "fingerprint %s. Rotate the leaked secret and fix the publisher. Reported once per UTC day (%s).",
                rejectCode, at, format, fingerprint, dayStart.toString().substring(0, 10));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("secretFormat", format);
        evidence.put("fingerprint", fingerprint);
        evidence.put("rejected", rejectCode);
        return new Finding(AlertRule.SECRET_IN_TELEMETRY, Severity.CRITICAL, 1, 1, null, summary, evidence);
    }
}
