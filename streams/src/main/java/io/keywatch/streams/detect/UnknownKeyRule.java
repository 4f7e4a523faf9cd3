package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.SecretFingerprinter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * UNKNOWN_KEY: traffic for a key with no registry metadata (no key state at all, or a state without metadata, e.g. a
 * key revoked by hand but never registered). LOW, at most once per key per UTC day. There is no registry entry to
 * hold a per-key switch, so it is switched off only globally ({@code KEYWATCH_DETECT_DISABLED_RULES=UNKNOWN_KEY}).
 */
public final class UnknownKeyRule implements Detector.OnEvent {

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.UNKNOWN_KEY, Trigger.EVENT, Dedup.DAY,
            "`LOW`", Toggle.GLOBAL_ONLY, null, List.of(),
            "traffic for a key that is not in the registry (never for a redacted secret, nor for a fingerprint "
                    + "`redacted:...` keywatch made, i.e. one that already raised `SECRET_IN_TELEMETRY` for the key, "
                    + "as a replayed dead letter does; a fingerprint-shaped key id nobody reported is an unknown key "
                    + "like any other)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        // a fingerprint keywatch made is not a key anyone could register: SECRET_IN_TELEMETRY says all there is to
        // say. Anyone can publish a key id of that shape, though: only the redact step's header or the key's own
        // SECRET_IN_TELEMETRY mark (a replayed dead letter) say keywatch made it
        if (context.secretFormat() != null || !matches(context.state())
                || (SecretFingerprinter.isFingerprint(context.keyId())
                        && context.profile().everAlerted(AlertRule.SECRET_IN_TELEMETRY))) {
            return null;
        }
        return Verdict.of(Severity.LOW,
                (start, end) -> describe(context.event(), context.state(), Evidence.instant(start)));
    }


    public boolean matches(KeyState state) {
        return state == null || !state.isRegistered();
    }

    public Finding describe(UsageEvent event, KeyState state, Instant dayStart) {
        String summary = String.format(Locale.ROOT,
                "Key %s is not in the key registry but was used at %s (service %s%s). Reported once per UTC day "
                        + "(%s).",
                event.keyId(), event.timestamp(), event.service(),
                event.clientIp() == null ? "" : ", from " + event.clientIp(), dayStart.toString().substring(0, 10));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("registered", false);
        evidence.put("keyStatus", state == null ? "UNKNOWN" : state.status().name());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.UNKNOWN_KEY, Severity.LOW, 1, 1, null, summary, evidence);
    }
}
