package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * UNKNOWN_KEY: traffic for a key with no registry metadata (no key state at all, or a state without metadata, e.g. a
 * key revoked by hand but never registered). LOW, at most once per key per UTC day. There is no registry entry to
 * hold a per-key switch, so it is switched off only globally ({@code KEYWATCH_DETECT_DISABLED_RULES=UNKNOWN_KEY}).
 */
public final class UnknownKeyRule {

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
